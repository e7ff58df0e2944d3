/**
 * JSON encoding as Go's encoding/json does it: struct fields in declaration
 * order, map keys sorted, Go's string escaping (\u003c for <, >, & when
 * escapeHTML; \u0008 and \u000c; \u2028 and \u2029), and json.MarshalIndent's
 * layout. Values with toJSON() (GoTime, Date) encode what it returns.
 */
import { Kind, NIL_IFACE, NO_VALUE, compareUtf8, kindOf, structFields } from './values.js'

export interface GoJsonOptions {
  /** Indent unit (json.MarshalIndent / Encoder.SetIndent); compact when empty. */
  indent?: string
  prefix?: string
  /** Go's default is true; podman's `json` template function and Encoders in podman turn it off. */
  escapeHTML?: boolean
}

const hex = '0123456789abcdef'
const plain = /^[^"\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]*$/

function quote(s: string, escapeHTML: boolean): string {
  if (plain.test(s)) return `"${s}"`
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x22) out += '\\"'
    else if (c === 0x5c) out += '\\\\'
    else if (c === 0x0a) out += '\\n'
    else if (c === 0x0d) out += '\\r'
    else if (c === 0x09) out += '\\t'
    else if (c < 0x20 || (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += '\\u00' + hex[c >> 4] + hex[c & 0xf]
    } else if (c === 0x2028 || c === 0x2029) out += '\\u202' + hex[c & 0xf]
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!
        i++
      } else out += '\\ufffd'
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd' // invalid UTF-8 in Go
    else out += s[i]
  }
  return out + '"'
}

function number(n: number): string {
  if (!Number.isFinite(n)) return 'null'
  if (Object.is(n, -0)) return '-0'
  return String(n) // same thresholds and shortest digits as Go's float encoding
}

/** encoding/json sorts map keys by their string form, bytewise. */
function sortedByKeyString(m: object): [string, unknown][] {
  const entries: [unknown, unknown][] = m instanceof Map ? [...m.entries()] : Object.entries(m)
  return entries.map(([k, v]): [string, unknown] => [String(k), v]).sort((a, b) => compareUtf8(a[0], b[0]))
}

export function goJson(value: unknown, opts: GoJsonOptions = {}): string {
  const indent = opts.indent ?? ''
  const prefix = opts.prefix ?? ''
  const escapeHTML = opts.escapeHTML ?? true
  const seen = new Set<object>()

  const enc = (v: unknown, depth: number): string | undefined => {
    switch (typeof v) {
      case 'string': return quote(v, escapeHTML)
      case 'number': return number(v)
      case 'boolean': return v ? 'true' : 'false'
      case 'bigint': return v.toString()
      case 'undefined': return 'null'
      case 'function': return undefined
      case 'symbol': return v === NO_VALUE || v === NIL_IFACE ? 'null' : undefined
    }
    if (v === null) return 'null'
    const toJSON = (v as { toJSON?: () => unknown }).toJSON
    if (typeof toJSON === 'function') return enc(toJSON.call(v), depth)
    if (ArrayBuffer.isView(v)) return quote(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'), false)
    if (seen.has(v as object)) throw new TypeError('json: unsupported value: encountered a cycle')
    seen.add(v as object)
    try {
      const kind = kindOf(v)
      const pairs: [string, string][] = []
      if (kind === Kind.Slice) {
        const items = (v as unknown[]).map(x => enc(x, depth + 1) ?? 'null')
        return wrap('[', ']', items, depth)
      }
      const entries = kind === Kind.Map ? sortedByKeyString(v as object) : structFields(v as object)
      for (const [k, x] of entries) {
        if (kind === Kind.Struct && x === undefined) continue // like an omitempty field
        const e = enc(x, depth + 1)
        if (e === undefined) continue
        pairs.push([quote(k, escapeHTML), e])
      }
      return wrap('{', '}', pairs.map(([k, e]) => k + (indent || prefix ? ': ' : ':') + e), depth)
    } finally {
      seen.delete(v as object)
    }
  }
  const wrap = (open: string, close: string, items: string[], depth: number): string => {
    if (items.length === 0) return open + close
    if (!indent && !prefix) return open + items.join(',') + close
    const inner = '\n' + prefix + indent.repeat(depth + 1)
    return open + inner + items.join(',' + inner) + '\n' + prefix + indent.repeat(depth) + close
  }
  return enc(value, 0) ?? 'null'
}
