/**
 * Appends container output to a `k8s-file` log the way conmon does
 * (ctr_logging.c): every chunk is framed as it arrives, each newline-ended
 * line becomes an `F` line, the rest of a chunk that does not end in a newline
 * becomes a `P` line at once (so `logs -f` shows prompts), and a line longer
 * than `maxLineSize` is cut into `P` fragments. All lines of one chunk share
 * one timestamp.
 *
 * max-size (podman `--log-opt max-size`, conmon `--log-size-max`): podman runs
 * conmon without `--log-rotate`, so when the next line would push the file
 * past the limit the file is replaced by an empty one (PATH.tmp created with
 * O_TRUNC, renamed over PATH) and writing continues there; no backups are
 * kept. A single line larger than the limit is still written whole.
 *
 * Writes are queued and flushed asynchronously in order (one writev per
 * batch), so the shim's event loop never blocks on the disk. `write()`
 * returns false once more than `highWaterMark` bytes are queued; the shim
 * should then pause its pipes until `flush()` resolves.
 * (Node opens every file with O_CLOEXEC already.)
 */
import { promises as fsp, constants as fsc } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { TspodError } from '../engine/errors.js'
import { log } from '../util/log.js'
import { formatLineHeader, localOffsetSeconds, type LogStream, type LogTime } from './log-format.js'

export interface LogWriterOptions {
  /** podman's max-size in bytes; 0 or undefined = unlimited. */
  maxSize?: number
  /** Longest message per line before it is split into P fragments (conmon reads 8192-byte chunks). */
  maxLineSize?: number
  /** Queued bytes above which write() returns false. Default 1 MiB. */
  highWaterMark?: number
  /** Clock for timestamps (tests); default: the wall clock with nanoseconds, offset = local zone. */
  clock?: () => LogTime
}

export const DEFAULT_MAX_LINE_SIZE = 8192
const NEWLINE = 0x0a

type Op = { kind: 'data'; bufs: Buffer[]; bytes: number } | { kind: 'truncate' }

export class LogWriter {
  readonly path: string
  private fh: FileHandle
  /** File size including queued bytes: what rotation decisions are made on. */
  private size: number
  private queuedBytes = 0
  /** Pending operations; consumed from `opsHead` (Array.shift is O(n) on long queues). */
  private ops: Op[] = []
  private opsHead = 0
  /** The running flush loop; `running` flips synchronously when the loop sees an empty queue. */
  private pumping: Promise<void> = Promise.resolve()
  private running = false
  private firstError: unknown
  private closed = false
  private readonly maxSize: number
  private readonly maxLineSize: number
  private readonly highWaterMark: number
  private readonly clock: () => LogTime

  private constructor(path: string, fh: FileHandle, size: number, options: LogWriterOptions) {
    this.path = path
    this.fh = fh
    this.size = size
    this.maxSize = options.maxSize ?? 0
    this.maxLineSize = options.maxLineSize ?? DEFAULT_MAX_LINE_SIZE
    this.highWaterMark = options.highWaterMark ?? 1 << 20
    this.clock = options.clock ?? wallClock()
    if (!(this.maxLineSize >= 1) || !(this.maxSize >= 0)) {
      throw new TspodError('invalid-argument', `invalid log writer limits: maxSize=${this.maxSize} maxLineSize=${this.maxLineSize}`)
    }
  }

  /** Opens (creating, mode 0640) or appends to the log at `path`. */
  static async open(path: string, options: LogWriterOptions = {}): Promise<LogWriter> {
    const fh = await fsp.open(path, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o640)
    try {
      const { size } = await fh.stat()
      const writer = new LogWriter(path, fh, size, options)
      // A previous shim died mid-line: end that line so ours are not glued onto it.
      if (size > 0 && !(await endsWithNewline(path, size))) {
        writer.size += 1
        writer.enqueue([Buffer.from('\n')], 1)
      }
      return writer
    } catch (err) {
      await fh.close()
      throw err
    }
  }

