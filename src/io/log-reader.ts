/**
 * Reading a `k8s-file` container log for `tspod logs`.
 *
 * - tail: the last N logical lines, found by reading the file backwards from
 *   its end (a logical line = an F line plus the P fragments of the same
 *   stream before it; a trailing unfinished line counts as one, like podman).
 * - since/until/timestamps: see log-output.ts.
 * - follow: after the existing content, keep reading as the file grows
 *   (fs.watch on the directory plus a slow safety poll, so no spinning), and
 *   follow the writer's max-size truncation (file replaced by rename, or
 *   truncated in place). Ends when `exited` has settled and the file has then
 *   been read to its end once more — so the shim must close its LogWriter
 *   before the container is reported exited — or when `until` has passed, or
 *   when `signal` aborts.
 * - Unparseable lines are skipped with a warning; a torn last line (no
 *   newline yet) is not printed without `follow` and is re-read with it.
 */
import { promises as fsp, watch, type FSWatcher } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { log } from '../util/log.js'
import { parseLogLine, type LogFragment, type LogStream, type LogTime } from './log-format.js'
import { lastLineEnd, readLinesBackward, readLinesForward } from './log-lines.js'
import { LogPrinter, passesFilter, type LogFilter, type LogSinks } from './log-output.js'

export type { LogSinks } from './log-output.js'

export interface LogReadOptions extends LogFilter {
  /** Last N logical lines only; undefined or negative = all (podman's --tail -1). */
  tail?: number
  /** Prefix each line with its time as podman prints it. */
  timestamps?: boolean
  follow?: boolean
  /** follow: settles when the container has exited (and its log writer closed). */
  exited?: Promise<unknown>
  /** Stops reading early (e.g. the user pressed ctrl-c). */
  signal?: AbortSignal
  /** follow: safety poll interval next to fs.watch (ms). Default 1000. */
  pollIntervalMs?: number
}

/** A reassembled logical line. */
export interface LogRecord {
  stream: LogStream
  /** Time of the first fragment. */
  time: LogTime
  message: Buffer
  /** false for a trailing line whose end (F) is not in the file yet. */
  complete: boolean
}

function parseOrWarn(line: Buffer): LogFragment | undefined {
  if (line.length === 0) return undefined
  try {
    return parseLogLine(line)
  } catch (err) {
    log.warn(`Getting new log line: ${(err as Error).message}`)
    return undefined
  }
}

