/**
 * The escapers behind the html, js and urlquery template functions
 * (template.HTMLEscapeString, template.JSEscapeString, url.QueryEscape).
 */
import { isPrint } from './quote.js'

const htmlRe = /["'&<>\0]/g
const htmlMap: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\ufffd' }

export function htmlEscape(s: string): string {
  return s.replace(htmlRe, c => htmlMap[c]!)
}

const jsSpecial = /[\\'"<>&=\x00-\x1f]|[^\x00-\x7f]/gu
const jsMap: Record<string, string> = {
  '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D',
}

export function jsEscape(s: string): string {
  return s.replace(jsSpecial, c => {
    const m = jsMap[c]
    if (m !== undefined) return m
    const cp = c.codePointAt(0)!
    if (cp < 0x20) return '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0')
    if (isPrint(c)) return c
    return '\\u' + cp.toString(16).toUpperCase().padStart(4, '0')
  })
}

/** url.QueryEscape: unreserved bytes stay, space becomes '+', the rest %XX. */
export function urlQueryEscape(s: string): string {
  if (/^[A-Za-z0-9\-_.~]*$/.test(s)) return s
  let out = ''
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b)
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c
    else if (c === ' ') out += '+'
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}