  /** Frames `chunk` of container output. Returns false when the caller should wait for flush(). */
  write(stream: LogStream, chunk: Buffer): boolean {
    if (this.closed) throw new TspodError('failed-precondition', `log file ${this.path} is closed`)
    if (chunk.length === 0) return this.queuedBytes < this.highWaterMark
    const time = this.clock()
    const full = Buffer.from(formatLineHeader(time, stream, false), 'latin1')
    const partial = Buffer.from(formatLineHeader(time, stream, true), 'latin1')
    const nl = Buffer.from('\n')
    let batch: Buffer[] = []
    let batchBytes = 0
    const emit = (header: Buffer, message: Buffer) => {
      const bytes = header.length + message.length + 1
      if (this.maxSize > 0 && this.size > 0 && this.size + bytes > this.maxSize) {
        if (batch.length) this.enqueue(batch, batchBytes)
        batch = []
        batchBytes = 0
        this.ops.push({ kind: 'truncate' })
        this.size = 0
      }
      batch.push(header, message, nl)
      batchBytes += bytes
      this.size += bytes
    }
    let start = 0
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start)
      const end = newline < 0 ? chunk.length : newline
      // Cut over-long lines; the last piece keeps the line's own F/P tag.
      let pos = start
      while (end - pos > this.maxLineSize) {
        emit(partial, chunk.subarray(pos, pos + this.maxLineSize))
        pos += this.maxLineSize
      }
      if (newline < 0) {
        if (end > pos) emit(partial, chunk.subarray(pos, end))
        break
      }
      emit(full, chunk.subarray(pos, end))
      start = newline + 1
    }
    if (batch.length) this.enqueue(batch, batchBytes)
    return this.queuedBytes < this.highWaterMark
  }

  /** Resolves once everything written so far is in the file; rejects with the first write error. */
  async flush(): Promise<void> {
    while (this.running) await this.pumping
    if (this.firstError !== undefined) throw this.firstError
  }

  /** Flushes, then closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return this.flush()
    this.closed = true
    try {
      await this.flush()
    } finally {
      await this.fh.close()
    }
  }

  private enqueue(bufs: Buffer[], bytes: number): void {
    // Keep the chunk's bytes alive beyond the caller's reuse of its buffer.
    this.ops.push({ kind: 'data', bufs: [Buffer.concat(bufs, bytes)], bytes })
    this.queuedBytes += bytes
    if (!this.running) {
      this.running = true
      this.pumping = this.pump()
    }
  }

  /**
   * Never rejects: write errors are recorded for flush()/close(). The queue
   * check and `running = false` happen in one synchronous step, so an op
   * enqueued at any time either is seen by this loop or starts a new one.
   */
  private async pump(): Promise<void> {
    try {
      for (let op = this.nextOp(); op; op = this.nextOp()) {
        if (op.kind === 'truncate') {
          await this.truncate()
          continue
        }
        // Coalesce consecutive data ops into one writev.
        const bufs = [...op.bufs]
        let bytes = op.bytes
        for (let next = this.ops[this.opsHead]; next?.kind === 'data' && bufs.length < 1024; next = this.ops[this.opsHead]) {
          this.opsHead++
          bufs.push(...next.bufs)
          bytes += next.bytes
        }
        try {
          await writeAll(this.fh, bufs)
        } catch (err) {
          this.recordError(err)
        }
        this.queuedBytes -= bytes
      }
    } finally {
      this.running = false
    }
  }

  private nextOp(): Op | undefined {
    const op = this.ops[this.opsHead]
    if (op) {
      this.opsHead++
      // Drop consumed entries now and then so their buffers can be collected.
      if (this.opsHead > 4096 && this.opsHead * 2 > this.ops.length) {
        this.ops = this.ops.slice(this.opsHead)
        this.opsHead = 0
      }
      return op
    }
    this.ops = []
    this.opsHead = 0
    return undefined
  }

  private async truncate(): Promise<void> {
    const tmp = `${this.path}.tmp`
    try {
      const fresh = await fsp.open(tmp, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT | fsc.O_TRUNC, 0o640)
      await fsp.rename(tmp, this.path)
      const old = this.fh
      this.fh = fresh
      await old.close()
    } catch (err) {
      // Keep appending to the old file rather than dropping output.
      this.recordError(err)
    }
  }

  private recordError(err: unknown): void {
    this.firstError ??= err
    log.warn(`write to log file ${this.path} failed: ${(err as Error).message}`)
  }
}

async function writeAll(fh: FileHandle, bufs: Buffer[]): Promise<void> {
  let pending = bufs
  while (pending.length) {
    let { bytesWritten } = await fh.writev(pending)
    if (bytesWritten === 0) throw new TspodError('unavailable', 'log write made no progress')
    // Short write (rare on regular files): drop what went out and retry the rest.
    while (pending.length && bytesWritten >= pending[0]!.length) {
      bytesWritten -= pending[0]!.length
      pending = pending.slice(1)
    }
    if (pending.length && bytesWritten > 0) pending = [pending[0]!.subarray(bytesWritten), ...pending.slice(1)]
  }
}

async function endsWithNewline(path: string, size: number): Promise<boolean> {
  const fh = await fsp.open(path, 'r')
  try {
    const b = Buffer.alloc(1)
    await fh.read(b, 0, 1, size - 1)
    return b[0] === NEWLINE
  } finally {
    await fh.close()
  }
}

/**
 * Wall-clock nanoseconds: Date.now() gives milliseconds only, so anchor a
 * high-resolution counter to it, re-anchoring when the wall clock jumps, and
 * never go backwards within a process (readers rely on ordered timestamps).
 */
function wallClock(): () => LogTime {
  let anchorWall = BigInt(Date.now()) * 1_000_000n
  let anchorHr = process.hrtime.bigint()
  let last = 0n
  return () => {
    const wallMs = Date.now()
    let ns = anchorWall + (process.hrtime.bigint() - anchorHr)
    const drift = ns - BigInt(wallMs) * 1_000_000n
    if (drift > 1_000_000_000n || drift < -1_000_000_000n) {
      // The wall clock was set: follow it, even backwards.
      anchorWall = BigInt(wallMs) * 1_000_000n
      anchorHr = process.hrtime.bigint()
      ns = anchorWall
    } else if (ns <= last) {
      ns = last + 1n
    }
    last = ns
    return { ns, offsetSeconds: localOffsetSeconds(wallMs) }
  }
}
