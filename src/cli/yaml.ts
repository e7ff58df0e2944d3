/** The YAML podman prints for `info` by default: block maps and lists, plain scalars quoted only when needed. */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent)
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []\n'
    return '\n' + value.map(v => `${pad}- ${toYaml(v, indent + 2).replace(/^\n\s*/, '')}`).join('')
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0) return ' {}\n'
    return (
      '\n' +
      entries
        .map(([k, v]) => `${pad}${scalar(k)}:${v !== null && typeof v === 'object' ? toYaml(v, indent + 2) : ` ${scalar(v)}\n`}`)
        .join('')
    )
  }
  return ` ${scalar(value)}\n`
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v !== 'string') return String(v)
  if (v === '') return '""'
  return /^[\w./@+-][\w ./@:+-]*$/.test(v) && !/^(true|false|null|yes|no|~|[\d.+-]+)$/i.test(v) && !/[: ]$/.test(v) ? v : JSON.stringify(v)
}
