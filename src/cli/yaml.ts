/**
 * The YAML podman prints for `info` (ghodss/yaml over yaml.v2): the JSON
 * document with map keys sorted, block sequences at their key's indentation,
 * strings plain when they read back as strings, double-quoted when they
 * would read as something else ("12", "true", ""), single-quoted when a
 * plain scalar may not hold them (": ", a leading indicator), and `|-`
 * literal blocks for multi-line text.
 */
export function toYaml(value: unknown): string {
  return isCollection(value) ? block(value, 0) : scalar(value, 0) + '\n'
}

const isCollection = (v: unknown): v is object => v !== null && typeof v === 'object'
const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)

function block(value: object, indent: number): string {
  const pad = ' '.repeat(indent)
  if (Array.isArray(value)) {
    return value
      .map(item => {
        if (isCollection(item) && !isEmpty(item)) {
          // The first line of a nested block goes after "- ", the rest indented under it.
          const inner = block(item, indent + 2)
          return `${pad}- ${inner.slice(indent + 2)}`
        }
        return `${pad}- ${inline(item, indent + 2)}\n`
      })
      .join('')
  }
  const keys = Object.keys(value).sort()
  return keys
    .map(k => {
      const v = (value as Record<string, unknown>)[k]
      const key = `${pad}${scalar(k, indent)}:`
      if (isCollection(v) && !isEmpty(v)) return `${key}\n${block(v, Array.isArray(v) ? indent : indent + 2)}`
      return `${key} ${inline(v, indent + 2)}\n`
    })
    .join('')
}

function inline(v: unknown, indent: number): string {
  if (Array.isArray(v)) return '[]'
  if (isCollection(v)) return '{}'
  return scalar(v, indent)
}

/** Strings YAML 1.1 would read as null, a bool, or a number. */
const NON_STRING = /^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?0b[01_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$/

function plainAllowed(s: string): boolean {
  if (/^[\s]|[\s]$/.test(s)) return false
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return false
  if (/: |:$| #/.test(s)) return false
  return !/[\x00-\x1f\x7f]/.test(s)
}

function scalar(v: unknown, indent: number): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v !== 'string') return String(v)
  if (v.includes('\n')) {
    const body = v.endsWith('\n') ? v.slice(0, -1) : v
    const pad = ' '.repeat(indent)
    return `|${v.endsWith('\n') ? '' : '-'}\n${body.split('\n').map(l => (l === '' ? '' : pad + l)).join('\n')}`
  }
  if (v === '' || NON_STRING.test(v)) return JSON.stringify(v)
  if (plainAllowed(v)) return v
  return `'${v.replaceAll("'", "''")}'`
}
