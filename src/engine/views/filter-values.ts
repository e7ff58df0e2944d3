/**
 * What podman's `--filter` implementations share: `key=value` parsing,
 * label matching (containers/common pkg/filters), Go's path.Match globs,
 * and `until` timestamps (durations, Unix seconds or RFC 3339 dates).
 */
import { InvalidArgumentError } from '../errors.js'

/** `key=value` flags grouped by key, in first-seen key order; `bad` names the error for a flag without `=`. */
export function groupFilters(flags: readonly string[], bad: (flag: string) => string): Map<string, string[]> {
  const byKey = new Map<string, string[]>()
  for (const f of flags) {
    const eq = f.indexOf('=')
    if (eq < 0) throw new InvalidArgumentError(bad(f))
    const key = f.slice(0, eq)
    byKey.set(key, [...(byKey.get(key) ?? []), f.slice(eq + 1)])
  }
  return byKey
}

/** filters.MatchLabelFilters: every `key[=value]` must be matched by some label (a key with `*` is a glob). */
export function matchLabelFilters(values: readonly string[], labels: Record<string, string>): boolean {
  return values.every(v => {
    const eq = v.indexOf('=')
    const key = eq < 0 ? v : v.slice(0, eq)
    const want = eq < 0 ? '' : v.slice(eq + 1)
    return Object.entries(labels).some(([k, l]) => (want === '' || l === want) && (k === key || matchPattern(key, k)))
  })
}

function matchPattern(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return false
  return goPathMatch(`*${pattern}*`.replaceAll('/', '|'), value.replaceAll('/', '|'))
}

/** Go's path.Match: `*` and `?` do not cross `/`; `[a-z]`, `[^x]` classes; `\` escapes. A bad pattern matches nothing. */
export function goPathMatch(pattern: string, name: string): boolean {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '\\') {
      i++
      if (i >= pattern.length) return false
      re += escapeRe(pattern[i]!)
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) return false
      let body = pattern.slice(i + 1, end)
      const negate = body.startsWith('^')
      if (negate) body = body.slice(1)
      re += `[${negate ? '^/' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`
      i = end
    } else re += escapeRe(c)
  }
  try {
    return new RegExp(`^${re}$`, 's').test(name)
  } catch {
    return false
  }
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** time.ParseDuration in milliseconds, or undefined. */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s)
  if (!m) return s === '0' ? 0 : undefined
  let total = 0
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!
  return m[1] === '-' ? -total : total
}

/** timetype.GetTimestamp for `until`/`since`-style values: the instant in epoch milliseconds. */
export function parseTimestamp(value: string, now = Date.now()): number {
  const d = parseGoDuration(value)
  if (d !== undefined && value !== '0') return now - d
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  // Dates without a zone are local time, as in podman.
  const hasZone = /[zZ+]/.test(value) || (value.match(/-/g) ?? []).length === 3
  const iso = /T/.test(value) || hasZone ? value : value.length === 10 ? `${value}T00:00:00` : value
  const t = Date.parse(iso)
  if (!Number.isNaN(t)) return t
  if (value.includes('-')) throw new InvalidArgumentError(`parsing time "${value}": cannot parse`)
  throw new InvalidArgumentError(`failed to parse value as time or duration: "${value}"`)
}
