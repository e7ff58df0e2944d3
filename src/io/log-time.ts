/**
 * `--since` / `--until` values, accepted in the forms podman's
 * util.ParseInputTime tries, in its order:
 *   1. RFC3339 with optional fraction and zone: 2024-05-01T10:00:00.5+02:00, ...Z
 *   2. 2006-01-02T15:04:05[.fraction] without a zone (read as UTC, like Go's time.Parse)
 *   3. a date with a zone (2024-05-01Z, 2024-05-01+02:00) or without (UTC)
 *   4. a Unix timestamp, possibly fractional: 1714557600, 1714557600.25
 *   5. a Go duration (10m, 1h30m, 1.5s, -5m): since = now − d, until = now + d
 *      (podman adds the duration for --until; a negative one points into the past)
 */
import { InvalidArgumentError } from '../engine/errors.js'
import { civilToNs } from './log-format.js'

const NS_PER_MS = 1_000_000n
const NS_PER_S = 1_000_000_000n

const DATETIME_RE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?$/
const DATE_RE = /^(\d{4})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$/

function zoneSeconds(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0
  const hours = Number(zone.slice(1, 3))
  const minutes = Number(zone.slice(4, 6))
  if (hours > 23 || minutes > 59) return undefined
  return (zone[0] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60)
}

function parseDateTime(input: string): bigint | undefined {
  let m = DATETIME_RE.exec(input)
  if (m) {
    const off = zoneSeconds(m[8])
    if (off === undefined) return undefined
    return civilToNs(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ?? '', off)
  }
  m = DATE_RE.exec(input)
  if (m) {
    const off = zoneSeconds(m[4])
    if (off === undefined) return undefined
    return civilToNs(+m[1]!, +m[2]!, +m[3]!, 0, 0, 0, '', off)
  }
  return undefined
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?$/
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** Unix seconds → ns. Plain decimals are converted exactly; exponent forms go through a double like Go's ParseFloat. */
function parseUnix(input: string): bigint | undefined {
  const m = DECIMAL_RE.exec(input)
  if (m && (m[2] || m[3])) {
    const ns = BigInt(m[2] || '0') * NS_PER_S + BigInt((m[3] ?? '').padEnd(9, '0').slice(0, 9) || '0')
    return m[1] === '-' ? -ns : ns
  }
  if (!FLOAT_RE.test(input)) return undefined
  const value = Number(input)
  if (!Number.isFinite(value)) return undefined
  const whole = Math.trunc(value)
  return BigInt(whole) * NS_PER_S + BigInt(Math.trunc((value - whole) * 1e9))
}

const UNIT_NS: Record<string, number> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
}
const DURATION_PART_RE = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y

/** Go's time.ParseDuration, in nanoseconds. */
export function parseGoDuration(input: string): bigint | undefined {
  let rest = input
  let sign = 1n
  if (rest[0] === '+' || rest[0] === '-') {
    if (rest[0] === '-') sign = -1n
    rest = rest.slice(1)
  }
  if (rest === '0') return 0n
  if (rest === '') return undefined
  let total = 0n
  DURATION_PART_RE.lastIndex = 0
  while (DURATION_PART_RE.lastIndex < rest.length) {
    const m = DURATION_PART_RE.exec(rest)
    if (!m || (!m[1] && !m[2])) return undefined
    const unit = BigInt(UNIT_NS[m[3]!]!)
    const frac = m[2] ?? ''
    total += BigInt(m[1] || '0') * unit + (BigInt(frac || '0') * unit) / 10n ** BigInt(frac.length)
  }
  return sign * total
}

/**
 * Parses a `--since` / `--until` argument into epoch nanoseconds. `nowMs` is
 * the reference for durations. Throws InvalidArgumentError with podman's message.
 */
export function parseLogTimeArg(input: string, flag: 'since' | 'until', nowMs: number = Date.now()): bigint {
  const ns = parseDateTime(input) ?? parseUnix(input) ?? durationFromNow(input, flag, nowMs)
  if (ns === undefined) {
    throw new InvalidArgumentError(`parsing --${flag} ${JSON.stringify(input)}: unable to interpret time value`)
  }
  return ns
}

function durationFromNow(input: string, flag: 'since' | 'until', nowMs: number): bigint | undefined {
  const d = parseGoDuration(input)
  if (d === undefined) return undefined
  const now = BigInt(Math.round(nowMs)) * NS_PER_MS
  return flag === 'since' ? now - d : now + d
}
