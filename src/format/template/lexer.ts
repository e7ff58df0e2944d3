/**
 * Lexer for Go text/template: splits the input into text, delimiters and the
 * tokens inside actions, with Go's trim markers (`{{- ` / ` -}}`), comments
 * and error items. Positions are JS string indices; lines are 1-based.
 */
import { goQuote, goRuneDesc } from './quote.js'

export const enum T {
  Error, Bool, Char, CharConstant, Complex, Assign, Declare, EOF, Field, Identifier, LeftDelim,
  LeftParen, Number, Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable,
  Keyword, // values above are keywords
  Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

export interface Item {
  typ: T
  pos: number
  val: string
  line: number
}

const keywords: Record<string, T> = {
  '.': T.Dot, block: T.Block, break: T.Break, continue: T.Continue, define: T.Define, else: T.Else,
  end: T.End, if: T.If, range: T.Range, nil: T.Nil, template: T.Template, with: T.With,
}

const LEFT = '{{'
const RIGHT = '}}'

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n'
const alnumRe = /^[_\p{L}\p{Nd}]$/u
export const isAlphaNumeric = (c: string) => c !== '' && alnumRe.test(c)
const hasLeftTrim = (s: string, i: number) => s[i] === '-' && isSpace(s[i + 1] ?? '')
const hasRightTrim = (s: string, i: number) => isSpace(s[i] ?? '') && s[i + 1] === '-'

/** How Go prints an item in "unexpected X in Y" errors. */
export function itemString(it: Item): string {
  if (it.typ === T.EOF) return 'EOF'
  if (it.typ === T.Error) return it.val
  if (it.typ > T.Keyword) return `<${it.val}>`
  const runes = Array.from(it.val)
  if (runes.length > 10) return goQuote(runes.slice(0, 10).join('')) + '...'
  return goQuote(it.val)
}

export function lex(input: string, breakOK = true, continueOK = true): Item[] {
  const items: Item[] = []
  let pos = 0
  let start = 0
  let line = 1
  let startLine = 1
  let parenDepth = 0

  const emit = (typ: T) => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: startLine })
    start = pos
    startLine = line
  }
  const ignore = () => {
    line += countNewlines(input, start, pos)
    start = pos
    startLine = line
  }
  const fail = (msg: string) => {
    items.push({ typ: T.Error, pos: start, val: msg, line: startLine })
  }
  // next(): one code point, tracking lines like Go's lexer does.
  const next = (): string => {
    if (pos >= input.length) {
      pos = input.length + 1 // marks EOF so backup() is a no-op
      return ''
    }
    const cp = input.codePointAt(pos)!
    const c = String.fromCodePoint(cp)
    pos += c.length
    if (c === '\n') line++
    return c
  }
  const backup = () => {
    if (pos > input.length) {
      pos = input.length
      return
    }
    if (pos === 0) return
    let w = 1
    const lo = input.charCodeAt(pos - 1)
    if (lo >= 0xdc00 && lo <= 0xdfff && pos >= 2) {
      const hi = input.charCodeAt(pos - 2)
      if (hi >= 0xd800 && hi <= 0xdbff) w = 2
    }
    pos -= w
    if (input[pos] === '\n') line--
  }
  const peek = () => {
    const c = next()
    backup()
    return c
  }
  const atEOF = () => pos >= input.length
  const accept = (valid: string) => {
    const c = next()
    if (c !== '' && valid.includes(c)) return true
    backup()
    return false
  }
  const acceptRun = (valid: string) => {
    for (;;) {
      const c = next()
      if (c === '' || !valid.includes(c)) break
    }
    backup()
  }
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrim(input, pos) && input.startsWith(RIGHT, pos + 2)) return [true, true]
    if (input.startsWith(RIGHT, pos)) return [true, false]
    return [false, false]
  }
  const atTerminator = () => {
    const c = peek()
    if (c === '' || isSpace(c)) return true
    if ('.,|:)('.includes(c)) return true
    return input.startsWith(RIGHT, pos)
  }
  const skipLeadingSpace = () => {
    while (pos < input.length && isSpace(input[pos]!)) pos++
  }

  const scanNumber = (): boolean => {
    accept('+-')
    let digits = '0123456789_'
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_'
      else if (accept('oO')) digits = '01234567_'
      else if (accept('bB')) digits = '01_'
    }
    acceptRun(digits)
    if (accept('.')) acceptRun(digits)
    if (digits.length === 11 && accept('eE')) {
      accept('+-')
      acceptRun('0123456789_')
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-')
      acceptRun('0123456789_')
    }
    accept('i')
    if (isAlphaNumeric(peek())) {
      next()
      return false
    }
    return true
  }

  // The state machine, flattened: each case returns the next state or null.
  type State = 'text' | 'leftDelim' | 'comment' | 'rightDelim' | 'inside' | null
  const lexText = (): State => {
    const x = input.indexOf(LEFT, pos)
    if (x >= 0) {
      pos = x
      let trim = 0
      if (hasLeftTrim(input, pos + LEFT.length)) {
        const before = input.slice(start, pos)
        trim = before.length - before.replace(/[ \t\r\n]+$/, '').length
      }
      pos -= trim
      if (pos > start) {
        line += countNewlines(input, start, pos)
        emit(T.Text)
      }
      pos += trim
      ignore()
      return 'leftDelim'
    }
    pos = input.length
    if (pos > start) {
      line += countNewlines(input, start, pos)
      emit(T.Text)
    }
    emit(T.EOF)
    return null
  }
  const lexLeftDelim = (): State => {
    pos += LEFT.length
    const trim = hasLeftTrim(input, pos)
    const after = trim ? 2 : 0
    if (input.startsWith('/*', pos + after)) {
      pos += after
      ignore()
      return 'comment'
    }
    emit(T.LeftDelim)
    pos += after
    ignore()
    parenDepth = 0
    return 'inside'
  }
  const lexComment = (): State => {
    pos += 2
    const i = input.indexOf('*/', pos)
    if (i < 0) {
      fail('unclosed comment')
      return null
    }
    pos = i + 2
    const [delim, trim] = atRightDelim()
    if (!delim) {
      fail('comment ends before closing delimiter')
      return null
    }
    if (trim) pos += 2
    pos += RIGHT.length
    if (trim) skipLeadingSpace()
    ignore()
    return 'text'
  }
  const lexRightDelim = (): State => {
    const trim = hasRightTrim(input, pos)
    if (trim) {
      pos += 2
      ignore()
    }
    pos += RIGHT.length
    emit(T.RightDelim)
    if (trim) {
      skipLeadingSpace()
      ignore()
    }
    return 'text'
  }
  const lexSpace = (): State => {
    let n = 0
    while (isSpace(peek())) {
      next()
      n++
    }
    if (hasRightTrim(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
      backup()
      if (n === 1) return lexRightDelim()
    }
    emit(T.Space)
    return 'inside'
  }
  const lexFieldOrVariable = (typ: T): State => {
    if (atTerminator()) {
      emit(typ === T.Variable ? T.Variable : T.Dot)
      return 'inside'
    }
    let c: string
    for (;;) {
      c = next()
      if (!isAlphaNumeric(c)) {
        backup()
        break
      }
    }
    if (!atTerminator()) {
      fail(`bad character ${goRuneDesc(c)}`)
      return null
    }
    emit(typ)
    return 'inside'
  }
  const lexIdentifier = (): State => {
    for (;;) {
      const c = next()
      if (isAlphaNumeric(c)) continue
      backup()
      const word = input.slice(start, pos)
      if (!atTerminator()) {
        fail(`bad character ${goRuneDesc(c)}`)
        return null
      }
      const kw = keywords[word]
      if (kw !== undefined && kw > T.Keyword) {
        if ((kw === T.Break && !breakOK) || (kw === T.Continue && !continueOK)) emit(T.Identifier)
        else emit(kw)
      } else if (word === 'true' || word === 'false') emit(T.Bool)
      else emit(T.Identifier)
      return 'inside'
    }
  }
  const lexQuoted = (quote: string, typ: T, what: string): State => {
    for (;;) {
      let c = next()
      if (c === '\\') {
        c = next()
        if (c !== '' && c !== '\n') continue
      }
      if (c === '' || c === '\n') {
        fail(`unterminated ${what}`)
        return null
      }
      if (c === quote) break
    }
    emit(typ)
    return 'inside'
  }
  const lexNumber = (): State => {
    if (!scanNumber()) {
      fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`)
      return null
    }
    const sign = peek()
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') {
        fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`)
        return null
      }
      emit(T.Complex)
    } else emit(T.Number)
    return 'inside'
  }
  const lexInside = (): State => {
    const [delim] = atRightDelim()
    if (delim) {
      if (parenDepth === 0) return lexRightDelim()
      fail('unclosed left paren')
      return null
    }
    const c = next()
    if (c === '') {
      fail('unclosed action')
      return null
    }
    if (isSpace(c)) {
      backup()
      return lexSpace()
    }
    switch (c) {
      case '=':
        emit(T.Assign)
        return 'inside'
      case ':':
        if (next() !== '=') {
          fail('expected :=')
          return null
        }
        emit(T.Declare)
        return 'inside'
      case '|':
        emit(T.Pipe)
        return 'inside'
      case '"':
        return lexQuoted('"', T.String, 'quoted string')
      case '`':
        for (;;) {
          const r = next()
          if (r === '') {
            fail('unterminated raw quoted string')
            return null
          }
          if (r === '`') break
        }
        emit(T.RawString)
        return 'inside'
      case '$':
        if (atTerminator()) {
          emit(T.Variable)
          return 'inside'
        }
        return lexFieldOrVariable(T.Variable)
      case "'":
        return lexQuoted("'", T.CharConstant, 'character constant')
      case '(':
        emit(T.LeftParen)
        parenDepth++
        return 'inside'
      case ')':
        emit(T.RightParen)
        parenDepth--
        if (parenDepth < 0) {
          fail(`unexpected right paren ${goRuneDesc(c)}`)
          return null
        }
        return 'inside'
    }
    if (c === '.' && !atEOF()) {
      const d = input[pos]!
      if (d < '0' || d > '9') return lexFieldOrVariable(T.Field)
    }
    if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
      backup()
      return lexNumber()
    }
    if (isAlphaNumeric(c)) {
      backup()
      return lexIdentifier()
    }
    const code = c.codePointAt(0)!
    if (code < 0x7f && code >= 0x20) {
      emit(T.Char)
      return 'inside'
    }
    fail(`unrecognized character in action: ${goRuneDesc(c)}`)
    return null
  }

  let state: State = 'text'
  while (state !== null) {
    switch (state) {
      case 'text': state = lexText(); break
      case 'leftDelim': state = lexLeftDelim(); break
      case 'comment': state = lexComment(); break
      case 'rightDelim': state = lexRightDelim(); break
      case 'inside': state = lexInside(); break
    }
  }
  return items
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++
  return n
}
