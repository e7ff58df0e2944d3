/**
 * The `vfs` driver: no union file system at all. At the container's first
 * start the shim copies the image's layers into `containers/ID/rootfs`
 * (vfs-copy.ts); that copy is the container's root from then on, kept across
 * restarts and deleted with the container. Each start bind-mounts it at the
 * usual mount point, so the OCI bundle and the cleanup are the same for
 * every driver.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { mount, MS_BIND } from '../../native-bindings/mount.js'
import { TspodError } from '../engine/errors.js'
import { log } from '../util/log.js'
import type { RootfsDriver, RootfsSpec } from './driver.js'
import { unmountAll } from './mounts.js'
import { copyLayers } from './vfs-copy.js'

export const vfsDriver: RootfsDriver = {
  name: 'vfs',

  mount(spec: RootfsSpec): void {
    const copy = spec.copyDir
    if (!copy) throw new TspodError('internal', 'vfs storage driver: the container has no copy directory')
    unmountAll(spec.target)
    if (!existsSync(copy)) makeCopy(spec.lowerDirs, copy)
    mkdirSync(spec.target, { recursive: true })
    mount(copy, spec.target, null, MS_BIND)
  },

  unmount(target: string): void {
    unmountAll(target)
  },
}

/** Copy into a scratch name, then rename: a start interrupted mid-copy leaves no half root behind. */
function makeCopy(layerDirs: readonly string[], copy: string): void {
  const scratch = `${copy}.partial`
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(dirname(copy), { recursive: true })
  const report = copyLayers(layerDirs, scratch)
  for (const w of report.warnings) log.warn(`vfs: ${w}`)
  renameSync(scratch, copy)
}
