/**
 * tar-stream's extractor, with PAX records read byte-exactly, and its headers
 * turned into the few fields the unpacker uses.
 *
 * tar-stream decodes every PAX value as UTF-8, which mangles binary xattr
 * values (`security.capability` is binary). So this extractor's PAX decoder is
 * replaced, on this one instance, by one that keeps `SCHILY.xattr.*` values as
 * bytes. unpack tests set a binary capability to catch a tar-stream change.
 */
import { extract as tarExtract, type Extract, type Header } from 'tar-stream'
import { TspodError } from '../../engine/errors.js'

export type EntryType = 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device' | 'block-device'

export interface LayerEntry {
  /** The name as the archive spells it (for messages). */
  name: string
  type: EntryType
  /** Permission bits with setuid/setgid/sticky (no file-type bits). */
  mode: number
  uid: number
  gid: number
  /** Seconds since the epoch, fractional when PAX gives sub-second precision. */
  mtime: number
  /** Symlink target or hard-link target name. */
  linkname: string
  size: number
  devmajor: number
  devminor: number
  /** From PAX `SCHILY.xattr.NAME` records, values byte-exact. */
  xattrs: Map<string, Buffer>
}

type PaxRecords = Record<string, string | Buffer>
const XATTR_PREFIX = 'SCHILY.xattr.'

/** Parse PAX records (`LEN key=value\n`), keeping xattr values as bytes. */
export function decodePaxRecords(buf: Buffer): PaxRecords {
  const out: PaxRecords = {}
  let pos = 0
  while (pos < buf.length) {
    if (buf[pos] === 0) break // padding after the last record
    const space = buf.indexOf(0x20, pos)
    const len = space < 0 ? NaN : Number(buf.toString('latin1', pos, space))
    if (!Number.isInteger(len) || len <= space - pos || pos + len > buf.length || buf[pos + len - 1] !== 0x0a) {
      throw new Error('malformed PAX header')
    }
    const record = buf.subarray(space + 1, pos + len - 1)
    const eq = record.indexOf(0x3d)
    if (eq <= 0) throw new Error('malformed PAX header')
    const key = record.toString('utf8', 0, eq)
    const value = record.subarray(eq + 1)
    // Copy: the record is a view of a large input chunk.
    out[key] = key.startsWith(XATTR_PREFIX) ? Buffer.from(value) : value.toString('utf8')
    pos += len
  }
  return out
}

interface ExtractInternals {
  _header: { type: string } | null
  _pax: PaxRecords | null
  _paxGlobal: PaxRecords | null
  _decodeLongHeader(buf: Buffer): void
}

/** A tar-stream extractor whose PAX records keep binary xattr values intact. */
export function createLayerExtract(): Extract {
  const extract = tarExtract()
  const internals = extract as unknown as ExtractInternals
  const original = internals._decodeLongHeader
  if (typeof original !== 'function' || !('_paxGlobal' in internals)) {
    throw new TspodError('internal', 'tar-stream changed: its extractor has no PAX decoder to replace')
  }
  internals._decodeLongHeader = function (this: ExtractInternals, buf: Buffer) {
    switch (this._header?.type) {
      case 'pax-global-header':
        this._paxGlobal = decodePaxRecords(buf)
        return
      case 'pax-header':
        this._pax = { ...(this._paxGlobal ?? {}), ...decodePaxRecords(buf) }
        return
      default:
        original.call(this, buf)
    }
  }
  return extract
}

const TYPES: ReadonlySet<string> = new Set([
  'file', 'directory', 'symlink', 'link', 'fifo', 'character-device', 'block-device',
])

/** Normalise a tar-stream header (PAX already applied to name/linkname/size). */
export function toLayerEntry(header: Header): LayerEntry {
  const pax = (header.pax ?? {}) as PaxRecords
  // tar-stream gives `type: null` for a typeflag it does not know (GNU sparse, ...).
  const type = header.type === 'contiguous-file' ? 'file' : (header.type as string | null)
  if (type === null || type === undefined || !TYPES.has(type)) {
    throw new TspodError('unsupported', `layer entry "${header.name}" has a tar entry type tspod does not support`)
  }
  const xattrs = new Map<string, Buffer>()
  for (const [key, value] of Object.entries(pax)) {
    if (key.startsWith(XATTR_PREFIX) && Buffer.isBuffer(value)) xattrs.set(key.slice(XATTR_PREFIX.length), value)
  }
  return {
    name: header.name,
    type: type as EntryType,
    mode: (header.mode ?? 0) & 0o7777,
    uid: paxNumber(pax.uid) ?? header.uid ?? 0,
    gid: paxNumber(pax.gid) ?? header.gid ?? 0,
    mtime: paxNumber(pax.mtime) ?? (header.mtime ? header.mtime.getTime() / 1000 : 0),
    linkname: header.linkname ?? '',
    size: header.size ?? 0,
    devmajor: header.devmajor ?? 0,
    devminor: header.devminor ?? 0,
    xattrs,
  }
}

function paxNumber(value: string | Buffer | undefined): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}
