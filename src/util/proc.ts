/** Facts about processes from /proc, to tell a live process from a reused pid. */
import { readFileSync } from 'node:fs'

/** Start time of `pid` in clock ticks since boot (field 22 of /proc/PID/stat), or undefined if gone. */
export function procStartTicks(pid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[19])
  return Number.isFinite(ticks) ? ticks : undefined
}

/** True when `pid` is alive and is the process that started at `startTicks` (zombies count as gone). */
export function isSameProcessAlive(pid: number | undefined, startTicks: number | undefined): boolean {
  if (!pid) return false
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return false
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (fields[0] === 'Z' || fields[0] === 'X') return false
  return startTicks === undefined || Number(fields[19]) === startTicks
}
