/** Where one container's files are: persistent ones in the graph root, runtime ones in the run root. */
import { join } from 'node:path'
import type { StorePaths } from '../paths.js'

export interface ContainerPaths {
  /** containers/ID: container.json, state.json, lock, the log. */
  dir: string
  upperDir: string
  workDir: string
  /** Mount point of the container's root (inside tspod's mount namespace). */
  rootfs: string
  /** vfs storage driver: the container's own copy of the image (bind-mounted at `rootfs`). */
  copyDir: string
  logPath: string
  /** Run root side: bundle, shim socket and pid file. */
  runDir: string
  bundleDir: string
  socketPath: string
  shimPidFile: string
  shimLog: string
}

export function containerPaths(paths: StorePaths, id: string): ContainerPaths {
  const dir = join(paths.root, 'containers', id)
  // Socket paths must stay under 108 bytes: keep the run-root side short.
  const runDir = join(paths.runRoot, 'c', id.slice(0, 16))
  return {
    dir,
    upperDir: join(dir, 'upper'),
    workDir: join(dir, 'work'),
    rootfs: join(dir, 'merged'),
    copyDir: join(dir, 'rootfs'),
    logPath: join(dir, 'ctr.log'),
    runDir,
    bundleDir: runDir,
    socketPath: join(runDir, 'attach'),
    shimPidFile: join(runDir, 'shim.pid'),
    shimLog: join(runDir, 'shim.log'),
  }
}

/** runc's --root: container state directories. */
export function runtimeStateRoot(paths: StorePaths): string {
  return join(paths.runRoot, 'runtime')
}
