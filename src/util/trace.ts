/**
 * Start-up tracing across processes: with TSPOD_TRACE=FILE, each mark appends
 * `<epoch ms> <pid> <label>` to FILE, so the CLI, the shim and their helpers
 * can be laid on one timeline (bench/run-latency uses it). Costs nothing when
 * the variable is unset.
 */
import { appendFileSync } from 'node:fs'

const file = process.env.TSPOD_TRACE

export function trace(label: string): void {
  if (!file) return
  appendFileSync(file, `${(performance.timeOrigin + performance.now()).toFixed(2)} ${process.pid} ${label}\n`)
}
