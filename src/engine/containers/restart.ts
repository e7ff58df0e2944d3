/** Restart policies (`--restart`), parsed and applied as podman does. */
import { InvalidArgumentError } from '../errors.js'
import type { ContainerState, RestartPolicy } from './record.js'

export function parseRestartPolicy(value: string | undefined): RestartPolicy {
  if (value === undefined || value === '' || value === 'no') return { name: 'no', maximumRetryCount: 0 }
  const [name, count, ...rest] = value.split(':')
  if (rest.length > 0) throw new InvalidArgumentError(`invalid restart policy ${value}`)
  if (name === 'on-failure') {
    if (count === undefined) return { name, maximumRetryCount: 0 }
    if (!/^\d+$/.test(count)) throw new InvalidArgumentError(`restart count "${count}" is not a positive integer: invalid argument`)
    return { name, maximumRetryCount: Number(count) }
  }
  if (name === 'always' || name === 'unless-stopped') {
    if (count !== undefined) throw new InvalidArgumentError(`restart policy ${name} does not take a retry count: invalid argument`)
    return { name, maximumRetryCount: 0 }
  }
  throw new InvalidArgumentError(`invalid restart policy ${JSON.stringify(value)}: must be one of no, on-failure[:max-retries], always, unless-stopped`)
}

/** After an exit: run again? Never when the user stopped it. */
export function shouldRestart(policy: RestartPolicy, state: ContainerState): boolean {
  if (state.stoppedByUser) return false
  switch (policy.name) {
    case 'no':
      return false
    case 'always':
    case 'unless-stopped':
      return true
    case 'on-failure':
      return (state.exitCode ?? 0) !== 0 && (policy.maximumRetryCount === 0 || state.restartCount < policy.maximumRetryCount)
  }
}

/** Back off between restarts so a crashing container does not spin: 100 ms doubling, at most 5 s. */
export function restartDelayMs(restartCount: number): number {
  return Math.min(100 * 2 ** restartCount, 5000)
}
