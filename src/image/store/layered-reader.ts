/**
 * Read a file of an image without mounting it: the overlay's rules applied by
 * hand over the unpacked layer directories (top layer first). The CLI needs
 * this to resolve users from the image's /etc/passwd before the container's
 * root is mounted, and the mount only exists inside tspod's namespace.
 *
 * Rules: a whiteout (0/0 char device, or the `user.overlay.whiteout` xattr)
 * hides the name in lower layers; an opaque directory
 * (`user.overlay.opaque=y`) hides the directory's lower content; symlinks are
 * followed inside the image root (an absolute target means the image's `/`,
 * `..` stops at it), never into the host.
 */
import { lstat, readFile, readlink } from 'node:fs/promises'
import { join, posix } from 'node:path'
import type { Stats } from 'node:fs'
import { lgetxattr } from '../../../native-bindings/fs.js'

const MAX_SYMLINKS = 40

interface Found {
  layerDir: string
  stat: Stats
}

export class LayeredReader {
  /** @param layerDirs unpacked layer directories, bottom layer first (the image's order). */
  constructor(private readonly layerDirs: readonly string[]) {}

  /** File contents, or undefined when the path does not exist or is not a regular file. */
  async readFile(pathInImage: string): Promise<Buffer | undefined> {
    const found = await this.resolve(pathInImage)
    if (!found || !found.stat.isFile()) return undefined
    return readFile(join(found.layerDir, found.path))
  }

  /** True when the path is a directory in the merged view (symlinks followed inside the image). */
  async isDirectory(pathInImage: string): Promise<boolean> {
    return (await this.resolve(pathInImage))?.stat.isDirectory() ?? false
  }

  /** Resolve a path in the merged view, following symlinks inside the image. */
  private async resolve(pathInImage: string): Promise<(Found & { path: string }) | undefined> {
    let pending = splitPath(pathInImage)
    let resolved: string[] = []
    let links = 0
    while (pending.length > 0) {
      const name = pending.shift()!
      if (name === '..') {
        resolved.pop()
        continue
      }
      const candidate = [...resolved, name]
      const found = await this.lookup(candidate)
      if (!found) return undefined
      if (found.stat.isSymbolicLink()) {
        if (++links > MAX_SYMLINKS) return undefined
        const target = await readlink(join(found.layerDir, ...candidate))
        if (target.startsWith('/')) resolved = []
        pending = [...splitPath(target), ...pending]
        continue
      }
      resolved = candidate
    }
    if (resolved.length === 0) return undefined
    const last = await this.lookup(resolved)
    return last && { ...last, path: resolved.join('/') }
  }

  /**
   * The topmost layer holding exactly this path (no symlink resolution),
   * honouring whiteouts and opaque directories. Each ancestor is checked to be
   * a real directory in that layer before anything below it is looked at, so a
   * symlink in a lower layer is never followed by the host's path lookup.
   */
  private async lookup(components: string[]): Promise<Found | undefined> {
    for (let i = this.layerDirs.length - 1; i >= 0; i--) {
      const layerDir = this.layerDirs[i]!
      let opaque = false
      let present = true
      for (let n = 1; n < components.length; n++) {
        const dir = join(layerDir, ...components.slice(0, n))
        const st = await lstatOrUndefined(dir)
        if (!st) {
          present = false
          break
        }
        // A whiteout, file or symlink here hides everything below it in lower layers too.
        if (!st.isDirectory()) return undefined
        if (lgetxattr(dir, 'user.overlay.opaque')?.toString() === 'y') opaque = true
      }
      if (present) {
        const full = join(layerDir, ...components)
        const st = await lstatOrUndefined(full)
        if (st) return isWhiteout(full, st) ? undefined : { layerDir, stat: st }
      }
      if (opaque) return undefined
    }
    return undefined
  }
}

function splitPath(p: string): string[] {
  return posix.normalize(p).split('/').filter(c => c !== '' && c !== '.')
}

function isWhiteout(path: string, st: Stats): boolean {
  if (st.isCharacterDevice() && st.rdev === 0) return true
  return st.isFile() && st.size === 0 && lgetxattr(path, 'user.overlay.whiteout') !== undefined
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return undefined
    throw err
  }
}
