/**
 * fmt.Sprintf: verbs, flags (#0+- space), widths and precisions (also `*`),
 * argument indexes (%[2]s), and Go's error forms: %!d(MISSING),
 * %!s(BADINDEX), %!(BADWIDTH), %!(NOVERB), %!(EXTRA int=1, string=x).
 */
import { isNilish, noFlags, plainFlags, printValue } from './print.js'
import { typeName } from './values.js'

/** fmt.Sprintf. */
export function sprintf(format: string, args: unknown[]): string {
  const end = format.length
  let out = ''
  let argNum = 0
  let reordered = false
  let good = true
  let afterIndex = false
  let i = 0
  // "[n]" selects argument n (1-based).
  const argNumber = () => {
    afterIndex = false
    if (i >= end || format[i] !== '[') return
    reordered = true
    const close = format.indexOf(']', i + 1)
    if (end - i < 3 || close < 0) {
      i += 1
      good = false
      return
    }
    const digits = format.slice(i + 1, close)
    i = close + 1
    if (!/^\d{1,7}$/.test(digits)) {
      good = false
      return
    }
    const n = Number(digits) - 1
    if (n >= 0 && n < args.length) {
      argNum = n
      afterIndex = true
    } else {
      good = false
      afterIndex = true
    }
  }
  const parseNum = (): number => {
    const m = /^\d+/.exec(format.slice(i, i + 8))
    if (!m) return -1
    i += m[0].length
    return Number(m[0]) > 1e6 ? -1 : Number(m[0])
  }
  const intFromArg = (): number | undefined => {
    if (argNum >= args.length) return undefined
    const a = args[argNum++]
    const n = typeof a === 'bigint' ? Number(a) : typeof a === 'number' && Number.isInteger(a) ? a : NaN
    return Number.isNaN(n) || Math.abs(n) > 1e6 ? undefined : n
  }
  while (i < end) {
    good = true
    const pct = format.indexOf('%', i)
    if (pct < 0) {
      out += format.slice(i)
      break
    }
    out += format.slice(i, pct)
    i = pct + 1
    const f = noFlags()
    let simple = false
    flags: for (; i < end; i++) {
      const c = format[i]!
      switch (c) {
        case '#': f.sharp = true; break
        case '0': f.zero = !f.minus; break
        case '+': f.plus = true; break
        case '-': f.minus = true; f.zero = false; break
        case ' ': f.space = true; break
        default:
          simple = c >= 'a' && c <= 'z' && argNum < args.length
          break flags
      }
    }
    if (!simple) {
      argNumber()
      if (format[i] === '*') {
        i++
        const n = intFromArg()
        if (n === undefined) out += '%!(BADWIDTH)'
        else if (n < 0) {
          f.wid = -n
          f.minus = true
          f.zero = false
        } else f.wid = n
        afterIndex = false
      } else {
        f.wid = parseNum()
        if (afterIndex && f.wid >= 0) good = false
      }
      if (i + 1 < end && format[i] === '.') {
        i++
        if (afterIndex) good = false
        argNumber()
        if (format[i] === '*') {
          i++
          const n = intFromArg()
          f.prec = n === undefined || n < 0 ? -1 : n
          if (n === undefined) out += '%!(BADPREC)'
          afterIndex = false
        } else {
          f.prec = Math.max(parseNum(), 0)
        }
      }
      if (!afterIndex) argNumber()
      if (i >= end) {
        out += '%!(NOVERB)'
        break
      }
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!)
    i += verb.length
    if (verb === '%') {
      out += '%'
      continue
    }
    if (!good) {
      out += `%!${verb}(BADINDEX)`
      continue
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    if (verb === 'v') {
      f.sharpV = f.sharp
      f.sharp = false
      f.plusV = f.plus
      f.plus = false
    }
    out += printValue(args[argNum++], verb === 'w' ? 'v' : verb, f, 0)
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map(a =>
      isNilish(a) ? '<nil>' : `${typeName(a)}=${printValue(a, 'v', plainFlags, 0)}`,
    )
    out += `%!(EXTRA ${extra.join(', ')})`
  }
  return out
}
