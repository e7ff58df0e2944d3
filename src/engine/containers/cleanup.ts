/**
 * Removing a container's files: the record directory (its upper directory
 * holds files of subordinate ids, hence `removeTree`), its run-root directory
 * and what the runtime kept of it. Used by `rm` and by the shim for `--rm`.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { StorePaths } from '../paths.js'
import type { ContainerStore } from './store.js'
import { containerPaths, runtimeStateRoot } from './paths.js'

export async function deleteContainerFiles(
  paths: StorePaths,
  store: ContainerStore,
  id: string,
  removeTree: (path: string) => Promise<void>,
): Promise<void> {
  await store.remove(id, removeTree)
  for (const dir of containerRunDirs(paths, id)) await rm(dir, { recursive: true, force: true })
}

/** What a container has in the run root: its own directory and the runtime's state. */
export function containerRunDirs(paths: StorePaths, id: string): string[] {
  return [containerPaths(paths, id).runDir, join(runtimeStateRoot(paths), id)]
}
