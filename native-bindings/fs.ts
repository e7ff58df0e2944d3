/**
 * File-system calls Node lacks: extended attributes, mknod (fifos, overlay
 * whiteouts) and a chmod that never follows a symlink. All are synchronous and
 * throw Node-shaped errors (`code`, `errno`, `syscall`, `path`).
 */
import { errno, lazyFn, syscallError } from './libc.js'

type SetXattr = (path: string, name: string, value: Uint8Array, size: number, flags: number) => number
type GetXattr = (path: string, name: string, value: Uint8Array | null, size: number) => number
type ListXattr = (path: string, list: Uint8Array | null, size: number) => number
type Mknod = (path: string, mode: number, dev: number) => number
type Fchmodat = (dirfd: number, path: string, mode: number, flags: number) => number

// ssize_t is intptr_t on every Linux ABI Node runs on.
const lsetxattrFn = lazyFn<SetXattr>(
  'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
)
const lgetxattrFn = lazyFn<GetXattr>('intptr_t lgetxattr(const char *path, const char *name, void *value, size_t size)')
const llistxattrFn = lazyFn<ListXattr>('intptr_t llistxattr(const char *path, void *list, size_t size)')
const mknodFn = lazyFn<Mknod>('int mknod(const char *path, uint32_t mode, uint64_t dev)')
const fchmodatFn = lazyFn<Fchmodat>('int fchmodat(int dirfd, const char *path, uint32_t mode, int flags)')

const AT_FDCWD = -100
const AT_SYMLINK_NOFOLLOW = 0x100
const ERANGE = 34
const ENODATA = 61

export const S_IFIFO = 0o010000
export const S_IFCHR = 0o020000
export const S_IFBLK = 0o060000

/** Set an extended attribute on `path` itself (a final symlink is not followed). */
export function lsetxattr(path: string, name: string, value: Uint8Array): void {
  if (lsetxattrFn()(path, name, value, value.byteLength, 0) !== 0) throw syscallError('lsetxattr', errno(), path)
}

/** Value of one extended attribute, or undefined when the file does not have it. */
export function lgetxattr(path: string, name: string): Buffer | undefined {
  // Sizes can change between the probe and the read: retry on ERANGE.
  for (;;) {
    const size = lgetxattrFn()(path, name, null, 0)
    if (size < 0) {
      const err = errno()
      if (err === ENODATA) return undefined
      throw syscallError('lgetxattr', err, path)
    }
    const buf = Buffer.alloc(size)
    const got = size === 0 ? 0 : lgetxattrFn()(path, name, buf, size)
    if (got >= 0) return buf.subarray(0, got)
    const err = errno()
    if (err === ENODATA) return undefined
    if (err !== ERANGE) throw syscallError('lgetxattr', err, path)
  }
}

/** Names of the extended attributes of `path` itself. */
export function llistxattr(path: string): string[] {
  for (;;) {
    const size = llistxattrFn()(path, null, 0)
    if (size < 0) throw syscallError('llistxattr', errno(), path)
    if (size === 0) return []
    const buf = Buffer.alloc(size)
    const got = llistxattrFn()(path, buf, size)
    if (got < 0) {
      const err = errno()
      if (err === ERANGE) continue
      throw syscallError('llistxattr', err, path)
    }
    return buf.subarray(0, got).toString('utf8').split('\0').filter(n => n !== '')
  }
}

/** mknod(2): `mode` carries the file type (S_IFIFO, S_IFCHR, ...) and permissions (umask applies). */
export function mknod(path: string, mode: number, major = 0, minor = 0): void {
  if (mknodFn()(path, mode, makedev(major, minor)) !== 0) throw syscallError('mknod', errno(), path)
}

/**
 * chmod that refuses to follow a final symlink (glibc does it through an
 * O_PATH descriptor; it fails with EOPNOTSUPP on a symlink itself).
 */
export function lchmod(path: string, mode: number): void {
  if (fchmodatFn()(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW) !== 0) throw syscallError('fchmodat', errno(), path)
}

/** glibc's makedev(): the 64-bit dev_t layout, in exact arithmetic (no 32-bit bit operators). */
export function makedev(major: number, minor: number): number {
  return (
    (minor % 0x100) +
    (major % 0x1000) * 0x100 +
    Math.floor(minor / 0x100) * 2 ** 20 +
    Math.floor(major / 0x1000) * 2 ** 44
  )
}
