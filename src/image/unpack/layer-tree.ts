/**
 * The layer directory being filled: resolves where an entry goes, removes what
 * an entry replaces, and remembers directory metadata to apply last.
 *
 * Containment (the half about symlinks; entry-name.ts has the lexical half):
 * the parent components of a name are resolved as if the layer directory were
 * `/` (chroot semantics, as docker and containers/storage apply layers):
 * a symlink the layer created earlier is followed, but an absolute target
 * starts again at the layer root and `..` stops at the root. So
 * `link -> /etc` then `link/passwd` writes LAYER/etc/passwd, never /etc/passwd.
 * The last component of a name is never followed: an entry replaces whatever
 * is there (a directory over a directory merges).
 *
 * Why path strings (checked by lstat) are safe here: the layer directory
 * starts empty and only this single-threaded extractor changes it, one entry
 * at a time; everything under it that is known to be a real directory was
 * seen or made so by this code, and every removal forgets all of that.
 * Writes use O_CREAT|O_EXCL|O_NOFOLLOW, lchown, lutimes, fchmod on an fd.
 */
import { closeSync, fchmodSync, futimesSync, lstatSync, mkdirSync, openSync, readlinkSync, rmSync, constants, type Stats } from 'node:fs'
import { lchmod, lsetxattr, mknod, S_IFCHR } from '../../../native-bindings/fs.js'
import { TspodError } from '../../engine/errors.js'
import { malformedEntry, refusedEntry } from './entry-name.js'

/** Linux's MAXSYMLINKS: more hops than this is a loop. */
const MAX_SYMLINK_HOPS = 40
/** What rootless overlayfs (`-o userxattr`) reads to treat a directory as opaque. */
export const OPAQUE_XATTR = 'user.overlay.opaque'

export interface DirMeta {
  mode: number
  mtime: number
}

export class LayerTree {
  /** Relative paths (no symlink in them) known to be real directories. */
  private readonly knownDirs = new Set<string>()
  /** Parent-name (as the archive spells it, cleaned) -> host path of the real directory. */
  private readonly parents = new Map<string, string>()
  /** Directory metadata applied at the end, after children changed mtimes. */
  private readonly dirMeta = new Map<string, DirMeta>()

  /** Read once: the process umask, to know when a created mode needs fixing. */
  readonly umask = process.umask()

  constructor(readonly root: string) {}

  /**
   * Host path of the directory that holds the entry whose cleaned components
   * are `parts` (the last one being the entry's own name), resolved inside the
   * root. Missing directories are created (0755, like docker) when `create`,
   * else the answer is undefined, as it is for a parent that is not a directory.
   */
  parentDir(parts: readonly string[], entryName: string, create: boolean): string | undefined {
    if (parts.length <= 1) return this.root
    const key = parts.slice(0, -1).join('/')
    const cached = this.parents.get(key)
    if (cached !== undefined) return cached
    const dir = this.resolveDir(parts.slice(0, -1), entryName, create)
    if (dir !== undefined) this.parents.set(key, dir)
    return dir
  }

  private resolveDir(components: readonly string[], entryName: string, create: boolean): string | undefined {
    const stack: string[] = []
    const queue = [...components]
    let hops = 0
    while (queue.length > 0) {
      const part = queue.shift()!
      if (part === '' || part === '.') continue
      if (part === '..') {
        stack.pop() // at the root, `..` is the root
        continue
      }
      stack.push(part)
      const rel = stack.join('/')
      if (this.knownDirs.has(rel)) continue
      const host = `${this.root}/${rel}`
      const st = lstatOrUndefined(host)
      if (st === undefined) {
        if (!create) return undefined
        this.mkdirImplied(host)
        this.knownDirs.add(rel)
        continue
      }
      if (st.isDirectory()) {
        this.knownDirs.add(rel)
        continue
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) throw refusedEntry(entryName, 'too many levels of symbolic links')
        const target = readlinkSync(host)
        stack.pop()
        if (target.startsWith('/')) stack.length = 0
        queue.unshift(...target.split('/'))
        continue
      }
      if (!create) return undefined
      if (isWhiteout(st)) {
        // The layer deleted this name from the lower layers and now puts
        // entries under it: a new directory that hides the lower one.
        this.remove(host, st)
        this.mkdirImplied(host)
        this.markOpaque(host)
        this.knownDirs.add(rel)
        continue
      }
      throw malformedEntry(entryName, `"${rel}" is not a directory`)
    }
    return stack.length === 0 ? this.root : `${this.root}/${stack.join('/')}`
  }

  /** A parent the archive did not list: 0755 and the namespace root's, as docker makes it. */
  private mkdirImplied(host: string): void {
    mkdirSync(host, 0o755)
    if ((0o755 & this.umask) !== 0) lchmod(host, 0o755)
  }

  /** Note a directory this layer created or merged into. */
  addDir(host: string, meta: DirMeta): void {
    this.dirMeta.delete(host) // re-insert: later entries are applied first
    this.dirMeta.set(host, meta)
  }

  /** Remove what an entry replaces (a directory with its content) and forget every resolution. */
  remove(host: string, st: Stats): void {
    if (host === this.root) throw new TspodError('internal', 'unpack: refusing to remove the layer root')
    if (st.isDirectory()) {
      rmSync(host, { recursive: true })
      const prefix = host + '/'
      for (const dir of this.dirMeta.keys()) if (dir === host || dir.startsWith(prefix)) this.dirMeta.delete(dir)
    } else {
      rmSync(host)
    }
    this.knownDirs.clear()
    this.parents.clear()
  }

  markOpaque(hostDir: string): void {
    lsetxattr(hostDir, OPAQUE_XATTR, Buffer.from('y'))
  }

  /** An overlay whiteout: a 0/0 character device (unprivileged user namespaces may create it). */
  makeWhiteout(host: string): void {
    mknod(host, S_IFCHR, 0, 0)
  }

  /**
   * Apply directory modes and mtimes, deepest-last-created first. Through an
   * fd opened O_NOFOLLOW|O_DIRECTORY, so a path that stopped being this
   * directory is skipped, never followed.
   */
  finish(): void {
    const dirs = [...this.dirMeta.entries()].reverse()
    for (const [host, meta] of dirs) {
      let fd: number
      try {
        fd = openSync(host, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') continue
        throw err
      }
      try {
        fchmodSync(fd, meta.mode)
        futimesSync(fd, meta.mtime, meta.mtime)
      } finally {
        closeSync(fd)
      }
    }
    this.dirMeta.clear()
  }
}

export function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0
}

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
