/** podman's State.Status word for tspod's recorded status (a module of its own: ps loads it without inspect's). */
import type { ContainerState } from '../containers/record.js'

export function statusWord(state: ContainerState): string {
  switch (state.status) {
    case 'running':
    case 'stopping':
      return 'running'
    case 'exited':
      return 'exited'
    case 'removing':
      return 'removing'
    default:
      return 'created'
  }
}
