/**
 * Go's strconv quoting rules (Quote, QuoteRune, Unquote) and unicode.IsPrint,
 * needed for %q, error messages and string constants in templates.
 */

const printRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
const asciiPlain = /^[\x20-\x7e]*$/

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
export function isPrint(ch: string): boolean {
  return printRe.test(ch)
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

function escapeRune(ch: string, quote: string, ascii: boolean): string {
  if (ch === quote || ch === '\\') return '\\' + ch
  const cp = ch.codePointAt(0)!
  if (ascii ? cp < 0x7f && cp >= 0x20 : isPrint(ch) && !(cp >= 0xd800 && cp <= 0xdfff)) return ch
  switch (ch) {
    case '\x07': return '\\a'
    case '\b': return '\\b'
    case '\f': return '\\f'
    case '\n': return '\\n'
    case '\r': return '\\r'
    case '\t': return '\\t'
    case '\v': return '\\v'
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2)
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd' // a lone surrogate is invalid UTF-8 in Go
  if (cp < 0x10000) return '\\u' + hex(cp, 4)
  return '\\U' + hex(cp, 8)
}

/** strconv.Quote (or QuoteToASCII when `ascii`). */
export function goQuote(s: string, ascii = false): string {
  if (asciiPlain.test(s) && !s.includes('"') && !s.includes('\\')) return `"${s}"`
  let out = '"'
  for (const ch of s) out += escapeRune(ch, '"', ascii)
  return out + '"'
}

/** strconv.QuoteRune. */
export function goQuoteRune(cp: number, ascii = false): string {
  const ch = cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp)
  return `'${escapeRune(ch, "'", ascii)}'`
}

/** fmt's %#U: `U+0023 '#'`. */
export function goRuneDesc(ch: string): string {
  const cp = ch === '' ? -1 : ch.codePointAt(0)!
  if (cp < 0) return 'U+FFFFFFFFFFFFFFFF' // Go prints eof (-1) as an unsigned 64-bit value
  const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0')
  return isPrint(ch) ? `${u} '${ch}'` : u
}

/** strconv.CanBackquote, used by %#q. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    if (ch === '`' || ch === '\ufeff') return false
    const cp = ch.codePointAt(0)!
    if (cp < 0x20 && ch !== '\t') return false
    if (cp === 0x7f) return false
  }
  return true
}

export class UnquoteError extends Error {
  constructor() {
    super('invalid syntax')
  }
}

/**
 * strconv.UnquoteChar on `s` at `i`: returns the decoded bytes (a code point
 * or, for \x and octal escapes, a raw byte) and the index after it.
 */
function unquoteOne(s: string, i: number, quote: string): [number[], number] {
  const c = s.codePointAt(i)!
  const ch = String.fromCodePoint(c)
  if (ch === quote && (quote === "'" || quote === '"')) throw new UnquoteError()
  if (ch !== '\\') return [Array.from(Buffer.from(ch)), i + ch.length]
  const e = s[i + 1]
  if (e === undefined) throw new UnquoteError()
  i += 2
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' }
  if (simple[e] !== undefined) return [[simple[e]!.charCodeAt(0)], i]
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
    const digits = s.slice(i, i + n)
    if (digits.length < n || !/^[0-9a-fA-F]+$/.test(digits)) throw new UnquoteError()
    const v = parseInt(digits, 16)
    if (e === 'x') return [[v], i + n]
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new UnquoteError()
    return [Array.from(Buffer.from(String.fromCodePoint(v))), i + n]
  }
  if (e >= '0' && e <= '7') {
    const digits = s.slice(i - 1, i + 2)
    if (!/^[0-7]{3}$/.test(digits)) throw new UnquoteError()
    const v = parseInt(digits, 8)
    if (v > 255) throw new UnquoteError()
    return [[v], i + 2]
  }
  if (e === "'" || e === '"') {
    if (e !== quote) throw new UnquoteError()
    return [[e.charCodeAt(0)], i]
  }
  throw new UnquoteError()
}

/** strconv.Unquote for "…", `…` and '…' literals. Throws UnquoteError. */
export function goUnquote(lit: string): string {
  const q = lit[0]
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new UnquoteError()
  const body = lit.slice(1, -1)
  if (q === '`') {
    if (body.includes('`')) throw new UnquoteError()
    return body.replaceAll('\r', '')
  }
  if (q !== '"' && q !== "'") throw new UnquoteError()
  if (q === '"' && !body.includes('\\') && !body.includes('"') && !body.includes('\n')) return body
  if (body.includes('\n')) throw new UnquoteError()
  const bytes: number[] = []
  let i = 0
  let runes = 0
  while (i < body.length) {
    const [b, j] = unquoteOne(body, i, q)
    bytes.push(...b)
    i = j
    runes++
  }
  if (q === "'" && runes !== 1) throw new UnquoteError()
  return Buffer.from(bytes).toString('utf8')
}

/** The code point of a Go character constant such as 'a' or '\n'. */
export function goCharValue(lit: string): number {
  const body = lit.slice(1, -1)
  if (body === '') throw new UnquoteError()
  const [bytes, end] = unquoteOne(body, 0, "'")
  if (end !== body.length) throw new MalformedCharError(lit)
  if (body[0] === '\\' && (body[1] === 'x' || (body[1]! >= '0' && body[1]! <= '7'))) return bytes[0]!
  return Buffer.from(bytes).toString('utf8').codePointAt(0)!
}

export class MalformedCharError extends Error {
  constructor(lit: string) {
    super(`malformed character constant: ${lit}`)
  }
}
