/**
 * A Go time.Time for templates and JSON: nanosecond precision, a location
 * (UTC, Local or a fixed zone), printed by default as Go's Time.String()
 * ("2006-01-02 15:04:05.999999999 -0700 MST") and encoded in JSON as
 * RFC 3339 with nanoseconds. Templates can call its Go methods:
 * {{.Created.Unix}}, {{.Created.Format "2006-01-02"}}, {{.Created.UTC}}.
 */
import { civil, daysFromCivil, formatLayout } from './time-layout.js'
import { localZoneAt } from './tz.js'
import type { ParamType } from './funcs.js'
import { goQuote } from './quote.js'
import { goMethods, goTypeName } from './values.js'

export type GoLocation = 'UTC' | 'Local' | { name: string; offset: number }

const RFC3339NANO = '2006-01-02T15:04:05.999999999Z07:00'
const STRING_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST'
const ZERO_UNIX = -62135596800 // 0001-01-01T00:00:00Z

export class GoTime {
  readonly #sec: number
  readonly #nsec: number
  readonly #loc: GoLocation

  /** `sec` Unix seconds (integral), `nsec` 0…999999999. */
  constructor(sec: number, nsec = 0, loc: GoLocation = 'Local') {
    const extra = Math.floor(nsec / 1e9)
    this.#sec = Math.floor(sec) + extra
    this.#nsec = nsec - extra * 1e9
    this.#loc = loc
  }

  static fromDate(d: Date | number, loc: GoLocation = 'Local'): GoTime {
    const ms = typeof d === 'number' ? d : d.getTime()
    const sec = Math.floor(ms / 1000)
    return new GoTime(sec, Math.round((ms - sec * 1000) * 1e6), loc)
  }

  static now(loc: GoLocation = 'Local'): GoTime {
    return GoTime.fromDate(Date.now(), loc)
  }

  /** Go's zero time.Time (0001-01-01 00:00:00 UTC). */
  static zero(): GoTime {
    return new GoTime(ZERO_UNIX, 0, 'UTC')
  }

  /**
   * Parse RFC 3339 (with optional fraction) as Go's time.Parse does: "Z" is
   * UTC; an offset equal to the local zone's becomes Local, any other a
   * fixed zone without a name.
   */
  static parse(s: string): GoTime {
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(s)
    if (!m) throw new RangeError(`parsing time ${JSON.stringify(s)} as RFC 3339 failed`)
    const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]))
    const nsec = m[7] ? Number(m[7].padEnd(9, '0')) : 0
    let sec = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6])
    if (m[8]) return new GoTime(sec, nsec, 'UTC')
    const offset = (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 3600 + Number(m[11]) * 60)
    sec -= offset
    if (localZoneAt(sec).offset === offset) return new GoTime(sec, nsec, 'Local')
    return new GoTime(sec, nsec, { name: '', offset })
  }

  get [goTypeName](): string {
    return 'time.Time'
  }

  get [goMethods](): Record<string, readonly ParamType[]> {
    return { Format: ['string'] }
  }

  #zone(): { name: string; offset: number } {
    const loc = this.#loc
    if (loc === 'UTC') return { name: 'UTC', offset: 0 }
    if (loc === 'Local') return localZoneAt(this.#sec)
    return loc
  }

  Format(layout: string): string {
    const z = this.#zone()
    return formatLayout(civil(this.#sec, this.#nsec, z.name, z.offset), layout)
  }

  String(): string {
    return this.Format(STRING_LAYOUT)
  }

  /** %#v: Go syntax, e.g. time.Date(2024, time.January, 2, 3, 4, 5, 0, time.UTC). */
  GoString(): string {
    const z = this.#zone()
    const c = civil(this.#sec, this.#nsec, z.name, z.offset)
    const loc = this.#loc === 'UTC' ? 'time.UTC' : this.#loc === 'Local' ? 'time.Local' : `time.Location(${goQuote(this.#loc.name)})`
    return `time.Date(${c.year}, time.${formatLayout(c, 'January')}, ${c.day}, ${c.hour}, ${c.min}, ${c.sec}, ${c.nsec}, ${loc})`
  }

  Unix(): number {
    return this.#sec
  }

  UnixMilli(): number {
    return this.#sec * 1000 + Math.floor(this.#nsec / 1e6)
  }

  UnixNano(): bigint {
    return BigInt(this.#sec) * 1_000_000_000n + BigInt(this.#nsec)
  }

  Nanosecond(): number {
    return this.#nsec
  }

  UTC(): GoTime {
    return new GoTime(this.#sec, this.#nsec, 'UTC')
  }

  Local(): GoTime {
    return new GoTime(this.#sec, this.#nsec, 'Local')
  }

  IsZero(): boolean {
    return this.#sec === ZERO_UNIX && this.#nsec === 0
  }

  /** Milliseconds since the Unix epoch, for arithmetic in JavaScript. */
  valueOf(): number {
    return this.UnixMilli()
  }

  toDate(): Date {
    return new Date(this.UnixMilli())
  }

  /** encoding/json: RFC 3339 with nanoseconds. */
  toJSON(): string {
    return this.Format(RFC3339NANO)
  }

  toString(): string {
    return this.String()
  }
}
