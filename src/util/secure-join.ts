/**
 * Resolve a path inside a directory tree as if that directory were `/`
 * (chroot semantics, like filepath-securejoin): symlinks met on the way are
 * followed, but an absolute target restarts at the root and `..` stops at it.
 * Used for paths inside a container's root that tspod itself writes to (a
 * missing WORKDIR), so a hostile image's symlink can never lead out of it.
 * Only safe while nothing else changes the tree (the container is not running).
 */
import { lstatSync, readlinkSync } from 'node:fs'
import { join, posix } from 'node:path'
import { TspodError } from '../engine/errors.js'

const MAX_SYMLINKS = 40

/** The host path `path` names inside `root`; components that do not exist yet are appended as they are. */
export function secureJoin(root: string, path: string): string {
  let pending = components(path)
  let resolved: string[] = []
  let links = 0
  while (pending.length > 0) {
    const name = pending.shift()!
    if (name === '..') {
      resolved.pop()
      continue
    }
    const candidate = [...resolved, name]
    let st
    try {
      st = lstatSync(join(root, ...candidate))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      // Nothing below a missing component can be a symlink: the rest is literal.
      return join(root, ...candidate, ...pending.filter(c => c !== '..'))
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) throw new TspodError('invalid-argument', `too many levels of symbolic links in ${path}`)
      const target = readlinkSync(join(root, ...candidate))
      if (target.startsWith('/')) resolved = []
      pending = [...components(target), ...pending]
      continue
    }
    resolved = candidate
  }
  return join(root, ...resolved)
}

function components(p: string): string[] {
  return posix.normalize(p).split('/').filter(c => c !== '' && c !== '.')
}
