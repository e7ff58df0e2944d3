/**
 * The local time zone as Go resolves it (TZ unset → /etc/localtime, TZ="" →
 * UTC, TZ=name → /usr/share/zoneinfo/name), read from the TZif file so the
 * abbreviation ("CET", "EDT", "+03") matches Go's time.Time.String().
 */
import { readFileSync } from 'node:fs'

export interface ZoneAt {
  name: string
  offset: number // seconds east of UTC
}

interface TzData {
  times: number[] // transition instants, Unix seconds
  idx: number[] // type index per transition
  types: ZoneAt[]
  isDst: boolean[]
  footer: { std: ZoneAt; dst: ZoneAt | null } | null
}

const UTC: ZoneAt = { name: 'UTC', offset: 0 }

function parseTzif(buf: Buffer): TzData | null {
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'TZif') return null
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map(i => buf.readUInt32BE(at + 20 + i * 4)) as [number, number, number, number, number, number]
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0)
  let p = 44
  let wide = false
  if (buf[4]! >= 0x32) {
    // skip the 32-bit block; the 64-bit one follows
    p += timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut
    ;[isut, isstd, leap, timecnt, typecnt, charcnt] = counts(p)
    p += 44
    wide = true
  }
  const times: number[] = []
  for (let i = 0; i < timecnt; i++) {
    times.push(wide ? Number(buf.readBigInt64BE(p + i * 8)) : buf.readInt32BE(p + i * 4))
  }
  p += timecnt * (wide ? 8 : 4)
  const idx = Array.from(buf.subarray(p, p + timecnt))
  p += timecnt
  const abbrStart = p + typecnt * 6
  const types: ZoneAt[] = []
  const isDst: boolean[] = []
  for (let i = 0; i < typecnt; i++) {
    const off = buf.readInt32BE(p + i * 6)
    const ai = buf[p + i * 6 + 5]!
    const end = buf.indexOf(0, abbrStart + ai)
    types.push({ offset: off, name: buf.toString('latin1', abbrStart + ai, end < 0 ? abbrStart + charcnt : end) })
    isDst.push(buf[p + i * 6 + 4] === 1)
  }
  p = abbrStart + charcnt + leap * (wide ? 12 : 8) + isstd + isut
  let footer: TzData['footer'] = null
  if (wide && buf[p] === 0x0a) {
    const end = buf.indexOf(0x0a, p + 1)
    footer = parseFooter(buf.toString('latin1', p + 1, end < 0 ? buf.length : end))
  }
  return { times, idx, types, isDst, footer }
}

/** Names and offsets of a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" or "<+03>-3". */
function parseFooter(s: string): TzData['footer'] {
  const m = /^(<[^>]*>|[A-Za-z]{3,})([+-]?\d{1,2}(?::\d{2}){0,2})(?:(<[^>]*>|[A-Za-z]{3,})([+-]?\d{1,2}(?::\d{2}){0,2})?)?/.exec(s)
  if (!m) return null
  const name = (x: string) => x.replace(/^<|>$/g, '')
  const secs = (x: string) => {
    const sign = x[0] === '-' ? -1 : 1
    const [h = 0, mi = 0, se = 0] = x.replace(/^[+-]/, '').split(':').map(Number)
    return -sign * (h * 3600 + mi * 60 + se) // POSIX offsets count west of UTC
  }
  const std = { name: name(m[1]!), offset: secs(m[2]!) }
  const dst = m[3] ? { name: name(m[3]), offset: m[4] ? secs(m[4]) : std.offset + 3600 } : null
  return { std, dst }
}

let cache: { key: string | undefined; data: TzData | null } | null = null

function localData(): TzData | null {
  const tz = process.env.TZ
  if (cache && cache.key === tz) return cache.data
  let data: TzData | null = null
  if (tz !== '' && tz !== 'UTC') {
    const name = tz?.replace(/^:/, '')
    const path = name === undefined ? '/etc/localtime' : name.startsWith('/') ? name : `/usr/share/zoneinfo/${name}`
    try {
      data = parseTzif(readFileSync(path))
    } catch {
      data = null // Go falls back to UTC
    }
  }
  cache = { key: tz, data }
  return data
}

/** Zone name and offset of the local zone at Unix second `sec`. */
export function localZoneAt(sec: number): ZoneAt {
  const d = localData()
  if (!d || d.types.length === 0) return UTC
  const { times, idx, types, isDst } = d
  if (times.length === 0 || sec < times[0]!) {
    const i = isDst.findIndex(x => !x)
    return types[i < 0 ? 0 : i]!
  }
  if (sec < times[times.length - 1]! || !d.footer) {
    let lo = 0
    let hi = times.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (times[mid]! <= sec) lo = mid
      else hi = mid - 1
    }
    return types[idx[lo]!]!
  }
  // After the last transition the footer's rule applies; the offset comes from
  // the platform (same zone rules), the name from the footer.
  const offset = Math.round(-new Date(sec * 1000).getTimezoneOffset() * 60)
  const { std, dst } = d.footer
  if (dst && offset === dst.offset && offset !== std.offset) return dst
  if (offset === std.offset) return std
  return { name: std.name, offset }
}
