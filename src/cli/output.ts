/**
 * Printing reports through podman's --format rules (Go templates, `table`,
 * `json`). What a template printed before failing reaches stdout before the
 * error does, as with podman (Go's template writes straight to stdout).
 */
import { renderReport, type ReportOptions, hasTable, normalizeFormat } from '../format/report.js'
import { PODMAN_TABWRITER, TabWriter, TemplateError, compileTemplate, goJson } from '../format/template/index.js'
import type { Writable } from 'node:stream'

/** A listing (ps, images) or inspect: rows ranged over, `table` headers, `json`. */
export function printReport(out: Writable, format: string | undefined, rows: readonly unknown[], options: ReportOptions): void {
  let text
  try {
    text = renderReport(format === '' ? undefined : format, rows, options)
  } catch (err) {
    if (err instanceof TemplateError && err.partialOutput) out.write(err.partialOutput)
    throw err
  }
  out.write(text)
}

/**
 * One object through a user's template (info, version): podman's
 * report.OriginUnknown — no implicit range, `\t`/`\n` escapes, tab
 * alignment only for `table` formats or podman's own templates.
 */
export function renderObject(format: string, value: unknown, options: { name: string; aligned?: boolean }): string {
  const table = hasTable(format)
  const normalized = table ? `{{range .}}${normalizeFormat(format)}{{end -}}` : normalizeFormat(format)
  const raw = table ? `{{range .}}${format}{{end -}}` : format
  let tmpl
  try {
    tmpl = compileTemplate(normalized, { name: options.name })
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    tmpl = compileTemplate(raw, { name: options.name })
  }
  const tw = table || options.aligned ? new TabWriter(PODMAN_TABWRITER) : undefined
  try {
    const text = tmpl.execute(value)
    return tw ? (tw.write(text), tw.flush()) : text
  } catch (err) {
    if (err instanceof TemplateError && tw) throw new TemplateError(err.message, (tw.write(err.partialOutput), tw.flush()))
    throw err
  }
}

export function printObject(out: Writable, format: string, value: unknown, options: { name: string; aligned?: boolean }): void {
  let text
  try {
    text = renderObject(format, value, options)
  } catch (err) {
    if (err instanceof TemplateError && err.partialOutput) out.write(err.partialOutput)
    throw err
  }
  out.write(text)
}

export interface JsonStyle {
  /** Indent unit ('' for one line). */
  indent: string
  /** encoding/json's Marshal escapes <, >, &; podman's Encoders turn that off. */
  escapeHTML?: boolean
  /**
   * json-iterator (podman's `json` in ps, images, info) writes an empty
   * object over three lines, `{` / indent / `}`; encoding/json (inspect)
   * writes `{}`.
   */
  jsoniter?: boolean
}

/** JSON text as podman prints it, with a final newline. */
export function formatJson(value: unknown, style: JsonStyle): string {
  const text = goJson(value, { indent: style.indent, escapeHTML: style.escapeHTML ?? true })
  return (style.jsoniter && style.indent ? jsoniterEmptyObjects(text, style.indent) : text) + '\n'
}

/** Rewrites each `{}` outside strings as json-iterator's indented empty object. */
export function jsoniterEmptyObjects(text: string, indent: string): string {
  let out = ''
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      out += c
      if (c === '\\') out += text[++i] ?? ''
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    else if (c === '{' && text[i + 1] === '}') {
      out += `{\n${indent.repeat(depth + 1)}\n${indent.repeat(depth)}}`
      i++
      continue
    } else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
    out += c
  }
  return out
}
