/** Printing reports through podman's --format rules (Go templates, `table`, `json`). */
import { renderReport, type ReportOptions } from '../format/report.js'
import type { Writable } from 'node:stream'

export function printReport(out: Writable, format: string | undefined, rows: readonly unknown[], options: ReportOptions): void {
  const text = renderReport(format === '' ? undefined : format, rows, options)
  out.write(text)
}
