/**
 * Records say what the last writer believed; processes say what is. A
 * container recorded as running whose shim is gone (killed, or a reboot) is
 * exited, with an unknown code and the reason; a container process the dead
 * shim left behind is killed, since nothing would collect its output or exit.
 */
import type { ContainerStore } from './store.js'
import type { ContainerRecord, ContainerState } from './record.js'
import { isSameProcessAlive } from '../../util/proc.js'

export const UNKNOWN_EXIT_CODE = -1

export function isLive(state: ContainerState): boolean {
  return (state.status === 'running' || state.status === 'stopping') && isSameProcessAlive(state.shimPid, state.shimStartTicks)
}

export async function reconcile(store: ContainerStore, record: ContainerRecord, state: ContainerState): Promise<ContainerState> {
  if (state.status !== 'running' && state.status !== 'stopping') return state
  if (isSameProcessAlive(state.shimPid, state.shimStartTicks)) return state
  return store.updateState(record.id, current => {
    if ((current.status !== 'running' && current.status !== 'stopping') || isSameProcessAlive(current.shimPid, current.shimStartTicks)) {
      return current
    }
    if (current.pid && isSameProcessAlive(current.pid, current.pidStartTicks)) {
      try {
        process.kill(current.pid, 'SIGKILL')
      } catch {}
    }
    return {
      ...current,
      status: 'exited',
      exitCode: UNKNOWN_EXIT_CODE,
      finishedAt: new Date().toISOString(),
      error: current.shimPid
        ? `the container's shim (pid ${current.shimPid}) died; its exit code is unknown`
        : "the container's shim is gone; its exit code is unknown",
      pid: undefined,
      shimPid: undefined,
      shimStartTicks: undefined,
    }
  })
}
