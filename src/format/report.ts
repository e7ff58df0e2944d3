/**
 * podman's --format handling around Go templates (containers/common
 * pkg/report): `json`, the `table` prefix with a header row, tab alignment
 * through text/tabwriter (minwidth 12, tabwidth 2, padding 2), the `\t`/`\n`
 * escape normalisation, `{{range .}}` wrapping and a newline per row.
 *
 *   renderReport(opts.format, rows, {
 *     name: 'ps',
 *     table: '{{.ID}}\t{{.Image}}\t{{.Names}}',     // podman's default row
 *     headers: { ID: 'container id' },               // like report.Headers overrides
 *   })
 */
import { type FuncMap, TemplateError, compileTemplate, goJson, goMap } from './template/index.js'
import { goUpper } from './template/podman-funcs.js'
import { PODMAN_TABWRITER, TabWriter } from './template/tabwriter.js'

export interface ReportOptions {
  /** podman's built-in row format (used when --format is absent), e.g. '{{.ID}}\t{{.Names}}'. */
  table?: string
  /** Header text for fields, like report.Headers' overrides (upper-cased as podman does). */
  headers?: Record<string, string>
  /**
   * The Go struct's field names the headers derive from ("CreatedAt" → "CREATED AT").
   * Default: the first row's own keys. Fields without a header print <no value>, as in podman.
   */
  fields?: readonly string[]
  /** --noheading */
  noHeading?: boolean
  /** Template name in error messages; podman uses the command name. */
  name?: string
  funcs?: FuncMap
  /** `--format json` output: podman's indent differs per command ("  " ps, "    " images, "     " inspect). */
  json?: { indent?: string; escapeHTML?: boolean; value?: unknown }
}

const jsonRe = /^\s*(json|\{\{\s*json\s*\.?\s*\}\})\s*$/

/** report.IsJSON (containers/common 0.50, podman 4.3): "json", "{{json}}", "{{ json . }}" — the whole listing as one JSON document. */
export function isJsonFormat(format: string): boolean {
  return jsonRe.test(format)
}

/** report.HasTable */
export function hasTable(format: string): boolean {
  return format.startsWith('table ')
}

/** strings.NewReplacer semantics: leftmost match, earlier pairs win at a position. */
function replaceAll(s: string, pairs: [string, string][]): string {
  let out = ''
  let i = 0
  scan: while (i < s.length) {
    for (const [from, to] of pairs) {
      if (s.startsWith(from, i)) {
        out += to
        i += from.length
        continue scan
      }
    }
    out += s[i]
    i++
  }
  return out
}

const tablePairs: [string, string][] = [['table ', ''], ['\\t', '\t'], [' ', '\t'], ['\\n', '\n']]
const escapePairs: [string, string][] = [['\\t', '\t'], ['\\n', '\n']]

/** report.NormalizeFormat: for tables drop "table " and turn spaces into tabs; `\t`, `\n` escapes; end with a newline. */
export function normalizeFormat(format: string): string {
  const f = replaceAll(format, hasTable(format) ? tablePairs : escapePairs)
  return f.endsWith('\n') ? f : f + '\n'
}

const rangeRe = /\{\{\s*range\s*\.\s*\}\}[\s\S]*\{\{\s*end\s*-?\s*\}\}/

/** report.EnforceRange: wrap in {{range .}}…{{end -}} unless the format already ranges over dot. */
export function enforceRange(format: string): string {
  return rangeRe.test(format) ? format : `{{range .}}${format}{{end -}}`
}

/** camelcase.Split as containers/common uses it for headers: "CreatedAt" → ["Created", "At"], "PDFLoader" → ["PDF", "Loader"]. */
export function camelCaseSplit(src: string): string[] {
  const runs: string[][] = []
  let last = 0
  for (const ch of src) {
    const cls = /\p{Ll}/u.test(ch) ? 1 : /\p{Lu}/u.test(ch) ? 2 : /\p{Nd}/u.test(ch) ? 3 : 4
    if (cls === last) runs[runs.length - 1]!.push(ch)
    else runs.push([ch])
    last = cls
  }
  for (let i = 0; i < runs.length - 1; i++) {
    const a = runs[i]!
    const b = runs[i + 1]!
    if (/\p{Lu}/u.test(a[0]!) && /\p{Ll}/u.test(b[0]!)) b.unshift(a.pop()!)
  }
  return runs.filter(r => r.length > 0).map(r => r.join(''))
}

/** report.Headers: field name → upper-cased, camel-case-split header; overrides win. */
export function headerMap(fields: readonly string[], overrides: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = {}
  for (const f of fields) h[f] = goUpper(camelCaseSplit(f).join(' '))
  for (const [k, v] of Object.entries(overrides)) h[k] = goUpper(v)
  return h
}

function defaultFields(rows: readonly unknown[]): string[] {
  const first = rows[0]
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? Object.keys(first) : []
}

/**
 * Render rows for a listing or inspect command exactly as podman would for
 * the given --format (undefined when the flag is absent: the command's
 * default table; inspect treats an empty format as json itself). Returns the
 * text to write to stdout. Template errors are TemplateErrors whose
 * `partialOutput` holds what podman would have printed before failing.
 */
export function renderReport(format: string | undefined, rows: readonly unknown[], options: ReportOptions = {}): string {
  if (format !== undefined && isJsonFormat(format)) {
    const json = options.json ?? {}
    return goJson(json.value ?? rows, { indent: json.indent ?? '    ', escapeHTML: json.escapeHTML ?? true }) + '\n'
  }
  const name = options.name ?? 'report'
  // Only an absent --format means the command's table: podman prints `--format ''` as empty lines.
  const fromUser = format !== undefined
  const text = fromUser ? format : `{{range .}}${options.table ?? ''}\n{{end -}}`
  const isTable = fromUser && hasTable(text)
  let normalized: string
  let fallback: string
  if (isTable) {
    normalized = `{{range .}}${normalizeFormat(text)}{{end -}}`
    fallback = `{{range .}}${text.slice('table '.length)}{{end -}}`
  } else if (fromUser) {
    normalized = enforceRange(normalizeFormat(text))
    fallback = enforceRange(text)
  } else {
    normalized = normalizeFormat(text)
    fallback = text
  }
  // Like podman: try the normalised text, and if it does not parse (e.g. a
  // "\n" inside a string constant became a newline) the text as given.
  let tmpl
  try {
    tmpl = compileTemplate(normalized, { name, funcs: options.funcs })
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    tmpl = compileTemplate(fallback, { name, funcs: options.funcs })
  }
  const aligned = isTable || !fromUser
  const tw = aligned ? new TabWriter(PODMAN_TABWRITER) : null
  let out = ''
  const emit = (s: string) => (tw ? tw.write(s) : (out += s))
  try {
    if (aligned && !options.noHeading) {
      const fields = options.fields ?? defaultFields(rows)
      emit(tmpl.execute([goMap(headerMap(fields, options.headers), '', 'map[string]string')]))
    }
    emit(tmpl.execute(rows))
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    emit(err.partialOutput)
    throw new TemplateError(err.message, tw ? tw.flush() : out)
  }
  return tw ? tw.flush() : out
}
