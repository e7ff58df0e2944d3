/**
 * `kill` and `stop`. The container's init lives in tspod's user namespace,
 * which this user owns, so a signal from here reaches it without entering the
 * namespace. The shim notices the exit and records it; callers wait for that.
 */
import type { Engine } from '../engine.js'
import { TspodError } from '../errors.js'
import type { ContainerRecord, ContainerState } from './record.js'
import { isLive, reconcile } from './reconcile.js'
import { isSameProcessAlive } from '../../util/proc.js'
import { parseSignal, signalName } from '../../runtime/spec/signal.js'
import { log } from '../../util/log.js'

function improper(record: ContainerRecord, state: ContainerState, verb: string): TspodError {
  return new TspodError(
    'failed-precondition',
    `can only ${verb} running containers. ${record.id} is in state ${state.status}: container state improper`,
  )
}

export async function killContainer(engine: Engine, record: ContainerRecord, signal: string | number = 'SIGKILL'): Promise<void> {
  const signo = parseSignal(signal)
  const state = await reconcile(engine.containerStore, record, engine.containerStore.state(record.id))
  if (!isLive(state) || !state.pid) throw improper(record, state, 'kill')
  if (signo === 9 || signo === 15 || signo === 2) {
    // The user ended it: restart policies must not bring it back.
    await engine.containerStore.updateState(record.id, s => ({ ...s, stoppedByUser: true }))
  }
  sendSignal(state, signo)
}

function sendSignal(state: ContainerState, signo: number): void {
  if (!state.pid || !isSameProcessAlive(state.pid, state.pidStartTicks)) return
  try {
    process.kill(state.pid, signo)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

/**
 * `stop`: the stop signal, then SIGKILL after `timeout` seconds, then wait
 * until the shim has recorded the exit. Stopping a stopped container is fine.
 */
export async function stopContainer(engine: Engine, record: ContainerRecord, timeoutSeconds?: number): Promise<void> {
  const store = engine.containerStore
  // Between two runs of a restarting container: its shim must not start another.
  await settleRestartingShim(engine, record)
  let state = await reconcile(store, record, store.state(record.id))
  if (!isLive(state)) return
  state = await store.updateState(record.id, s => ({ ...s, stoppedByUser: true, status: s.status === 'running' ? 'stopping' : s.status }))
  const timeout = timeoutSeconds ?? record.stopTimeout
  sendSignal(state, record.stopSignal)
  if (!(await waitUntil(() => !isSameProcessAlive(state.pid, state.pidStartTicks), timeout * 1000))) {
    log.warn(`StopSignal ${signalName(record.stopSignal)} failed to stop container ${record.name} in ${timeout} seconds, resorting to SIGKILL`)
    sendSignal(state, 9)
  }
  await waitForExitRecorded(engine, record, 10_000)
}

/**
 * A container whose restart policy brought it down between two runs is
 * "exited" while its shim waits to start it again: tell the shim not to
 * (stoppedByUser, which it reads before every restart) and wait until it has
 * gone. If it restarted the container meanwhile, the container is live again
 * and the caller stops it as any other.
 */
export async function settleRestartingShim(engine: Engine, record: ContainerRecord): Promise<void> {
  const store = engine.containerStore
  const restarting = (s: ContainerState) => !isLive(s) && isSameProcessAlive(s.shimPid, s.shimStartTicks)
  if (!restarting(store.state(record.id))) return
  await store.updateState(record.id, s => ({ ...s, stoppedByUser: true }))
  await waitUntil(() => {
    const s = store.record(record.id) ? store.state(record.id) : undefined
    return !s || !restarting(s)
  }, 10_000)
}

/** Until the shim has written the exit (or has gone, which reconcile then records). */
export async function waitForExitRecorded(engine: Engine, record: ContainerRecord, timeoutMs = Infinity): Promise<ContainerState> {
  const store = engine.containerStore
  let state = store.state(record.id)
  await waitUntil(() => {
    const s = store.record(record.id) ? store.state(record.id) : undefined
    if (!s) return true
    state = s
    return !isLive(s)
  }, timeoutMs)
  if (store.record(record.id)) state = await reconcile(store, record, store.state(record.id))
  return state
}

/** Poll `done` (cheap file reads) with a short, growing interval. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  let interval = 5
  for (;;) {
    if (done()) return true
    if (Date.now() >= deadline) return false
    await new Promise(r => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))))
    interval = Math.min(interval * 2, 100)
  }
}
