/**
 * The container's root, made by the container's storage driver (src/storage:
 * native overlay, fuse-overlayfs or a vfs copy) inside tspod's mount namespace
 * (where the shim runs) for as long as the container may run.
 */
import { chownSync, mkdirSync } from 'node:fs'
import type { RootfsDriver } from '../storage/driver.js'
import { rootfsDriver } from '../storage/drivers.js'
import { unmountAll } from '../storage/mounts.js'
import { secureJoin } from '../util/secure-join.js'
import type { ShimConfig } from './config.js'

export { isMounted } from '../storage/mounts.js'

/** Which driver mounted what, in this shim. */
const mountedBy = new Map<string, RootfsDriver>()

export function mountRootfs(rootfs: ShimConfig['rootfs']): void {
  const driver = rootfsDriver(rootfs.driver)
  driver.mount(rootfs)
  mountedBy.set(rootfs.target, driver)
}

export function unmountRootfs(target: string): void {
  const driver = mountedBy.get(target)
  mountedBy.delete(target)
  // Not mounted by this shim (its mount failed, or a dead shim left one): a plain detach.
  if (driver) driver.unmount(target)
  else unmountAll(target)
}

/** mkdir -p inside the mounted root, never following a symlink out of it. */
export function createDirs(root: string, dirs: ShimConfig['createDirs']): void {
  for (const dir of dirs) {
    const host = secureJoin(root, dir.path)
    const made = mkdirSync(host, { recursive: true, mode: 0o755 })
    if (made !== undefined) chownSync(host, dir.uid, dir.gid)
  }
}
