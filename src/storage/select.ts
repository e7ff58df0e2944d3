/**
 * Which driver new containers get, in podman's order: native overlay when it
 * works, else fuse-overlayfs when installed and /dev/fuse is usable, else vfs.
 * `--storage-driver` or STORAGE_DRIVER choose instead: `overlay` means
 * podman's overlay (native, or through fuse-overlayfs as its mount program),
 * `fuse-overlayfs` and `vfs` mean exactly those.
 *
 * No silent slow path: a selection that had to fall back carries one warning
 * line saying why and naming the fix. Asking for a driver and getting it
 * warns about nothing.
 */
import { release } from 'node:os'
import type { StorePaths } from '../engine/paths.js'
import { TspodError } from '../engine/errors.js'
import type { UserNamespace } from '../rootless/userns.js'
import { parseStorageDriver, type StorageDriverName } from './driver.js'
import { checkFuseOverlayfs, type FuseCheck } from './fuse-check.js'
import { nativeOverlayWorks, type OverlayProbe } from './probe-overlay.js'

export interface StorageSelection {
  driver: StorageDriverName
  /** fuse-overlayfs: the program that mounts. */
  mountProgram?: string
  /** Set when the driver is a fallback: the one line to print. */
  warning?: string
}

export interface SelectOptions {
  /** --storage-driver, else STORAGE_DRIVER; undefined or '' = detect. */
  requested?: string
  paths: StorePaths
  ns: () => Promise<UserNamespace>
  /** Probes, injectable for tests of the wording. */
  probeNative?: () => Promise<OverlayProbe>
  checkFuse?: () => FuseCheck
  kernel?: string
}

export async function selectStorageDriver(o: SelectOptions): Promise<StorageSelection> {
  const requested = o.requested ? parseStorageDriver(o.requested) : undefined
  const checkFuse = o.checkFuse ?? (() => checkFuseOverlayfs())
  if (requested === 'vfs') return { driver: 'vfs' }
  if (requested === 'fuse-overlayfs') {
    const fuse = checkFuse()
    if (!fuse.ok) throw new TspodError('unavailable', `the fuse-overlayfs storage driver cannot be used: ${fuse.reason}: ${fuse.fix}`)
    return { driver: 'fuse-overlayfs', mountProgram: fuse.program }
  }

  const native = await (o.probeNative ?? (() => nativeOverlayWorks(o.paths, o.ns)))()
  if (native.ok) return { driver: 'overlay' }
  const nativeFix = fixForNative(o.kernel ?? release())
  const fuse = checkFuse()
  if (fuse.ok) {
    return {
      driver: 'fuse-overlayfs',
      mountProgram: fuse.program,
      warning: `native overlay is not available (${native.reason}): using fuse-overlayfs; ${nativeFix.full}`,
    }
  }
  if (requested === 'overlay') {
    throw new TspodError(
      'unavailable',
      `the overlay storage driver cannot be used: native overlay is not available (${native.reason}) and ${fuse.reason}: ${fuse.fix}, ${nativeFix.short}, or use --storage-driver vfs`,
    )
  }
  return {
    driver: 'vfs',
    warning:
      `native overlay is not available (${native.reason}) and ${fuse.reason}: ` +
      `using the vfs driver, which copies every image for every container: ${fuse.fix} or ${nativeFix.short}`,
  }
}

/** What makes native rootless overlay work: a newer kernel, or (on one that has it) another file system. */
export function fixForNative(kernel: string): { full: string; short: string } {
  const [major = 0, minor = 0] = kernel.split(/[.-]/).map(n => Number.parseInt(n, 10))
  if (major < 5 || (major === 5 && minor < 11)) {
    return { full: 'install a kernel ≥ 5.11 for native rootless overlay', short: 'install a kernel ≥ 5.11' }
  }
  return {
    full: 'for native rootless overlay, put the graph root (--root) on a file system that supports it (ext4, xfs, btrfs)',
    short: 'put the graph root on ext4, xfs or btrfs',
  }
}
