/**
 * The extra template functions podman adds (containers/common
 * pkg/report DefaultFuncs): join, json, lower, pad, split, title,
 * truncate, upper — with the Go signatures, so type errors read the same.
 */
import { type TemplateFunc, fixed } from './funcs.js'
import { goJson } from './json.js'

/** Map each code point alone, as Go's unicode.ToUpper/ToLower do (no 'ß' → 'SS'). */
function mapRunes(s: string, f: (c: string) => string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return f(s)
  let out = ''
  for (const c of s) {
    const m = f(c)
    out += Array.from(m).length === 1 ? m : c
  }
  return out
}

export const goUpper = (s: string) => mapRunes(s, c => c.toUpperCase())
export const goLower = (s: string) => mapRunes(s, c => c.toLowerCase())

/** strings.Title: upper-case the first letter of each word (words break at non-letters/digits/_). */
export function goTitle(s: string): string {
  let prev = ' '
  let out = ''
  for (const c of s) {
    out += isSeparator(prev) ? mapRunes(c, x => x.toUpperCase()) : c
    prev = c
  }
  return out
}

function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0)!
  if (cp <= 0x7f) return !/[0-9a-zA-Z_]/.test(c)
  if (/[\p{L}\p{Nd}]/u.test(c)) return false
  return /\s/u.test(c)
}

function repeat(n: number): string {
  if (n < 0) throw new Error('strings: negative Repeat count')
  return ' '.repeat(n)
}

/** strings.Split: an empty separator splits after each UTF-8 sequence. */
export function goSplit(s: string, sep: string): string[] {
  return sep === '' ? Array.from(s) : s.split(sep)
}

/** Byte-based s[:n] as podman's truncate does. */
function truncate(s: string, n: number): string {
  const bytes = Buffer.from(s)
  if (bytes.length < n) return s
  if (n < 0) throw new Error(`runtime error: slice bounds out of range [:${n}]`)
  return bytes.length === s.length ? s.slice(0, n) : bytes.subarray(0, n).toString()
}

export const podmanFuncs: Record<string, TemplateFunc> = {
  join: fixed(['[]string', 'string'], (a: string[] | null, sep: string) => (a ?? []).join(sep)),
  // Encoder with SetEscapeHTML(false), trailing newline trimmed.
  json: fixed(['any'], (v: unknown) => {
    try {
      return goJson(v, { escapeHTML: false })
    } catch {
      return '' // podman ignores the encoder's error and prints nothing
    }
  }),
  lower: fixed(['string'], goLower),
  pad: fixed(['string', 'int', 'int'], (s: string, pre: number, post: number) => (s === '' ? s : repeat(pre) + s + repeat(post))),
  split: fixed(['string', 'string'], goSplit),
  title: fixed(['string'], goTitle),
  truncate: fixed(['string', 'int'], truncate),
  upper: fixed(['string'], goUpper),
}
