/**
 * Entry of the shim (dist/shim.mjs). argv[2] is its ShimConfig as JSON; fd 3,
 * when open, is the report pipe to the CLI that started it: one JSON line,
 * `started` or `error`, then it is closed so the CLI can go.
 */
import { closeSync, writeSync } from 'node:fs'
import { syscalls } from '../../native-bindings/index.js'
import { REPORT_FD, type ShimConfig, type ShimReport } from './config.js'
import { runShim } from './shim.js'
import { STDIN_CONFIG } from './config.js'
import { trace } from '../util/trace.js'

trace('shim: main')

let reportOpen = true
function report(r: ShimReport): void {
  if (!reportOpen) return
  reportOpen = false
  try {
    writeSync(REPORT_FD, JSON.stringify(r) + '\n')
    closeSync(REPORT_FD)
  } catch {
    // The CLI is gone (killed right after starting us): the container runs on.
  }
}

// The CLI may be killed at any time; its terminal's signals are not ours.
for (const sig of ['SIGHUP', 'SIGINT', 'SIGPIPE'] as const) process.on(sig, () => {})

/** The config: in argv, or (for a shim the CLI started ahead of time) one line on stdin. */
async function readConfig(): Promise<ShimConfig | undefined> {
  if (process.argv[2] !== STDIN_CONFIG) return JSON.parse(process.argv[2] ?? '{}') as ShimConfig
  let text = ''
  for await (const chunk of process.stdin) {
    text += chunk
    if (text.includes('\n')) break
  }
  process.stdin.destroy()
  return text.trim() === '' ? undefined : (JSON.parse(text) as ShimConfig)
}

// Before the config arrives (a shim started ahead of time waits for it): the
// work that does not depend on it, such as loading koffi, is done meanwhile.
syscalls.setChildSubreaper()

readConfig().then(config => {
  // No config: the CLI did not need us after all.
  if (!config) process.exit(0)
  return runShim(config, syscalls, report)
}).then(
  () => process.exit(0),
  err => {
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(`tspod shim: ${message}\n`)
    report({ type: 'error', message, exitCode: 125 })
    process.exit(1)
  },
)
