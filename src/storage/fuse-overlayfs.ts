/**
 * The `fuse-overlayfs` driver: the overlay merge done in user space by
 * fuse-overlayfs, for kernels (or graph-root file systems) where native
 * rootless overlay does not work. fuse-overlayfs (1.10 checked) reads the
 * layers as tspod unpacks them: 0/0 character devices are whiteouts, and a
 * directory with `user.overlay.opaque=y` is opaque (it also accepts
 * `trusted.overlay.opaque` and its own `user.fuseoverlayfs.opaque`), and it
 * hides `user.overlay.*` attributes from the container. As root of tspod's
 * namespace it chowns for real, so no `xattr_permissions` emulation is needed.
 *
 * fuse-overlayfs daemonizes once the mount is in place: its exit status says
 * whether mounting worked. The daemon becomes the shim's child (the shim is a
 * child subreaper), so the shim reaps it when the unmount ends it.
 */
import { builtin } from '../util/builtin.js'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { waitForExit } from '../../native-bindings/waitpid.js'
import { TspodError } from '../engine/errors.js'
import { lookPath } from '../runtime/driver/runtime.js'
import { log } from '../util/log.js'
import type { RootfsDriver, RootfsSpec } from './driver.js'
import { checkOptionPath, mountedType, unmountAll } from './mounts.js'

export const FUSE_OVERLAYFS = 'fuse-overlayfs'
/** How long mounting may take before the program is killed. */
const MOUNT_TIMEOUT_MS = 60_000

export const fuseOverlayfsDriver: RootfsDriver = {
  name: 'fuse-overlayfs',

  mount(spec: RootfsSpec): void {
    const program = lookPath(FUSE_OVERLAYFS)
    if (!program) {
      throw new TspodError(
        'unavailable',
        'fuse-overlayfs is not installed, and this container uses the fuse-overlayfs storage driver: install it (apt-get install fuse-overlayfs)',
      )
    }
    unmountAll(spec.target)
    mkdirSync(spec.target, { recursive: true })
    mkdirSync(spec.upperDir, { recursive: true })
    mkdirSync(spec.workDir, { recursive: true })
    // The top layer comes first, as for overlayfs.
    const lower = [...spec.lowerDirs].reverse().map(checkOptionPath).join(':')
    const options = `lowerdir=${lower},upperdir=${checkOptionPath(spec.upperDir)},workdir=${checkOptionPath(spec.workDir)}`
    const { spawnSync } = builtin<typeof import('node:child_process')>('node:child_process')
    const r = spawnSync(program, ['-o', options, spec.target], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: MOUNT_TIMEOUT_MS,
    })
    if (r.error) throw new TspodError('unavailable', `running ${program}: ${r.error.message}`, { cause: r.error })
    if (r.status !== 0) {
      const detail = lastLine(r.stderr) || lastLine(r.stdout)
      const how = r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`
      throw new TspodError('internal', `fuse-overlayfs could not mount the container's root (${how})${detail ? `: ${detail}` : ''}`)
    }
    if (mountedType(spec.target) !== 'fuse.fuse-overlayfs') {
      throw new TspodError('internal', `fuse-overlayfs exited successfully but ${spec.target} is not mounted`)
    }
    for (const pid of daemonsOf(spec.target)) reapWhenDone(pid)
  },

  unmount(target: string): void {
    // As root of the namespace that mounted it: no fusermount3 needed. The
    // daemon sees the connection end and exits; reapWhenDone collects it.
    unmountAll(target)
  },
}

/** fuse-overlayfs daemons that are this process's children and serve `target`. */
function daemonsOf(target: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (comm !== FUSE_OVERLAYFS || ppid !== process.pid) continue
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (argv.includes(target)) pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

function reapWhenDone(pid: number): void {
  waitForExit(pid).then(
    status => log.debug(`fuse-overlayfs (pid ${pid}) exited with status ${status.status}`),
    err => log.debug(`waiting for fuse-overlayfs (pid ${pid}): ${(err as Error).message}`),
  )
}

function lastLine(text: string | null): string {
  return (text ?? '').trim().split('\n').filter(l => !/^unknown argument ignored/.test(l)).pop() ?? ''
}
