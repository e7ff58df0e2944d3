/**
 * Relative times as podman prints them: go-units HumanDuration ("About a
 * minute", "3 weeks") and podman's phrasing built on it ("5 minutes ago",
 * "Up 3 seconds", "Exited (7) 2 seconds ago", "Created").
 */
import { goTitle } from './template/podman-funcs.js'

/** An instant: a Date, anything with valueOf() in epoch milliseconds (GoTime), or epoch milliseconds. */
export type Instant = Date | number | { valueOf(): number }

const ms = (t: Instant): number => (typeof t === 'number' ? t : t.valueOf())

/** go-units HumanDuration for a duration in milliseconds. */
export function humanDuration(durationMs: number): string {
  const seconds = Math.trunc(durationMs / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.trunc(durationMs / 60000)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.trunc(durationMs / 3600000 + 0.5)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`
  return `${Math.trunc(Math.trunc(durationMs / 3600000) / 24 / 365)} years`
}

/** "5 minutes ago" (podman ps CREATED, images CREATED). */
export function timeAgo(t: Instant, now: Instant = Date.now()): string {
  return humanDuration(ms(now) - ms(t)) + ' ago'
}

/** podman keeps StartedAt/ExitedAt/image Created as Unix seconds: durations count from the whole second. */
const wholeSecond = (t: Instant) => Math.floor(ms(t) / 1000) * 1000

/** "5 minutes ago" for a time podman stores in whole seconds (image Created). */
export function secondsAgo(t: Instant, now: Instant = Date.now()): string {
  return timeAgo(wholeSecond(t), now)
}

export interface ContainerStatusInput {
  /** Lower-case state: created, running, paused, stopped, exited, … */
  state: string
  startedAt?: Instant
  exitedAt?: Instant
  exitCode?: number
  /** Health check status ("healthy", "starting", …), shown in parentheses. */
  health?: string
}

/**
 * podman ps STATUS: "Up 3 seconds", "Exited (7) 2 seconds ago", otherwise
 * the state title-cased ("Created", "Paused"), plus " (healthy)" if any.
 * (podman 4.x printed "Up 3 seconds ago"; current podman and docker omit "ago".)
 */
export function containerStatus(c: ContainerStatusInput, now: Instant = Date.now()): string {
  let s: string
  switch (c.state) {
    case 'running':
      s = 'Up ' + humanDuration(ms(now) - wholeSecond(c.startedAt ?? now))
      break
    case 'exited':
    case 'stopped':
      s = `Exited (${c.exitCode ?? 0}) ${humanDuration(ms(now) - wholeSecond(c.exitedAt ?? now))} ago`
      break
    default:
      s = goTitle(c.state)
  }
  return c.health ? `${s} (${c.health})` : s
}
