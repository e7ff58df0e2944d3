/**
 * Mount-table helpers the drivers share. They run in the shim, inside tspod's
 * mount namespace, where the containers' roots are mounted.
 */
import { readFileSync } from 'node:fs'
import { umount, MNT_DETACH, UMOUNT_NOFOLLOW } from '../../native-bindings/mount.js'
import { TspodError } from '../engine/errors.js'

/** The file-system type mounted at `target` (`overlay`, `fuse.fuse-overlayfs`, …), or undefined. */
export function mountedType(target: string): string | undefined {
  // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER": the
  // mount point is field 5 (spaces and such escaped as \040); the type follows " - ".
  let found: string | undefined
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (unescapeMountPath(line.split(' ')[4] ?? '') !== target) continue
    // The last mount at a point is the visible one.
    found = line.slice(line.indexOf(' - ') + 3).split(' ')[0] ?? ''
  }
  return found
}

export function isMounted(target: string): boolean {
  return mountedType(target) !== undefined
}

function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
}

/**
 * Detach whatever is mounted at `target` (a lazy unmount: the container's
 * processes are gone, and one left behind must not keep the shim waiting).
 * A mount left by a shim that died would otherwise stack under a new one.
 */
export function unmountAll(target: string): void {
  // Detach until the kernel says there is nothing mounted there (EINVAL), or
  // no such path: no reading of the mount table, which is on every --rm's path.
  for (;;) {
    try {
      umount(target, MNT_DETACH | UMOUNT_NOFOLLOW)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EINVAL' || code === 'ENOENT') return
      throw err
    }
  }
}

/**
 * Mount options are comma-separated and lower directories colon-separated:
 * a path holding either cannot be named in them.
 */
export function checkOptionPath(path: string): string {
  if (/[,:]/.test(path)) {
    throw new TspodError('invalid-argument', `cannot use ${path} as an overlay directory: the path contains "," or ":" (move the graph root with --root)`)
  }
  return path
}
