/**
 * One line of a podman `k8s-file` container log, as conmon writes it:
 *
 *   2024-05-01T10:00:00.123456789+02:00 stdout F message bytes
 *
 * Timestamp (nanoseconds, the writer's local UTC offset), stream, `F` (the
 * line ended with a newline) or `P` (a fragment: the chunk ended before a
 * newline, or the line was longer than the maximum line size), then one space
 * and the message bytes without their newline. Messages are raw bytes (not
 * necessarily UTF-8), so everything here works on Buffers.
 */
import { TspodError } from '../engine/errors.js'

export type LogStream = 'stdout' | 'stderr'

/** A point in time with the UTC offset it was written in (kept for printing). */
export interface LogTime {
  /** Nanoseconds since the Unix epoch. */
  readonly ns: bigint
  /** Offset from UTC in seconds (east positive), as in the file. */
  readonly offsetSeconds: number
}

/** One physical line of the log file. */
export interface LogFragment {
  readonly time: LogTime
  readonly stream: LogStream
  /** true for `P` lines: the logical line continues in a later fragment of the same stream. */
  readonly partial: boolean
  readonly message: Buffer
}

const NS_PER_MS = 1_000_000n
const NS_PER_S = 1_000_000_000n

/** The local UTC offset (seconds) at an instant, as localtime_r's tm_gmtoff gives it. */
export function localOffsetSeconds(ms: number): number {
  return -new Date(ms).getTimezoneOffset() * 60
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function formatOffset(offsetSeconds: number, zeroAsZ: boolean): string {
  if (offsetSeconds === 0 && zeroAsZ) return 'Z'
  const sign = offsetSeconds < 0 ? '-' : '+'
  const abs = Math.abs(offsetSeconds)
  return `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}`
}

function formatTime(t: LogTime, zeroAsZ: boolean): string {
  let secs = t.ns / NS_PER_S
  let nanos = t.ns % NS_PER_S
  if (nanos < 0n) {
    nanos += NS_PER_S
    secs -= 1n
  }
  const local = new Date(Number(secs) * 1000 + t.offsetSeconds * 1000)
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${String(nanos).padStart(9, '0')}${formatOffset(t.offsetSeconds, zeroAsZ)}`
  )
}

/** The timestamp as conmon writes it into the file (offset always `+HH:MM`). */
export function formatFileTimestamp(t: LogTime): string {
  return formatTime(t, false)
}

/**
 * The timestamp as `podman logs --timestamps` prints it: Go's
 * "2006-01-02T15:04:05.000000000Z07:00" in the line's own offset, which
 * renders a zero offset as `Z`.
 */
export function formatPrintedTimestamp(t: LogTime): string {
  return formatTime(t, true)
}

/** The header of a log line up to and including the space before the message. */
export function formatLineHeader(t: LogTime, stream: LogStream, partial: boolean): string {
  return `${formatFileTimestamp(t)} ${stream} ${partial ? 'P' : 'F'} `
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Validated calendar fields → epoch nanoseconds, or undefined when out of range (Go rejects those too). */
export function civilToNs(
  year: number, month: number, day: number, hour: number, minute: number, second: number,
  fraction: string, offsetSeconds: number,
): bigint | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !leap)) return undefined
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  const nanos = BigInt(fraction.padEnd(9, '0').slice(0, 9) || '0')
  return BigInt(ms) * NS_PER_MS + nanos - BigInt(offsetSeconds) * NS_PER_S
}

const TIMESTAMP_RE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|([+-])(\d\d):(\d\d))$/

/** Parses a file timestamp (RFC3339 with up to nine fractional digits). */
export function parseTimestamp(text: string): LogTime | undefined {
  const m = TIMESTAMP_RE.exec(text)
  if (!m) return undefined
  const offsetSeconds = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 3600 + Number(m[11]) * 60)
  const ns = civilToNs(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ?? '', offsetSeconds)
  return ns === undefined ? undefined : { ns, offsetSeconds }
}

export class MalformedLogLineError extends TspodError {
  constructor(readonly line: Buffer, reason: string) {
    const shown = line.subarray(0, 80).toString('utf8').replace(/[^\x20-\x7e]/g, '?')
    super('data-loss', `'${shown}' is not a valid container log line: ${reason}`)
  }
}

const SPACE = 0x20

/** Parses one line (without its newline). Throws MalformedLogLineError. */
export function parseLogLine(line: Buffer): LogFragment {
  const s1 = line.indexOf(SPACE)
  const s2 = s1 < 0 ? -1 : line.indexOf(SPACE, s1 + 1)
  if (s2 < 0) throw new MalformedLogLineError(line, 'too few fields')
  const time = parseTimestamp(line.toString('latin1', 0, s1))
  if (!time) throw new MalformedLogLineError(line, 'bad timestamp')
  const stream = line.toString('latin1', s1 + 1, s2)
  if (stream !== 'stdout' && stream !== 'stderr') throw new MalformedLogLineError(line, `unknown stream "${stream}"`)
  // The tag is one byte; an empty message may lack the separating space.
  const tag = line[s2 + 1]
  const after = line[s2 + 2]
  if ((tag !== 0x46 /* F */ && tag !== 0x50) /* P */ || (after !== undefined && after !== SPACE)) {
    throw new MalformedLogLineError(line, 'bad tag')
  }
  return { time, stream, partial: tag === 0x50, message: line.subarray(Math.min(s2 + 3, line.length)) }
}
