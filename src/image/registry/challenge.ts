/**
 * `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="…",service="…",scope="…"`,
 * `Basic realm="…"`. One header may carry several challenges, and a response
 * may carry several headers. Schemes and parameter names are case-insensitive
 * (returned lowercased); quoted values may contain commas and `\"` escapes.
 */
export interface Challenge {
  readonly scheme: string
  readonly params: Readonly<Record<string, string>>
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y
const SPACES = /[ \t]*/y

class Scanner {
  pos = 0
  constructor(readonly s: string) {}
  skipSpaces(): void {
    SPACES.lastIndex = this.pos
    SPACES.exec(this.s)
    this.pos = SPACES.lastIndex
  }
  token(): string | undefined {
    TOKEN.lastIndex = this.pos
    const m = TOKEN.exec(this.s)
    if (!m) return undefined
    this.pos = TOKEN.lastIndex
    return m[0]
  }
  peek(): string | undefined {
    return this.s[this.pos]
  }
  quoted(): string | undefined {
    if (this.s[this.pos] !== '"') return undefined
    let out = ''
    for (let i = this.pos + 1; i < this.s.length; i++) {
      const c = this.s[i]!
      if (c === '\\' && i + 1 < this.s.length) out += this.s[++i]
      else if (c === '"') {
        this.pos = i + 1
        return out
      } else out += c
    }
    return undefined // unterminated
  }
}

/** Parse one header value into its challenges; a malformed piece is skipped up to the next comma. */
function parseOne(value: string, out: Challenge[]): void {
  const s = new Scanner(value)
  let current: { scheme: string; params: Record<string, string> } | undefined
  const skipToComma = () => {
    const next = value.indexOf(',', s.pos)
    s.pos = next < 0 ? value.length : next
  }
  for (;;) {
    s.skipSpaces()
    while (s.peek() === ',') {
      s.pos++
      s.skipSpaces()
    }
    if (s.pos >= value.length) break
    const word = s.token()
    if (word === undefined) {
      skipToComma()
      continue
    }
    s.skipSpaces()
    if (s.peek() === '=') {
      // auth-param: name=value (token or quoted-string), or a token68 blob ("abc==")
      s.pos++
      s.skipSpaces()
      const v = s.peek() === '"' ? s.quoted() : s.token()
      if (v === undefined || !current) skipToComma()
      else current.params[word.toLowerCase()] = v
      continue
    }
    // A new challenge starts with its scheme.
    current = { scheme: word.toLowerCase(), params: {} }
    out.push(current)
  }
}

export function parseChallenges(header: string | readonly string[] | undefined): Challenge[] {
  const out: Challenge[] = []
  if (header === undefined) return out
  for (const value of typeof header === 'string' ? [header] : header) parseOne(value, out)
  return out
}
