/**
 * The container's root: a rootless overlay of the image layers plus the
 * container's upper directory, mounted inside tspod's mount namespace (where
 * the shim runs) for as long as the container may run.
 */
import { chownSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { mount, umount, MNT_DETACH } from '../../native-bindings/mount.js'
import { secureJoin } from '../util/secure-join.js'
import type { ShimConfig } from './config.js'

export function isMounted(target: string): boolean {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
  // Field 5 is the mount point, with spaces and such escaped as \040.
  return lines.some(l => unescapeMountPath(l.split(' ')[4] ?? '') === target)
}

function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
}

export function mountRootfs(rootfs: ShimConfig['rootfs']): void {
  // A mount left by a shim that died would stack under the new one.
  if (isMounted(rootfs.target)) umount(rootfs.target, MNT_DETACH)
  mkdirSync(rootfs.target, { recursive: true })
  mkdirSync(rootfs.upperDir, { recursive: true })
  mkdirSync(rootfs.workDir, { recursive: true })
  // Layer paths are long and the mount data is limited to a page: name the
  // lower layers relative to their common directory, the shim's cwd.
  const base = dirname(dirname(rootfs.lowerDirs[0] ?? rootfs.upperDir))
  process.chdir(base)
  const lower = [...rootfs.lowerDirs].reverse().map(d => relative(base, d)).join(':')
  const data = `lowerdir=${lower},upperdir=${rootfs.upperDir},workdir=${rootfs.workDir},userxattr`
  mount('overlay', rootfs.target, 'overlay', 0, data)
}

export function unmountRootfs(target: string): void {
  if (isMounted(target)) umount(target, MNT_DETACH)
}

/** mkdir -p inside the mounted root, never following a symlink out of it. */
export function createDirs(root: string, dirs: ShimConfig['createDirs']): void {
  for (const dir of dirs) {
    const host = secureJoin(root, dir.path)
    const made = mkdirSync(host, { recursive: true, mode: 0o755 })
    if (made !== undefined) chownSync(host, dir.uid, dir.gid)
  }
}
