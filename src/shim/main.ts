/**
 * Entry of the shim (dist/shim.cjs). argv[2] is its ShimConfig as JSON; fd 3,
 * when open, is the report pipe to the CLI that started it: one JSON line,
 * `started` or `error`, then it is closed so the CLI can go.
 */
import { closeSync, readSync, writeSync } from 'node:fs'
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

/**
 * The config: in argv, or (for a shim the CLI started ahead of time) one line
 * on stdin. Read with blocking reads: until it arrives there is nothing else
 * to do, and a stdin stream would cost milliseconds of start-up to set up.
 */
function readConfig(): ShimConfig | undefined {
  if (process.argv[2] !== STDIN_CONFIG) return JSON.parse(process.argv[2] ?? '{}') as ShimConfig
  const chunks: Buffer[] = []
  const buf = Buffer.alloc(64 << 10)
  for (;;) {
    let n: number
    try {
      n = readSync(0, buf)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2) // a non-blocking stdin: poll gently
      continue
    }
    if (n === 0) break
    chunks.push(Buffer.from(buf.subarray(0, n)))
    if (buf.subarray(0, n).includes(10)) break
  }
  closeSync(0)
  const line = Buffer.concat(chunks).toString('utf8').split('\n', 1)[0]!
  return line.trim() === '' ? undefined : (JSON.parse(line) as ShimConfig)
}

// Before the config arrives (a shim started ahead of time waits for it): the
// work that does not depend on it, such as loading koffi, is done meanwhile.
syscalls.setChildSubreaper()

Promise.resolve().then(() => {
  const config = readConfig()
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
