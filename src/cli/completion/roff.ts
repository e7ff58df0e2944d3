/**
 * Escaping for man(7) source. The command classes' texts are markdown-ish
 * (`code` in backticks, `--flags` in prose, the odd `…`); a man page must
 * not let any of that be read as roff: a backslash starts an escape, a line
 * that begins with `.` or `'` is a request, `-` in an option must be `\-`
 * (a real hyphen-minus when copied, not a typographic hyphen), and
 * non-ASCII text is written as `\[uXXXX]` so the source is plain ASCII.
 */

/** Escapes that are always needed: backslashes and non-ASCII characters. */
function escapeChars(s: string): string {
  let out = ''
  for (const ch of s) {
    const code = ch.codePointAt(0)!
    if (ch === '\\') out += '\\e'
    else if (code > 126) out += `\\[u${code.toString(16).toUpperCase().padStart(4, '0')}]`
    else if (code < 32) out += ' '
    else out += ch
  }
  return out
}

/** A line of text: a leading `.` or `'` must not make it a request. */
function guardLine(line: string): string {
  return /^[.']/.test(line) ? `\\&${line}` : line
}

/** Literal text (an option name, a command line): every `-` is a minus. */
export function roffLiteral(s: string): string {
  return escapeChars(s).replaceAll('-', '\\-')
}

/**
 * Prose: `code` becomes bold and literal; a `-` that starts a word (an option
 * named in the text) is a minus; hyphens inside words stay hyphens.
 */
export function roffProse(s: string): string {
  const parts = s.split('`')
  return parts
    .map((part, i) => {
      // An odd part is inside backticks (an unmatched last backtick is kept as text).
      if (i % 2 === 1 && i < parts.length - 1) return `\\fB${roffLiteral(part)}\\fR`
      const text = i % 2 === 1 ? '`' + part : part
      return escapeChars(text).replace(/(^|[\s(\["'=,/])(-+)/g, (_, before: string, dashes: string) => before + '\\-'.repeat(dashes.length))
    })
    .join('')
}

/** Paragraphs of prose (separated by blank lines in the source), as roff lines with `.PP` between them. */
export function roffParagraphs(text: string): string[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map(p => p.split('\n').map(l => l.trim()).filter(l => l !== '').join(' '))
    .filter(p => p !== '')
  return paragraphs.flatMap((p, i) => [...(i > 0 ? ['.PP'] : []), guardLine(roffProse(p))])
}

/** One line of literal text in a no-fill block (examples). */
export function roffCodeLine(s: string): string {
  return guardLine(roffLiteral(s))
}

/** One line of prose. */
export function roffLine(s: string): string {
  return guardLine(roffProse(s))
}
