/**
 * Turns log fragments into `tspod logs` output. P fragments are reassembled
 * per stream into logical lines: a line's fragments are written as they are
 * read (so `--follow` shows a prompt before its newline arrives), the
 * `--timestamps` prefix is printed once per logical line (the time of its
 * first fragment), and --since/--until decide per logical line on that same
 * time (strictly after since, strictly before until, as podman compares).
 * Container stdout goes to the stdout sink, stderr to the stderr sink.
 * Output is batched and written with backpressure.
 */
import type { Writable } from 'node:stream'
import { formatPrintedTimestamp, type LogFragment, type LogStream, type LogTime } from './log-format.js'

export interface LogSinks {
  stdout?: Writable | null
  stderr?: Writable | null
}

export interface LogFilter {
  /** Epoch ns: only lines strictly after this. */
  since?: bigint
  /** Epoch ns: only lines strictly before this. */
  until?: bigint
}

export function passesFilter(time: LogTime, filter: LogFilter): boolean {
  return (filter.since === undefined || time.ns > filter.since) && (filter.until === undefined || time.ns < filter.until)
}

const FLUSH_AT = 64 * 1024
const NL = Buffer.from('\n')

export class LogPrinter {
  private readonly open = { stdout: false, stderr: false }
  private readonly include = { stdout: false, stderr: false }
  private readonly batches: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] }
  private batchBytes = 0

  constructor(
    private readonly sinks: LogSinks,
    private readonly options: LogFilter & { timestamps?: boolean },
  ) {}

  add(f: LogFragment): void {
    const s = f.stream
    if (!this.open[s]) {
      this.include[s] = !!this.sinks[s] && passesFilter(f.time, this.options)
      if (this.include[s] && this.options.timestamps) this.push(s, Buffer.from(`${formatPrintedTimestamp(f.time)} `))
    }
    if (this.include[s]) {
      this.push(s, f.message)
      if (!f.partial) this.push(s, NL)
    }
    this.open[s] = f.partial
  }

  /** True when enough output is batched that the caller should await flush(). */
  get full(): boolean {
    return this.batchBytes >= FLUSH_AT
  }

  async flush(): Promise<void> {
    for (const s of ['stdout', 'stderr'] as const) {
      const batch = this.batches[s]
      if (!batch.length) continue
      this.batches[s] = []
      await writeWithBackpressure(this.sinks[s]!, batch.length === 1 ? batch[0]! : Buffer.concat(batch))
    }
    this.batchBytes = 0
  }

  private push(s: LogStream, b: Buffer): void {
    this.batches[s].push(b)
    this.batchBytes += b.length
  }
}

/** Writes and, if the stream asks for it, waits for 'drain'; rejects if the stream errored or closed. */
export async function writeWithBackpressure(w: Writable, data: Buffer): Promise<void> {
  if (w.errored) throw w.errored
  if (w.destroyed || w.writableEnded) throw Object.assign(new Error('output stream closed'), { code: 'EPIPE' })
  if (w.write(data)) return
  await new Promise<void>((resolve, reject) => {
    const done = (err?: unknown) => {
      w.off('drain', onDrain)
      w.off('error', onError)
      w.off('close', onClose)
      if (err) reject(err)
      else resolve()
    }
    const onDrain = () => done()
    const onError = (err: unknown) => done(err)
    const onClose = () => done(w.errored ?? Object.assign(new Error('output stream closed'), { code: 'EPIPE' }))
    w.on('drain', onDrain)
    w.on('error', onError)
    w.on('close', onClose)
  })
}