async function openIfExists(file: string): Promise<FileHandle | undefined> {
  try {
    return await fsp.open(file, 'r')
  } catch (err) {
    // podman: a missing log file is not an error, there is just nothing to show.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/**
 * The fragments of the last `n` logical lines ending at or before `end`, in
 * file order. Continuation state is kept per stream so interleaved stdout and
 * stderr fragments are attributed to the right line.
 */
export async function collectTailFragments(fh: FileHandle, end: number, n: number): Promise<LogFragment[]> {
  const picked: LogFragment[] = []
  if (n <= 0) return picked
  // none: no fragment of this stream seen yet (from the end); open: collecting
  // an included line's earlier fragments; closed: everything further back is excluded.
  const state: Record<LogStream, 'none' | 'open' | 'closed'> = { stdout: 'none', stderr: 'none' }
  let count = 0
  for await (const { line } of readLinesBackward(fh, end)) {
    const f = parseOrWarn(line)
    if (!f) continue
    const s = f.stream
    // A P fragment in an open line continues it; anything else (an F, or the
    // last P of a stream with no F after it) is the end of an earlier line.
    const startsLine = !(f.partial && state[s] !== 'none')
    if (startsLine) {
      if (count < n) {
        count++
        state[s] = 'open'
      } else {
        state[s] = 'closed'
      }
    }
    if (state[s] === 'open') picked.push(f)
    if (count >= n && state.stdout !== 'open' && state.stderr !== 'open') break
  }
  return picked.reverse()
}

/** The fragments to print before following: everything, or the tail. */
async function* initialFragments(fh: FileHandle, end: number, tail: number | undefined): AsyncGenerator<LogFragment> {
  if (tail !== undefined && tail >= 0) {
    yield* await collectTailFragments(fh, end, tail)
    return
  }
  for await (const { line, next } of readLinesForward(fh, 0)) {
    if (next > end) return
    const f = parseOrWarn(line)
    if (f) yield f
  }
}

/**
 * Reassembled logical lines (no follow), filtered by since/until on each
 * line's first fragment. For programmatic use (tests, an API); the CLI uses
 * readContainerLogs.
 */
export async function* readLogRecords(file: string, options: LogFilter & { tail?: number } = {}): AsyncGenerator<LogRecord> {
  const fh = await openIfExists(file)
  if (!fh) return
  try {
    const end = await lastLineEnd(fh, (await fh.stat()).size)
    const open: Partial<Record<LogStream, { time: LogTime; parts: Buffer[] }>> = {}
    for await (const f of initialFragments(fh, end, options.tail)) {
      const cur = (open[f.stream] ??= { time: f.time, parts: [] })
      cur.parts.push(f.message)
      if (f.partial) continue
      delete open[f.stream]
      if (passesFilter(cur.time, options)) yield { stream: f.stream, time: cur.time, message: Buffer.concat(cur.parts), complete: true }
    }
    for (const [stream, cur] of Object.entries(open) as [LogStream, { time: LogTime; parts: Buffer[] }][]) {
      if (passesFilter(cur.time, options)) yield { stream, time: cur.time, message: Buffer.concat(cur.parts), complete: false }
    }
  } finally {
    await fh.close()
  }
}

/** `tspod logs`: prints the log at `file` to the sinks. Resolves when done (see the module comment for follow). */
export async function readContainerLogs(file: string, sinks: LogSinks, options: LogReadOptions = {}): Promise<void> {
  const fh = await openIfExists(file)
  if (!fh) return
  const printer = new LogPrinter(sinks, options)
  // Sink errors (EPIPE from `| head`) surface through writeWithBackpressure; keep them from being unhandled.
  const swallow = () => {}
  for (const s of [sinks.stdout, sinks.stderr]) s?.on('error', swallow)
  const follower = new Follower(file, fh, printer)
  try {
    const { size, ino } = await fh.stat()
    follower.ino = ino
    const end = await lastLineEnd(fh, size)
    for await (const f of initialFragments(fh, end, options.tail)) {
      printer.add(f)
      if (printer.full) await printer.flush()
      if (options.signal?.aborted) break
    }
    await printer.flush()
    follower.pos = end
    if (options.follow && !options.signal?.aborted) await follower.follow(options)
  } finally {
    await follower.close()
    for (const s of [sinks.stdout, sinks.stderr]) s?.off('error', swallow)
  }
}

class Follower {
  ino = 0
  pos = 0

  constructor(
    private readonly file: string,
    private fh: FileHandle,
    private readonly printer: LogPrinter,
  ) {}

  async follow(options: LogReadOptions): Promise<void> {
    const waker = new Waker(this.file, options.pollIntervalMs ?? 1000)
    let exited = false
    const onExit = () => {
      exited = true
      waker.poke()
    }
    options.exited?.then(onExit, onExit)
    const onAbort = () => waker.poke()
    options.signal?.addEventListener('abort', onAbort)
    const untilPassed = () => options.until !== undefined && BigInt(Date.now()) * 1_000_000n >= options.until
    let untilTimer: NodeJS.Timeout | undefined
    if (options.until !== undefined && !untilPassed()) {
      const ms = Number((options.until - BigInt(Date.now()) * 1_000_000n) / 1_000_000n) + 1
      untilTimer = setTimeout(() => waker.poke(), Math.min(ms, 2 ** 31 - 1))
    }
    try {
      for (;;) {
        // Decided before reading, so the last pass starts after the exit was known.
        const last = exited || untilPassed()
        await this.drain()
        if (last || options.signal?.aborted) return
        await waker.wait()
      }
    } finally {
      waker.close()
      clearTimeout(untilTimer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Reads to the end of the file, following a replacement or truncation of it. */
  private async drain(): Promise<void> {
    for (;;) {
      await this.readAvailable()
      let current
      try {
        current = await fsp.stat(this.file)
      } catch {
        return // removed: nothing new can arrive at this path for now
      }
      if (current.ino !== this.ino) {
        // Replaced by rename (max-size): finish the old file — the writer may
        // have appended to it after our last read and before the rename — then
        // start the new one.
        const next = await openIfExists(this.file)
        if (!next) return
        await this.readAvailable()
        await this.fh.close()
        this.fh = next
        this.ino = (await next.stat()).ino
        this.pos = 0
        continue
      }
      if ((await this.fh.stat()).size < this.pos) {
        this.pos = 0 // truncated in place
        continue
      }
      return
    }
  }

  private async readAvailable(): Promise<void> {
    for await (const { line, next } of readLinesForward(this.fh, this.pos)) {
      const f = parseOrWarn(line)
      if (f) this.printer.add(f)
      this.pos = next
      if (this.printer.full) await this.printer.flush()
    }
    await this.printer.flush()
  }

  async close(): Promise<void> {
    await this.fh.close()
  }
}

/** Wakes the follower on a change in the log's directory, or after the poll interval. */
class Waker {
  private watcher: FSWatcher | undefined
  private pending = false
  private wakeUp: (() => void) | undefined

  constructor(file: string, private readonly pollMs: number) {
    const name = path.basename(file)
    try {
      this.watcher = watch(path.dirname(file), { persistent: false }, (_event, changed) => {
        if (!changed || changed.startsWith(name)) this.poke()
      })
      this.watcher.on('error', () => this.closeWatcher())
    } catch (err) {
      log.debug(`watching ${file} failed, polling only: ${(err as Error).message}`)
    }
  }

  poke(): void {
    this.pending = true
    this.wakeUp?.()
  }

  async wait(): Promise<void> {
    if (!this.pending) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(() => this.wakeUp?.(), this.watcher ? this.pollMs : Math.min(this.pollMs, 250))
        this.wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wakeUp = undefined
    }
    this.pending = false
  }

  close(): void {
    this.closeWatcher()
    this.wakeUp?.()
  }

  private closeWatcher(): void {
    this.watcher?.close()
    this.watcher = undefined
  }
}
