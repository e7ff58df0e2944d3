/**
 * mount(2)/umount2(2) for a Node process already running inside the user and
 * mount namespace (started through tspod-nsexec): overlay and bind mounts of
 * container root filesystems.
 */
import { errno, lazyFn, syscallError } from './libc.js'

type Mount = (source: string | null, target: string, fstype: string | null, flags: number, data: string | null) => number
type Umount2 = (target: string, flags: number) => number

const mountFn = lazyFn<Mount>(
  'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
)
const umount2Fn = lazyFn<Umount2>('int umount2(const char *target, int flags)')

export const MS_RDONLY = 0x1
export const MS_NOSUID = 0x2
export const MS_NODEV = 0x4
export const MS_NOEXEC = 0x8
export const MS_REMOUNT = 0x20
export const MS_NOATIME = 0x400
export const MS_BIND = 0x1000
export const MS_MOVE = 0x2000
export const MS_REC = 0x4000
export const MS_PRIVATE = 0x40000
export const MS_SLAVE = 0x80000
export const MS_SHARED = 0x100000

export const MNT_FORCE = 0x1
export const MNT_DETACH = 0x2
/** umount2: do not follow a symlink at the target. */
export const UMOUNT_NOFOLLOW = 0x8

export function mount(source: string | null, target: string, fstype: string | null, flags = 0, data?: string): void {
  if (mountFn()(source, target, fstype, flags, data ?? null) !== 0) throw syscallError('mount', errno(), target)
}

export function umount(target: string, flags = 0): void {
  if (umount2Fn()(target, flags) !== 0) throw syscallError('umount2', errno(), target)
}
