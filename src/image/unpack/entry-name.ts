/**
 * How a layer's entry names map into the layer directory (the lexical half of
 * the containment rule; symlinks are handled by LayerTree):
 *
 * - A name is a path from the layer root. A leading `/` or `./` means that root,
 *   as GNU tar, docker and containerd read it: `/abs/path` becomes `abs/path`.
 * - `.` components are dropped and `a/../b` is cleaned to `b`, lexically.
 * - A `..` that would climb above the root refuses the whole layer
 *   ('permission-denied'): an honest layer never contains one (docker's
 *   "breakout" check), so it marks a hostile or broken layer.
 * - A name with a NUL byte is malformed ('data-loss').
 */
import { TspodError } from '../../engine/errors.js'

/** The components of `name` inside the layer root ([] is the root itself). */
export function entryComponents(name: string, entryName = name): string[] {
  if (name.includes('\0')) throw malformedEntry(entryName, 'its name contains a NUL byte')
  const parts: string[] = []
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) {
        throw refusedEntry(entryName, name === entryName ? 'it is outside the layer root' : `"${name}" is outside the layer root`)
      }
      parts.pop()
      continue
    }
    parts.push(part)
  }
  return parts
}

/** What an entry's last component says about overlay whiteouts. */
export type WhiteoutKind =
  | { kind: 'none' }
  | { kind: 'opaque' } // `.wh..wh..opq`: hide the lower layers' content of this directory
  | { kind: 'meta' } // other `.wh..wh.*` (aufs bookkeeping): ignored
  | { kind: 'file'; name: string } // `.wh.NAME`: NAME is deleted from the lower layers

const WH = '.wh.'
const OPAQUE = '.wh..wh..opq'

export function whiteoutKind(base: string): WhiteoutKind {
  if (!base.startsWith(WH)) return { kind: 'none' }
  if (base === OPAQUE) return { kind: 'opaque' }
  if (base.startsWith(WH + WH)) return { kind: 'meta' }
  return { kind: 'file', name: base.slice(WH.length) }
}

/** The layer tries to reach outside its root: refuse all of it. */
export function refusedEntry(entryName: string, why: string): TspodError {
  return new TspodError('permission-denied', `refusing layer: entry "${entryName}": ${why}`)
}

/** The layer is not a well-formed layer tar. */
export function malformedEntry(entryName: string, why: string): TspodError {
  return new TspodError('data-loss', `malformed layer: entry "${entryName}": ${why}`)
}
