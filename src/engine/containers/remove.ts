/**
 * `rm`: a running container needs `force` (it is killed first). The files go
 * in tspod's namespace, where the container's root may still be mounted if
 * its shim died: unmount it, then delete without crossing into other mounts.
 */
import type { Engine } from '../engine.js'
import { TspodError } from '../errors.js'
import type { ContainerRecord } from './record.js'
import { deleteContainerFiles } from './cleanup.js'
import { isLive, reconcile } from './reconcile.js'
import { settleRestartingShim, waitForExitRecorded, waitUntil } from './stop.js'
import { inUserNamespace } from '../remove-tree.js'
import { runInUserNamespace } from '../../rootless/userns.js'
import { isSameProcessAlive } from '../../util/proc.js'
import { rm } from 'node:fs/promises'

export async function removeContainer(engine: Engine, record: ContainerRecord, options: { force?: boolean } = {}): Promise<void> {
  const store = engine.containerStore
  await settleRestartingShim(engine, record)
  let state = await reconcile(store, record, store.state(record.id))
  // Its shim clears these from the state on its way out: note them now.
  const shim = { pid: state.shimPid, ticks: state.shimStartTicks }
  if (isLive(state)) {
    if (!options.force) {
      throw new TspodError(
        'failed-precondition',
        `cannot remove container ${record.id} as it is running - running or paused containers cannot be removed without force: container state improper`,
      )
    }
    await store.updateState(record.id, s => ({ ...s, stoppedByUser: true }))
    if (state.pid && isSameProcessAlive(state.pid, state.pidStartTicks)) process.kill(state.pid, 'SIGKILL')
    state = await waitForExitRecorded(engine, record, 10_000)
  }
  // The shim unmounts and lets go of the container's files after recording the
  // exit (a `--rm` one removes them itself): let it finish first.
  if (shim.pid) await waitUntil(() => !isSameProcessAlive(shim.pid, shim.ticks), 10_000)
  if (!store.record(record.id)) return
  await deleteContainerFiles(engine.paths, store, record.id, tree => removeContainerTree(engine, tree))
}

/**
 * What interrupted creates and removals left in the store (a shim killed
 * while deleting a `--rm` container's files, a crash mid-create): invisible
 * to every listing, so only their disk space is lost until this runs.
 */
export async function removeContainerDebris(engine: Engine): Promise<void> {
  for (const tree of await engine.containerStore.takeDebris()) await removeContainerTree(engine, tree)
}

/** A container's directory: its files belong to subordinate ids, and its root may still be mounted. */
async function removeContainerTree(engine: Engine, path: string): Promise<void> {
  if (inUserNamespace()) return rm(path, { recursive: true, force: true })
  await runInUserNamespace(await engine.userNamespace(), 'sh', ['-c', 'umount -l "$1/merged" 2>/dev/null; exec rm -rf --one-file-system -- "$1"', 'sh', path])
}
