/**
 * strconv.FormatFloat(x, fmt, prec, 64) for 'e', 'E', 'f', 'F', 'g', 'G',
 * and the binary forms 'b' (mantissa p exponent) and 'x'/'X' (hex fraction).
 * Shortest forms come from JavaScript's shortest round-trip digits (as
 * Go's); fixed precision rounds the exact binary value half-to-even, as Go.
 */

interface Digits {
  d: string // significant digits, no leading or trailing zeros ('' for zero)
  dp: number // decimal point position relative to d
}

function shortest(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 }
  const [mant, exp] = x.toExponential().split('e') as [string, string]
  const d = mant.replace('.', '').replace(/0+$/, '')
  return { d, dp: Number(exp) + 1 }
}

const view = new DataView(new ArrayBuffer(8))

/** The exact decimal expansion of a finite positive double. */
function exact(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 }
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const bexp = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e2: number
  if (bexp === 0) e2 = -1074
  else {
    mant |= 1n << 52n
    e2 = bexp - 1075
  }
  let s: string
  let dp: number
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString()
    dp = s.length
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString()
    dp = s.length + e2
  }
  const lead = s.length - s.replace(/^0+/, '').length
  return { d: s.slice(lead).replace(/0+$/, ''), dp: dp - lead }
}

/** Round to `nd` significant digits, half to even (the value is exact). */
function round(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: '', dp: 0 }
  if (nd >= x.d.length) return x
  const next = x.d.charCodeAt(nd) - 48
  let up = next > 5
  if (next === 5) up = nd + 1 < x.d.length || (nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1)
  if (!up) return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: x.d.slice(0, nd) === '' ? 0 : x.dp }
  let i = nd - 1
  while (i >= 0 && x.d[i] === '9') i--
  if (i < 0) return { d: '1', dp: x.dp + 1 }
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp }
}

function fmtE(neg: boolean, x: Digits, prec: number, e: string): string {
  let s = neg ? '-' : ''
  s += x.d[0] ?? '0'
  if (prec > 0) {
    s += '.'
    const frac = x.d.slice(1, 1 + prec)
    s += frac + '0'.repeat(prec - frac.length)
  }
  let exp = x.d.length === 0 ? 0 : x.dp - 1
  const sign = exp < 0 ? '-' : '+'
  if (exp < 0) exp = -exp
  return s + e + sign + (exp < 10 ? '0' : '') + exp
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let s = neg ? '-' : ''
  if (x.dp > 0) {
    const int = x.d.slice(0, x.dp)
    s += int + '0'.repeat(x.dp - int.length)
  } else s += '0'
  if (prec > 0) {
    s += '.'
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1
      s += j >= 0 && j < x.d.length ? x.d[j] : '0'
    }
  }
  return s
}

export type FloatVerb = 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'b' | 'x' | 'X'

/** Sign, 53-bit mantissa and binary exponent (unbiased), as strconv decomposes a double. */
function decompose(v: number): { neg: boolean; mant: bigint; exp: number } {
  view.setFloat64(0, v)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  let exp = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  if (exp === 0) exp++
  else mant |= 1n << 52n
  return { neg: hi >>> 31 === 1, mant, exp: exp - 1023 }
}

const u64 = (x: bigint) => BigInt.asUintN(64, x)

function fmtB(v: number): string {
  const { neg, mant, exp } = decompose(v)
  const e = exp - 52
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`
}

function fmtX(v: number, prec: number, upper: boolean): string {
  let { neg, mant, exp } = decompose(v)
  if (mant === 0n) exp = 0
  mant = u64(mant << 8n) // leading 1 at bit 60
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant = u64(mant << 1n)
    exp--
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4)
    const extra = u64(mant << shift) & ((1n << 60n) - 1n)
    mant >>= 60n - shift
    if ((extra | (mant & 1n)) > 1n << 59n) mant++
    mant = u64(mant << (60n - shift))
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n
      exp++
    }
  }
  let s = (neg ? '-' : '') + '0x' + String((mant >> 60n) & 1n)
  mant = u64(mant << 4n)
  const digit = () => {
    const d = ((mant >> 60n) & 15n).toString(16)
    mant = u64(mant << 4n)
    return d
  }
  if (prec < 0 && mant !== 0n) {
    s += '.'
    while (mant !== 0n) s += digit()
  } else if (prec > 0) {
    s += '.'
    for (let i = 0; i < prec; i++) s += digit()
  }
  s += 'p' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0')
  return upper ? s.toUpperCase() : s
}

/** strconv.FormatFloat; prec < 0 means the shortest representation. */
export function formatFloat(v: number, fmt: FloatVerb, prec: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  if (fmt === 'b') return fmtB(v)
  if (fmt === 'x' || fmt === 'X') return fmtX(v, prec, fmt === 'X')
  const neg = v < 0 || Object.is(v, -0)
  const abs = Math.abs(v)
  const isShortest = prec < 0
  let digs: Digits
  if (isShortest) {
    digs = shortest(abs)
    switch (fmt) {
      case 'e': case 'E': prec = Math.max(digs.d.length - 1, 0); break
      case 'f': case 'F': prec = Math.max(digs.d.length - digs.dp, 0); break
      default: prec = digs.d.length
    }
  } else {
    const ex = exact(abs)
    switch (fmt) {
      case 'e': case 'E': digs = round(ex, prec + 1); break
      case 'f': case 'F': digs = round(ex, ex.dp + prec); break
      default:
        if (prec === 0) prec = 1
        digs = round(ex, prec)
    }
  }
  switch (fmt) {
    case 'e': case 'E': return fmtE(neg, digs, prec, fmt)
    case 'f': case 'F': return fmtF(neg, digs, prec)
  }
  let eprec = prec
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length
  if (isShortest) eprec = 6
  const exp = digs.dp - 1
  if (exp < -4 || exp >= eprec) {
    if (prec > digs.d.length) prec = digs.d.length
    return fmtE(neg, digs, prec - 1, fmt === 'g' ? 'e' : 'E')
  }
  if (prec > digs.dp) prec = digs.d.length
  return fmtF(neg, digs, Math.max(prec - digs.dp, 0))
}
