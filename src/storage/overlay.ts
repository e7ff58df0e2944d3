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

export const overlayDriver: RootfsDriver = {
  name: 'overlay',

  mount(spec: RootfsSpec): void {
    unmountAll(spec.target)
    mkdirSync(spec.target, { recursive: true })
    mkdirSync(spec.upperDir, { recursive: true })
    mkdirSync(spec.workDir, { recursive: true })
    // Layer paths are long and the mount data is limited to a page: name the
    // lower layers relative to their common directory, the shim's cwd.
    const base = dirname(dirname(spec.lowerDirs[0] ?? spec.upperDir))
    process.chdir(base)
    const lower = [...spec.lowerDirs].reverse().map(d => checkOptionPath(relative(base, d))).join(':')
    const data = `lowerdir=${lower},upperdir=${checkOptionPath(spec.upperDir)},workdir=${checkOptionPath(spec.workDir)},userxattr`
    mount('overlay', spec.target, 'overlay', 0, data)
  },

  unmount(target: string): void {
    unmountAll(target)
  },
}
