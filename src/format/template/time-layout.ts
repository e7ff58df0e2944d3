/**
 * Go's reference-time layouts ("2006-01-02 15:04:05.999999999 -0700 MST"):
 * formatting a civil time with Go's layout elements, plus the civil-date
 * arithmetic behind it (proleptic Gregorian, any year).
 */

export interface Civil {
  year: number
  month: number // 1-12
  day: number
  hour: number
  min: number
  sec: number
  nsec: number
  weekday: number // 0 = Sunday
  yday: number // 1-366
  zoneName: string
  offset: number // seconds east of UTC
}

/** Days since 1970-01-01 → y/m/d (Howard Hinnant's civil_from_days). */
export function civilFromDays(z: number): { year: number; month: number; day: number } {
  z += 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** y/m/d → days since 1970-01-01. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export function civil(unixSec: number, nsec: number, zoneName: string, offset: number): Civil {
  const local = unixSec + offset
  const days = Math.floor(local / 86400)
  const secOfDay = local - days * 86400
  const { year, month, day } = civilFromDays(days)
  return {
    year, month, day,
    hour: Math.floor(secOfDay / 3600),
    min: Math.floor((secOfDay % 3600) / 60),
    sec: secOfDay % 60,
    nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    zoneName,
    offset,
  }
}

const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const longMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const pad = (n: number, w: number) => (n < 0 ? '-' + String(-n).padStart(w, '0') : String(n).padStart(w, '0'))

function zone(c: Civil, z: boolean, colon: boolean, minutes: boolean, seconds: boolean): string {
  if (z && c.offset === 0) return 'Z'
  const abs = Math.abs(c.offset)
  let s = (c.offset < 0 ? '-' : '+') + pad(Math.floor(abs / 3600), 2)
  if (minutes) s += (colon ? ':' : '') + pad(Math.floor((abs % 3600) / 60), 2)
  if (seconds) s += (colon ? ':' : '') + pad(abs % 60, 2)
  return s
}

function fraction(nsec: number, sep: string, n: number, trim: boolean): string {
  let digits = String(nsec).padStart(9, '0').slice(0, n)
  if (trim) {
    digits = digits.replace(/0+$/, '')
    if (digits === '') return ''
  }
  return sep + digits
}

type Elem = [string, (c: Civil) => string]

/** Layout elements, longest first where they share a prefix. */
const elems: Elem[] = [
  ['January', c => longMonths[c.month - 1]!],
  ['Jan', c => longMonths[c.month - 1]!.slice(0, 3)],
  ['Monday', c => longDays[c.weekday]!],
  ['Mon', c => longDays[c.weekday]!.slice(0, 3)],
  ['MST', c => c.zoneName !== '' ? c.zoneName : zone(c, false, false, true, false)],
  ['2006', c => pad(c.year, 4)],
  ['002', c => pad(c.yday, 3)],
  ['01', c => pad(c.month, 2)],
  ['02', c => pad(c.day, 2)],
  ['03', c => pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2)],
  ['04', c => pad(c.min, 2)],
  ['05', c => pad(c.sec, 2)],
  ['06', c => pad(((c.year % 100) + 100) % 100, 2)],
  ['15', c => pad(c.hour, 2)],
  ['1', c => String(c.month)],
  ['2', c => String(c.day)],
  ['__2', c => String(c.yday).padStart(3, ' ')],
  ['_2', c => String(c.day).padStart(2, ' ')],
  ['3', c => String(c.hour % 12 === 0 ? 12 : c.hour % 12)],
  ['4', c => String(c.min)],
  ['5', c => String(c.sec)],
  ['PM', c => (c.hour >= 12 ? 'PM' : 'AM')],
  ['pm', c => (c.hour >= 12 ? 'pm' : 'am')],
  ['-07:00:00', c => zone(c, false, true, true, true)],
  ['-070000', c => zone(c, false, false, true, true)],
  ['-07:00', c => zone(c, false, true, true, false)],
  ['-0700', c => zone(c, false, false, true, false)],
  ['-07', c => zone(c, false, false, false, false)],
  ['Z07:00:00', c => zone(c, true, true, true, true)],
  ['Z070000', c => zone(c, true, false, true, true)],
  ['Z07:00', c => zone(c, true, true, true, false)],
  ['Z0700', c => zone(c, true, false, true, false)],
  ['Z07', c => zone(c, true, false, false, false)],
]

const fracRe = /^[.,](0+|9+)(?![0-9])/

/** time.Time.Format for a civil time. */
export function formatLayout(c: Civil, layout: string): string {
  let out = ''
  let i = 0
  outer: while (i < layout.length) {
    const ch = layout[i]!
    if (ch === '.' || ch === ',') {
      const m = fracRe.exec(layout.slice(i))
      if (m) {
        out += fraction(c.nsec, ch, Math.min(m[1]!.length, 9), m[1]![0] === '9')
        i += m[0].length
        continue
      }
    }
    if (ch === '_' && layout.startsWith('_2006', i)) {
      out += '_' // "_2006" is a literal underscore and the year
      i++
      continue
    }
    for (const [key, f] of elems) {
      if (layout.startsWith(key, i)) {
        // "Jan"/"Mon" followed by a lower-case letter are words ("Month"), not elements
        if ((key === 'Jan' || key === 'Mon') && /^[a-z]/.test(layout[i + 3] ?? '')) continue
        out += f(c)
        i += key.length
        continue outer
      }
    }
    out += ch
    i++
  }
  return out
}
