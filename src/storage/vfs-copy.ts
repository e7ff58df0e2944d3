/**
 * The `vfs` driver's copy: the image's unpacked layers applied in order into
 * one new directory, with overlayfs's rules made permanent — a whiteout (a 0/0
 * character device, or a file with `user.overlay.whiteout`) deletes the name
 * from what the lower layers put there, an opaque directory
 * (`user.overlay.opaque=y`) drops their content, a non-directory replaces
 * whatever was there and a directory merges into a directory. Owners, modes
 * (setuid, setgid, sticky), times, extended attributes (not overlay's own),
 * hard links, symlinks and fifos are kept.
 *
 * Containment: layer entries are named relative to the destination and every
 * component is checked as it is made: a destination directory is descended
 * into only after lstat shows it is a real directory (a symlink or file there
 * is replaced first), so no path this code writes can pass through a symlink,
 * wherever an image's symlinks point. As in the unpacker (layer-tree.ts), path
 * strings are safe because the destination starts empty and nothing but this
 * single-threaded copy changes it; files are created with O_EXCL (never
 * through an existing name) and metadata is set with the no-follow calls.
 */
import {
  copyFileSync, constants, linkSync, lchownSync, lstatSync, lutimesSync, mkdirSync, readdirSync, readlinkSync,
  rmSync, symlinkSync, type Stats,
} from 'node:fs'
import { lchmod, lgetxattr, llistxattr, lsetxattr, mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../../native-bindings/fs.js'
import { TspodError } from '../engine/errors.js'

const OPAQUE_XATTR = 'user.overlay.opaque'
const WHITEOUT_XATTR = 'user.overlay.whiteout'
/** overlayfs's own attributes: meaningful in a layer, meaningless (and misleading) in a copy. */
const OVERLAY_XATTR = /^(user|trusted)\.overlay\./

export interface CopyReport {
  /** Entries that could not be reproduced exactly (an attribute, a device), one line each. */
  warnings: string[]
}

/**
 * Applies `layerDirs` (bottom layer first) into `dest`, which must not exist
 * yet; it is created mode 0755, as an overlay's upper directory would be.
 */
export function copyLayers(layerDirs: readonly string[], dest: string): CopyReport {
  const report: CopyReport = { warnings: [] }
  mkdirSync(dest, 0o755)
  lchmod(dest, 0o755)
  layerDirs.forEach((layer, i) => new LayerApplier(layer, dest, report).applyDir('', i === 0))
  return report
}

class LayerApplier {
  /** inode in this layer -> the destination path of its first name (hard links). */
  private readonly links = new Map<number, string>()
  private readonly uid = process.geteuid?.() ?? 0
  private readonly gid = process.getegid?.() ?? 0

  constructor(
    private readonly layer: string,
    private readonly dest: string,
    private readonly report: CopyReport,
  ) {}

  /**
   * Apply the layer's directory `rel` ('' = the root), whose destination is a
   * real directory; `fresh`: this layer just made it, so nothing is in it yet.
   */
  applyDir(rel: string, fresh = false): void {
    for (const name of readdirSync(this.src(rel))) {
      const r = rel === '' ? name : `${rel}/${name}`
      const from = this.src(r)
      const to = this.dst(r)
      const st = lstatSync(from)
      const there = fresh ? undefined : lstatSync(to, { throwIfNoEntry: false })
      if (isWhiteout(from, st)) {
        if (there) remove(to, there)
        continue
      }
      if (st.isDirectory()) {
        const opaque = lgetxattr(from, OPAQUE_XATTR)?.toString() === 'y'
        const merge = there !== undefined && there.isDirectory() && !opaque
        if (there && !merge) remove(to, there)
        if (merge) lchmod(to, 0o700) // a lower layer's mode must not keep this layer's entries out
        else mkdirSync(to, 0o700)
        this.applyDir(r, !merge)
        // After the children: their creation changed the mtime.
        this.setMeta(from, to, st, merge ? there : undefined)
        continue
      }
      if (there) remove(to, there)
      this.copyEntry(from, to, st)
    }
  }

  private copyEntry(from: string, to: string, st: Stats): void {
    if (st.isFile()) {
      if (st.nlink > 1) {
        const first = this.links.get(st.ino)
        if (first !== undefined) {
          linkSync(first, to)
          return
        }
        this.links.set(st.ino, to)
      }
      // O_EXCL on the destination; a reflink where the file system can.
      copyFileSync(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE)
    } else if (st.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to)
    } else if (st.isFIFO()) {
      mknod(to, S_IFIFO | 0o600)
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      try {
        mknod(to, (st.isBlockDevice() ? S_IFBLK : S_IFCHR) | 0o600, major(st.rdev), minor(st.rdev))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err
        this.report.warnings.push(`${to}: device nodes cannot be created here (EPERM): skipped`)
        return
      }
    } else {
      this.report.warnings.push(`${to}: sockets are not copied`)
      return
    }
    this.setMeta(from, to, st)
  }

  /**
   * Owner, then mode (a chown clears setuid/setgid), then attributes (a chown
   * drops capabilities), then times. `existing`: a lower layer's directory
   * this one merged into (else the entry is new, and this process's).
   */
  private setMeta(from: string, to: string, st: Stats, existing?: Stats): void {
    const owner = existing ?? { uid: this.uid, gid: this.gid }
    const chown = st.uid !== owner.uid || st.gid !== owner.gid
    if (chown) lchownSync(to, st.uid, st.gid)
    // Always: mkdir and mknod apply the umask, and copying a file's data may drop its setuid bit.
    if (!st.isSymbolicLink()) lchmod(to, st.mode & 0o7777)
    this.copyXattrs(from, to, st)
    lutimesSync(to, st.atime, st.mtime)
  }

  private copyXattrs(from: string, to: string, st: Stats): void {
    for (const name of llistxattr(from)) {
      if (OVERLAY_XATTR.test(name)) continue
      const value = lgetxattr(from, name)
      if (value === undefined) continue
      try {
        lsetxattr(to, name, value)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err)
        // user.* attributes cannot be set on symlinks at all: not a loss worth a line.
        if (st.isSymbolicLink() && code === 'EPERM') continue
        this.report.warnings.push(`${to}: extended attribute ${name} not copied (${code})`)
      }
    }
  }

  private src(rel: string): string {
    return rel === '' ? this.layer : `${this.layer}/${rel}`
  }

  private dst(rel: string): string {
    if (rel === '') return this.dest
    // Names come from readdir: never empty, '.', '..' or holding '/'; checked anyway.
    if (rel.split('/').some(c => c === '' || c === '.' || c === '..')) {
      throw new TspodError('internal', `vfs copy: refusing the entry name ${JSON.stringify(rel)}`)
    }
    return `${this.dest}/${rel}`
  }
}

function isWhiteout(path: string, st: Stats): boolean {
  if (st.isCharacterDevice() && st.rdev === 0) return true
  return st.isFile() && st.size === 0 && lgetxattr(path, WHITEOUT_XATTR) !== undefined
}

/** Remove what a later layer replaces; rmSync never follows a symlink. */
function remove(path: string, st: Stats): void {
  rmSync(path, { recursive: st.isDirectory(), force: true })
}

/** glibc's major()/minor() for a 64-bit dev_t, in exact arithmetic. */
function major(dev: number): number {
  return (Math.floor(dev / 0x100) % 0x1000) + Math.floor(dev / 2 ** 32) - (Math.floor(dev / 2 ** 32) % 0x1000)
}

function minor(dev: number): number {
  return (dev % 0x100) + (Math.floor(dev / 0x1000) % 0x100000) - (Math.floor(dev / 0x1000) % 0x100)
}
