/**
 * Writes one layer entry into the layer directory, converting whiteouts to
 * what overlayfs reads. Operations are synchronous on purpose: one entry at a
 * time, in archive order, is what makes the containment reasoning in
 * layer-tree.ts hold, and it spares a thread-pool round trip per syscall
 * (inflating still runs on the thread pool meanwhile).
 *
 * Order for a regular file: create (O_EXCL|O_NOFOLLOW, permission bits only),
 * write, fchown (clears setuid/setgid and security.capability), fchmod (now the
 * special bits stick), xattrs (after the last write and chown that would strip
 * a capability), futimes. Directories get mode and mtime at the very end.
 */
import {
  closeSync, constants, fchmodSync, fchownSync, futimesSync, lchownSync, linkSync, lutimesSync, mkdirSync,
  openSync, symlinkSync, writeSync,
} from 'node:fs'
import { lchmod, lsetxattr, mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../../../native-bindings/fs.js'
import { TspodError } from '../../engine/errors.js'
import { entryComponents, malformedEntry, refusedEntry, whiteoutKind, type WhiteoutKind } from './entry-name.js'
import { isWhiteout, lstatOrUndefined, type LayerTree } from './layer-tree.js'
import type { LayerEntry } from './tar-entry.js'
import type { UnpackWarnings } from './warnings.js'

const CREATE_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
/** xattr namespaces overlayfs reads as its own: a layer must not smuggle them in. */
const OVERLAY_XATTR = /^(user|trusted)\.overlay\./

export class EntryWriter {
  private readonly uid = process.geteuid?.() ?? 0
  private readonly gid = process.getegid?.() ?? 0

  constructor(
    private readonly tree: LayerTree,
    private readonly warnings: UnpackWarnings,
  ) {}

  /** Write `entry`; `body` (its data) is always consumed. */
  async write(entry: LayerEntry, body: AsyncIterable<Uint8Array>): Promise<void> {
    const parts = entryComponents(entry.name)
    const base = parts[parts.length - 1]
    const whiteout = base === undefined ? undefined : whiteoutKind(base)
    if (entry.type === 'file' && whiteout?.kind === 'none') return this.file(entry, this.placeOf(entry, parts), body)
    await skip(body)
    // The root itself: the layer directory's own metadata is not the image's
    // (overlay shows the container's upper directory there).
    if (base === undefined || whiteout === undefined) return
    if (whiteout.kind !== 'none') return this.whiteout(entry, parts, whiteout)
    const host = this.placeOf(entry, parts)
    switch (entry.type) {
      case 'directory': return this.directory(entry, host)
      case 'symlink': return this.symlink(entry, host)
      case 'link': return this.hardlink(entry, host)
      case 'fifo': return this.node(entry, host, S_IFIFO)
      case 'character-device':
      case 'block-device':
        return this.device(entry, host)
    }
  }

  private placeOf(entry: LayerEntry, parts: readonly string[]): string {
    return `${this.tree.parentDir(parts, entry.name, true)}/${parts[parts.length - 1]}`
  }

  private async file(entry: LayerEntry, host: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const fd = this.place(host, () => openSync(host, CREATE_FILE, entry.mode & 0o777))
    try {
      for await (const chunk of body) writeAll(fd, chunk)
      this.chown(entry, () => fchownSync(fd, entry.uid, entry.gid))
      if (this.needsChmod(entry.mode)) fchmodSync(fd, entry.mode)
      this.setXattrs(entry, host)
      futimesSync(fd, entry.mtime, entry.mtime)
    } finally {
      closeSync(fd)
    }
  }

  private directory(entry: LayerEntry, host: string): void {
    try {
      mkdirSync(host, 0o700)
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err
      const st = lstatOrUndefined(host)
      if (st === undefined || !st.isDirectory()) {
        // Docker: whatever is there is replaced; a directory over a directory merges.
        if (st !== undefined) this.tree.remove(host, st)
        mkdirSync(host, 0o700)
        // Over this layer's own whiteout: the lower layers' directory stays deleted.
        if (st !== undefined && isWhiteout(st)) this.tree.markOpaque(host)
      }
    }
    this.chown(entry, () => lchownSync(host, entry.uid, entry.gid))
    this.setXattrs(entry, host)
    this.tree.addDir(host, { mode: entry.mode, mtime: entry.mtime })
  }

  private symlink(entry: LayerEntry, host: string): void {
    // The target may point anywhere: it is resolved inside the container later.
    if (entry.linkname === '') throw malformedEntry(entry.name, 'symbolic link without a target')
    this.place(host, () => symlinkSync(entry.linkname, host))
    this.chown(entry, () => lchownSync(host, entry.uid, entry.gid))
    this.setXattrs(entry, host)
    lutimesSync(host, entry.mtime, entry.mtime)
  }

  /**
   * A hard link may only name a non-directory this layer has already written:
   * its target name follows the same rules as entry names, and anything else
   * (outside the root, missing, a directory) refuses the layer.
   */
  private hardlink(entry: LayerEntry, host: string): void {
    const targetParts = entryComponents(entry.linkname, entry.name)
    const notOurs = () => refusedEntry(entry.name, `hard link to "${entry.linkname}", which is not a file of this layer`)
    const targetBase = targetParts[targetParts.length - 1]
    if (targetBase === undefined) throw notOurs()
    const targetDir = this.tree.parentDir(targetParts, entry.name, false)
    if (targetDir === undefined) throw notOurs()
    const target = `${targetDir}/${targetBase}`
    const st = lstatOrUndefined(target)
    if (st === undefined || st.isDirectory()) throw notOurs()
    if (target === host) return
    try {
      // link(2) does not follow a symlink as its target: this links the symlink itself.
      this.place(host, () => linkSync(target, host))
    } catch (err) {
      if (errCode(err) === 'ENOENT') throw notOurs() // the target went with what this entry replaced
      throw err
    }
  }

  /** Fifos, and 0/0 character devices (overlay whiteouts in a tar). */
  private node(entry: LayerEntry, host: string, type: number, major = 0, minor = 0): void {
    this.place(host, () => mknod(host, type | 0o600, major, minor))
    this.chown(entry, () => lchownSync(host, entry.uid, entry.gid))
    lchmod(host, entry.mode)
    this.setXattrs(entry, host)
    lutimesSync(host, entry.mtime, entry.mtime)
  }

  private device(entry: LayerEntry, host: string): void {
    const type = entry.type === 'block-device' ? S_IFBLK : S_IFCHR
    try {
      this.node(entry, host, type, entry.devmajor, entry.devminor)
    } catch (err) {
      // Only real root may create devices; the 0/0 whiteout is the one exception.
      if (errCode(err) !== 'EPERM' || (type === S_IFCHR && entry.devmajor === 0 && entry.devminor === 0)) throw err
      this.warnings.device(entry.name)
    }
  }

  private whiteout(entry: LayerEntry, parts: readonly string[], whiteout: WhiteoutKind): void {
    if (whiteout.kind === 'meta' || whiteout.kind === 'none') return
    const parent = this.tree.parentDir(parts, entry.name, true)!
    if (whiteout.kind === 'opaque') return this.tree.markOpaque(parent)
    const name = whiteout.name
    if (name === '' || name === '.' || name === '..') throw malformedEntry(entry.name, 'not a valid whiteout')
    const host = `${parent}/${name}`
    const st = lstatOrUndefined(host)
    if (st === undefined) {
      try {
        this.tree.makeWhiteout(host)
      } catch (err) {
        if (errCode(err) !== 'EPERM') throw err
        throw new TspodError('unsupported', 'this kernel does not let a user namespace create overlay whiteouts (Linux 5.8 or later does)', { cause: err })
      }
      return
    }
    // A whiteout deletes from the lower layers only (OCI image spec): an entry
    // this layer already wrote stays; its own directory stops merging with theirs.
    if (st.isDirectory()) this.tree.markOpaque(host)
  }

  /** Run an exclusive create; when the name is taken, remove what is there (never follow it) and retry once. */
  private place<T>(host: string, create: () => T): T {
    try {
      return create()
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err
    }
    const st = lstatOrUndefined(host)
    if (st !== undefined) this.tree.remove(host, st)
    return create()
  }

  private chown(entry: LayerEntry, apply: () => void): void {
    if (entry.uid === this.uid && entry.gid === this.gid) return
    try {
      apply()
    } catch (err) {
      const code = errCode(err)
      // EINVAL: an id the user namespace does not map. EPERM: not namespace root.
      if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'ERR_OUT_OF_RANGE') throw err
      this.warnings.owner(entry.name, entry.uid, entry.gid)
    }
  }

  private needsChmod(mode: number): boolean {
    return (mode & 0o7000) !== 0 || (mode & 0o777 & this.tree.umask) !== 0
  }

  private setXattrs(entry: LayerEntry, host: string): void {
    for (const [name, value] of entry.xattrs) {
      if (OVERLAY_XATTR.test(name)) {
        this.warnings.reservedXattr(entry.name, name)
        continue
      }
      try {
        lsetxattr(host, name, value)
      } catch (err) {
        this.warnings.xattr(entry.name, name, errCode(err) ?? String(err))
      }
    }
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  let offset = 0
  while (offset < chunk.byteLength) offset += writeSync(fd, chunk, offset, chunk.byteLength - offset)
}

async function skip(body: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of body) {
    // data of an entry that has no use for it
  }
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code
}
