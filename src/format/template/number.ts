/**
 * Numeric constants in templates, classified as Go's parse.NumberNode does
 * (IsInt / IsUint / IsFloat) using strconv's base-0 integer syntax.
 */
import type { NumberNode } from './ast.js'
import { goCharValue } from './quote.js'
import { goQuote } from './quote.js'

const INT64_MAX = (1n << 63n) - 1n
const INT64_MIN = -(1n << 63n)
const UINT64_MAX = (1n << 64n) - 1n

const intForms: [RegExp, string][] = [
  [/^0[xX]_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/, '0x'],
  [/^0[oO]_?[0-7]+(_[0-7]+)*$/, '0o'],
  [/^0[bB]_?[01]+(_[01]+)*$/, '0b'],
  [/^0_?[0-7]+(_[0-7]+)*$/, '0o'], // legacy octal: leading zero
  [/^(0|[1-9](_?[0-9])*)$/, ''],
]

/** strconv.ParseInt(s, 0, 64)-style parse without range checks; null if not an integer literal. */
function parseInteger(text: string): bigint | null {
  let s = text
  let neg = false
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  for (const [re, prefix] of intForms) {
    if (!re.test(s)) continue
    const digits = s.replaceAll('_', '')
    const body = prefix === '' ? digits : prefix + (prefix === '0o' && /^0[0-7]/.test(digits) ? digits.slice(1) : digits.slice(2))
    const v = BigInt(body)
    return neg ? -v : v
  }
  return null
}

const decFloat = /^[+-]?(\d(_?\d)*)?(\.(\d(_?\d)*)?)?([eE][+-]?\d(_?\d)*)?$/
const hexFloat = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/

/** strconv.ParseFloat(s, 64) for the forms the lexer accepts; null on syntax error. */
function parseFloat64(text: string): number | null {
  if (decFloat.test(text) && /\d/.test(text)) return Number(text.replaceAll('_', ''))
  const m = hexFloat.exec(text)
  if (!m) return null
  const int = m[2]!.replaceAll('_', '')
  const frac = (m[3] ?? '').replaceAll('_', '')
  if (int + frac === '') return null
  const mant = parseInt(int + frac || '0', 16)
  const v = mant * 2 ** (Number(m[4]!.replaceAll('_', '')) - 4 * frac.length)
  return m[1] === '-' ? -v : v
}

const toJs = (v: bigint): number | bigint => (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v)

export function parseNumber(pos: number, text: string, isChar: boolean, isComplex: boolean): NumberNode {
  const n: NumberNode = { type: 'number', pos, text, isInt: false, isUint: false, isFloat: false, int: 0, float: 0 }
  if (isChar) {
    const cp = goCharValue(text)
    return { ...n, isInt: true, isUint: true, isFloat: true, int: cp, float: cp }
  }
  if (isComplex || text.endsWith('i')) {
    // Complex numbers have no JavaScript counterpart.
    throw new Error(`complex constants are not supported: ${goQuote(text)}`)
  }
  const i = parseInteger(text)
  if (i !== null && i >= 0n && i <= UINT64_MAX && text[0] !== '-') n.isUint = true
  if (i !== null && i >= INT64_MIN && i <= INT64_MAX) n.isInt = true
  if (i !== null && i === 0n) n.isUint = true // -0
  if (n.isInt || n.isUint) {
    n.int = toJs(i!)
    n.isFloat = true
    n.float = Number(i!)
    return n
  }
  const f = parseFloat64(text)
  if (f !== null && Number.isFinite(f)) {
    if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${goQuote(text)}`)
    n.isFloat = true
    n.float = f
    if (Number.isInteger(f)) {
      const b = BigInt(f)
      if (b >= INT64_MIN && b <= INT64_MAX) {
        n.isInt = true
        n.int = toJs(b)
      }
      if (b >= 0n && b <= UINT64_MAX) {
        n.isUint = true
        n.int = toJs(b)
      }
    }
    return n
  }
  if (i !== null) throw new Error(`integer overflow: ${goQuote(text)}`)
  throw new Error(`illegal number syntax: ${goQuote(text)}`)
}
