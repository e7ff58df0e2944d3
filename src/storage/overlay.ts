/**
 * The `overlay` driver: native rootless overlayfs (`-o userxattr`, Linux ≥
 * 5.11), mounted by the shim inside tspod's user+mount namespace. The layers
 * are unpacked in exactly the conventions it reads, so nothing is copied.
 */
import { mkdirSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { mount } from '../../native-bindings/mount.js'
import type { RootfsDriver, RootfsSpec } from './driver.js'
import { checkOptionPath, unmountAll } from './mounts.js'

/**
 * The mount's data and the directory it must be made from. Layer paths are
 * long and the mount data is limited to a page: the lower layers are named
 * relative to their common directory, which must be the cwd of the mount.
 * (Also used by the CLI, which hands the mount to tspod-shimlaunch.)
 */
export function overlayMountOptions(spec: RootfsSpec): { cwd: string; data: string } {
  const cwd = dirname(dirname(spec.lowerDirs[0] ?? spec.upperDir))
  const lower = [...spec.lowerDirs].reverse().map(d => checkOptionPath(relative(cwd, d))).join(':')
  return { cwd, data: `lowerdir=${lower},upperdir=${checkOptionPath(spec.upperDir)},workdir=${checkOptionPath(spec.workDir)},userxattr` }
}

export const overlayDriver: RootfsDriver = {
  name: 'overlay',

  mount(spec: RootfsSpec): void {
    unmountAll(spec.target)
    mkdirSync(spec.target, { recursive: true })
    mkdirSync(spec.upperDir, { recursive: true })
    mkdirSync(spec.workDir, { recursive: true })
    const { cwd, data } = overlayMountOptions(spec)
    process.chdir(cwd)
    mount('overlay', spec.target, 'overlay', 0, data)
  },

  unmount(target: string): void {
    unmountAll(target)
  },
}
