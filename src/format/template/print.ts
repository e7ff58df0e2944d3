/**
 * How Go's fmt prints one value under a verb and flags (%v %d %s %q %x %f …,
 * widths, precision, and bad-verb forms like %!d(string=x)), plus Sprint and
 * Sprintln. Structs print as {a b}, maps as map[k:v] with sorted keys,
 * slices as [a b], nil as <nil>; values with a String() method use it.
 */
import { type FloatVerb, formatFloat } from './float.js'
import { canBackquote, goQuote, goQuoteRune, isPrint } from './quote.js'
import {
  Kind, NIL_IFACE, NO_VALUE, findMethod, isGoInt, kindOf, mapSortedEntries, stringer, structFields, typeName,
} from './values.js'

export interface Flags {
  plus: boolean
  minus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  plusV: boolean
  sharpV: boolean
  wid: number // -1 when absent
  prec: number // -1 when absent
}

export const noFlags = (): Flags => ({
  plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, wid: -1, prec: -1,
})
export const plainFlags = noFlags()

/** Number of code points, as utf8.RuneCountInString. */
export function runeCount(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) n--
  }
  return n
}

function padding(f: Flags, n: number): string {
  return n > 0 ? (f.zero ? '0' : ' ').repeat(n) : ''
}

function pad(f: Flags, s: string): string {
  if (f.wid <= 0) return s
  const p = padding(f, f.wid - runeCount(s))
  return f.minus ? s + p : p + s
}

// --- leaves ---
function fmtBool(b: boolean, verb: string, f: Flags): string {
  return verb === 't' || verb === 'v' ? pad(f, b ? 'true' : 'false') : badVerb(b, verb, f)
}

function fmtInteger(v: number | bigint, verb: string, f: Flags): string {
  const neg = v < 0
  const abs = neg ? -v : v
  let base = 10
  let upper = false
  switch (verb) {
    case 'v':
      if (f.sharpV) return String(v)
      break
    case 'd': break
    case 'b': base = 2; break
    case 'o': case 'O': base = 8; break
    case 'x': base = 16; break
    case 'X': base = 16; upper = true; break
    case 'c': return pad({ ...f, zero: false }, codePoint(v))
    case 'q': return pad({ ...f, zero: false }, goQuoteRune(Number(v), f.plus))
    case 'U': return fmtUnicode(v, f)
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
      // JS cannot tell an integral float64 from an int; print it as the float it may be.
      if (typeof v === 'number') return fmtFloat(v, verb, f)
      return badVerb(v, verb, f)
    default:
      return badVerb(v, verb, f)
  }
  let digits = abs.toString(base)
  if (upper) digits = digits.toUpperCase()
  let prec = 0
  if (f.prec >= 0) {
    prec = f.prec
    if (prec === 0 && abs == 0) return padding({ ...f, zero: false }, f.wid)
  } else if (f.zero && f.wid >= 0) {
    prec = f.wid
    if (neg || f.plus || f.space) prec--
  }
  if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits
  if (f.sharp) {
    if (base === 2) digits = '0b' + digits
    else if (base === 8 && digits[0] !== '0') digits = '0' + digits
    else if (base === 16) digits = (upper ? '0X' : '0x') + digits
  }
  if (verb === 'O') digits = '0o' + digits
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : ''
  return pad({ ...f, zero: false }, sign + digits)
}

const codePoint = (n: number | bigint) => {
  const cp = Number(n)
  return cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp)
}

function fmtUnicode(n: number | bigint, f: Flags): string {
  const u = BigInt.asUintN(64, BigInt(n)) // Go formats the value as a uint64
  let s = 'U+' + u.toString(16).toUpperCase().padStart(f.prec > 4 ? f.prec : 4, '0')
  if (f.sharp && Number(n) <= 0x10ffff && isPrint(codePoint(n))) s += ` '${codePoint(n)}'`
  return pad({ ...f, zero: false }, s)
}

function fmtFloat(v: number, verb: string, f: Flags): string {
  let fv: FloatVerb
  let prec: number
  switch (verb) {
    case 'v': fv = 'g'; prec = -1; break
    case 'b': case 'g': case 'G': case 'x': case 'X': fv = verb; prec = -1; break
    case 'e': case 'E': case 'f': case 'F': fv = verb; prec = 6; break
    default: return badVerb(v, verb, f)
  }
  if (f.prec >= 0) prec = f.prec
  let num = formatFloat(v, fv, prec)
  if (num[0] !== '-' && num[0] !== '+') num = '+' + num
  if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1)
  if (num[1] === 'I' || num[1] === 'N') {
    if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1)
    return pad({ ...f, zero: false }, num)
  }
  if (f.sharp && verb !== 'b') num = sharpFloat(num, verb, prec)
  if (f.plus || num[0] !== '+') {
    if (f.zero && f.wid > num.length) return num[0] + padding(f, f.wid - num.length) + num.slice(1)
    return pad(f, num)
  }
  return pad(f, num.slice(1))
}

/** The # flag: always a decimal point, and trailing zeros kept (to 6 significant digits for %g/%v/%x). */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x' ? (prec === -1 ? 6 : prec) : 0
  let tail = ''
  let hasPoint = false
  let sawNonzero = false
  for (let i = 1; i < num.length; i++) {
    const c = num[i]!
    if (c === '.') hasPoint = true
    else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = num.slice(i)
      num = num.slice(0, i)
      break
    } else {
      if (c !== '0') sawNonzero = true
      if (sawNonzero) digits--
    }
  }
  if (!hasPoint) {
    if (num.length === 2 && num[1] === '0') digits--
    num += '.'
  }
  if (digits > 0) num += '0'.repeat(digits)
  return num + tail
}

