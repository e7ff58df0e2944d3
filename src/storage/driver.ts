/**
 * Storage drivers: how a container's root filesystem is made from the image's
 * unpacked layers (overlay/CHAINHEX/diff, in overlayfs's rootless conventions:
 * 0/0 character-device whiteouts, `user.overlay.opaque=y` directories).
 *
 * - `overlay`: native rootless overlayfs (`-o userxattr`, kernel ≥ 5.11);
 * - `fuse-overlayfs`: the same merge done by the FUSE program;
 * - `vfs`: a full copy of the layers per container, made at its first start.
 *
 * A container keeps the driver it was created with (its record says which):
 * an upper directory written through one driver is not read by another.
 */
import { TspodError } from '../engine/errors.js'

export const STORAGE_DRIVERS = ['overlay', 'fuse-overlayfs', 'vfs'] as const
export type StorageDriverName = (typeof STORAGE_DRIVERS)[number]

/** What the shim needs to make (and later remove) one container's root. */
export interface RootfsSpec {
  /** Absent in configs written before there were drivers: native overlay. */
  driver?: StorageDriverName
  /** Unpacked layer directories, bottom layer first (the image's order). */
  lowerDirs: string[]
  /** overlay, fuse-overlayfs: the container's changes and the merge's scratch directory. */
  upperDir: string
  workDir: string
  /** vfs: the container's own copy of the image, made at its first start and kept. */
  copyDir?: string
  /** Where the root is mounted, inside tspod's mount namespace (the OCI spec's root.path). */
  target: string
}

/** One driver, as the shim uses it: both calls run inside tspod's user+mount namespace. */
export interface RootfsDriver {
  readonly name: StorageDriverName
  /** Make the container's root appear at `spec.target` (a leftover mount there is replaced). */
  mount(spec: RootfsSpec): void
  /** Remove the mount at `target`, if any; the container's files stay. */
  unmount(target: string): void
}

export function parseStorageDriver(value: string): StorageDriverName {
  const name = STORAGE_DRIVERS.find(d => d === value)
  if (!name) {
    throw new TspodError('invalid-argument', `unsupported storage driver "${value}": choose from ${STORAGE_DRIVERS.join(', ')}`)
  }
  return name
}

/** The driver a spec (or a container record) names; native overlay when it names none. */
export function driverOf(spec: { driver?: StorageDriverName }): StorageDriverName {
  return spec.driver ?? 'overlay'
}
