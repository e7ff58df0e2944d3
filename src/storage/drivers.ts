/** The drivers by name: what the shim mounts a container's root with. */
import { TspodError } from '../engine/errors.js'
import type { RootfsDriver, StorageDriverName } from './driver.js'
import { fuseOverlayfsDriver } from './fuse-overlayfs.js'
import { overlayDriver } from './overlay.js'
import { vfsDriver } from './vfs.js'

const DRIVERS: Record<StorageDriverName, RootfsDriver> = {
  overlay: overlayDriver,
  'fuse-overlayfs': fuseOverlayfsDriver,
  vfs: vfsDriver,
}

export function rootfsDriver(name: StorageDriverName | undefined): RootfsDriver {
  const driver = DRIVERS[name ?? 'overlay']
  if (!driver) throw new TspodError('internal', `unknown storage driver ${JSON.stringify(name)}`)
  return driver
}