function truncate(s: string, f: Flags): string {
  if (f.prec < 0) return s
  const runes = Array.from(s)
  return runes.length > f.prec ? runes.slice(0, f.prec).join('') : s
}

function fmtHexString(s: string, f: Flags, upper: boolean): string {
  let bytes: Uint8Array = Buffer.from(s)
  if (f.prec >= 0 && f.prec < bytes.length) bytes = bytes.subarray(0, f.prec)
  if (bytes.length === 0) return f.wid > 0 ? padding(f, f.wid) : ''
  const prefix = f.sharp ? (upper ? '0X' : '0x') : ''
  let out = ''
  bytes.forEach((b, i) => {
    if (f.space && i > 0) out += ' ' + prefix
    else if (i === 0) out += prefix
    out += b.toString(16).padStart(2, '0')
  })
  if (upper) out = out.toUpperCase()
  return pad(f, out)
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
      if (f.sharpV) return goQuote(s)
      return pad(f, truncate(s, f))
    case 's': return pad(f, truncate(s, f))
    case 'x': return fmtHexString(s, f, false)
    case 'X': return fmtHexString(s, f, true)
    case 'q': {
      const t = truncate(s, f)
      if (f.sharp && canBackquote(t)) return pad(f, '`' + t + '`')
      return pad(f, goQuote(t, f.plus))
    }
  }
  return badVerb(s, verb, f)
}

// --- the general printer ---
function badVerb(v: unknown, verb: string, f: Flags): string {
  if (isNilish(v)) return `%!${verb}(<nil>)`
  return `%!${verb}(${typeName(v)}=${printValue(v, 'v', f, 0)})`
}

export function printValue(v: unknown, verb: string, f: Flags, depth: number): string {
  if (verb === 'T' && depth === 0) return pad(f, truncate(isNilish(v) ? '<nil>' : typeName(v), f))
  switch (typeof v) {
    case 'string': return fmtString(v, verb, f)
    case 'number': return isGoInt(v) ? fmtInteger(v, verb, f) : fmtFloat(v, verb, f)
    case 'boolean': return fmtBool(v, verb, f)
    case 'bigint': return fmtInteger(v, verb, f)
    case 'undefined': return printNilInterface(verb, f, depth)
    case 'function': return badVerb(v, verb, f)
    case 'symbol': return v === NO_VALUE || v === NIL_IFACE ? printNilInterface(verb, f, depth) : badVerb(v, verb, f)
  }
  if (v === null) return printNilPointer(verb, f)
  if (f.sharpV) {
    const gs = findMethod(v as object, 'GoString')
    if (gs?.kind === 'func') return pad(f, String(gs.fn()))
  } else {
    const str = stringer(v as object)
    if (str !== undefined && 'vsxXq'.includes(verb)) return fmtString(str(), verb, f)
  }
  switch (kindOf(v)) {
    case Kind.Slice: {
      const items = (v as unknown[]).map(x => printValue(x ?? undefined, verb, f, depth + 1))
      return f.sharpV ? `${typeName(v)}{${items.join(', ')}}` : `[${items.join(' ')}]`
    }
    case Kind.Map: {
      const items = mapSortedEntries(v as object).map(
        ([k, x]) => `${printValue(k, verb, f, depth + 1)}:${printValue(x ?? undefined, verb, f, depth + 1)}`,
      )
      return f.sharpV ? `${typeName(v)}{${items.join(', ')}}` : `map[${items.join(' ')}]`
    }
    default: {
      const names = f.plusV || f.sharpV
      const items = structFields(v as object).map(
        ([k, x]) => (names ? k + ':' : '') + printValue(x, verb, f, depth + 1),
      )
      return f.sharpV ? `${typeName(v)}{${items.join(', ')}}` : `{${items.join(' ')}}`
    }
  }
}

export const isNilish = (v: unknown) => v === null || v === undefined || v === NO_VALUE || v === NIL_IFACE

/**
 * Two nils, as in Go: `undefined` (and a nil read from a slice or map) is a
 * nil interface{}; `null` (a nil struct field) is a nil pointer.
 */
function printNilInterface(verb: string, f: Flags, depth: number): string {
  if (depth > 0) return f.sharpV ? 'interface {}(nil)' : '<nil>'
  return verb === 'v' ? pad(f, '<nil>') : badVerb(null, verb, f)
}

function printNilPointer(verb: string, f: Flags): string {
  switch (verb) {
    case 'v': return f.sharpV ? '<nil>' : pad(f, '<nil>')
    case 'p': return pad(f, '0x0')
    case 'b': case 'o': case 'd': case 'x': case 'X': return fmtInteger(0, verb, f)
  }
  return badVerb(null, verb, f)
}

/** fmt.Sprint of one operand: how template actions print values. */
export function sprintValue(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && isGoInt(v)) return String(v)
  return printValue(v, 'v', plainFlags, 0)
}

const isGoString = (v: unknown) => typeof v === 'string'

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = ''
  args.forEach((a, i) => {
    if (i > 0 && !isGoString(a) && !isGoString(args[i - 1])) out += ' '
    out += sprintValue(a)
  })
  return out
}

/** fmt.Sprintln: always spaces, then a newline. */
export function sprintln(args: unknown[]): string {
  return args.map(sprintValue).join(' ') + '\n'
}
