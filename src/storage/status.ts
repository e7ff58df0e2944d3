/**
 * `info`'s Store.GraphStatus and Store.GraphOptions for the driver in use, in
 * podman's shape: its overlay driver lists the backing file system, d_type
 * support, native diff and metacopy (with fuse-overlayfs, "Native Overlay
 * Diff" is false and GraphOptions names the mount program); vfs lists nothing.
 */
import { readdirSync, statfsSync } from 'node:fs'
import { goMap } from '../format/template/values.js'
import type { StorageSelection } from './select.js'
import { mountProgramInfo } from './fuse-check.js'

/** containers/storage's names for statfs magic numbers (the common ones). */
const FS_NAMES: Record<number, string> = {
  0xef53: 'extfs',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlayfs',
  0x65735546: 'fuse',
  0x6969: 'nfs',
  0x2fc12fc1: 'zfs',
  0x5346544e: 'ntfs',
  0x4d44: 'msdos',
  0xf2f52010: 'f2fs',
  0x73717368: 'squashfs',
  0xca451a4e: 'bcachefs',
}

export function backingFilesystem(path: string): string {
  try {
    const type = statfsSync(path).type
    return FS_NAMES[type] ?? `<unknown (0x${type.toString(16)})>`
  } catch {
    return '<unknown>'
  }
}

/** d_type: readdir reports each entry's type without a stat (false when any entry comes back unknown). */
export function supportsDType(path: string): boolean {
  try {
    return readdirSync(path, { withFileTypes: true }).every(
      e => e.isFile() || e.isDirectory() || e.isSymbolicLink() || e.isFIFO() || e.isSocket() || e.isCharacterDevice() || e.isBlockDevice(),
    )
  } catch {
    return false
  }
}

export async function graphDetails(selection: StorageSelection, graphRoot: string): Promise<{
  GraphOptions: Record<string, unknown>
  GraphStatus: Record<string, string>
}> {
  if (selection.driver === 'vfs') return { GraphOptions: {}, GraphStatus: {} }
  const fuse = selection.driver === 'fuse-overlayfs'
  return {
    // A map[string]interface{} holding one: templates print `map[Executable:… Package:… Version:…]`.
    GraphOptions: fuse && selection.mountProgram ? { 'overlay.mount_program': goMap(await mountProgramInfo(selection.mountProgram)) } : {},
    GraphStatus: {
      'Backing Filesystem': backingFilesystem(graphRoot),
      'Native Overlay Diff': String(!fuse),
      'Supports d_type': String(supportsDType(graphRoot)),
      'Using metacopy': 'false',
    },
  }
}
