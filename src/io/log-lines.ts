/**
 * Newline-separated lines of a file, read forwards from an offset or
 * backwards from an offset (for `--tail` on big files: only the end is read).
 * Only complete lines are yielded; a torn last line (no newline yet: the
 * writer is mid-write or died) is left for the caller to re-read later.
 * Lines longer than MAX_LINE are skipped with a warning instead of growing
 * memory without bound (the writer never produces them).
 */
import type { FileHandle } from 'node:fs/promises'
import { log } from '../util/log.js'

const CHUNK = 64 * 1024
/** Far above the longest line the writer produces (max line size + header). */
export const MAX_LINE = 1 << 20
const NEWLINE = 0x0a

export interface ForwardLine {
  line: Buffer
  /** Offset just past this line's newline. */
  next: number
}

/** Complete lines from `start` to the current end of file. */
export async function* readLinesForward(fh: FileHandle, start: number): AsyncGenerator<ForwardLine> {
  let pos = start
  let pending: Buffer[] = []
  let pendingLen = 0
  let skipping = false
  const buf = Buffer.allocUnsafe(CHUNK)
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos)
    if (bytesRead === 0) return
    const chunk = buf.subarray(0, bytesRead)
    let from = 0
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, from)) {
      const next = pos + nl + 1
      if (skipping) {
        skipping = false
      } else {
        const piece = chunk.subarray(from, nl)
        const line = pendingLen ? Buffer.concat([...pending, piece], pendingLen + piece.length) : Buffer.from(piece)
        yield { line, next }
      }
      pending = []
      pendingLen = 0
      from = nl + 1
    }
    if (from < bytesRead && !skipping) {
      pending.push(Buffer.from(chunk.subarray(from)))
      pendingLen += bytesRead - from
      if (pendingLen > MAX_LINE) {
        log.warn(`skipping a log line longer than ${MAX_LINE} bytes`)
        skipping = true
        pending = []
        pendingLen = 0
      }
    }
    pos += bytesRead
  }
}

export interface BackwardLine {
  line: Buffer
  /** Offset of the line's first byte. */
  start: number
}

/**
 * Complete lines ending at or before `end`, last first. `end` should be just
 * past a newline (see lastLineEnd); bytes after the last newline are ignored.
 */
export async function* readLinesBackward(fh: FileHandle, end: number): AsyncGenerator<BackwardLine> {
  let pos = end
  // Bytes after the newline that precedes them, not yet a whole line (in file order).
  let tail: Buffer[] = []
  let tailLen = 0
  let skipping = false
  let sawNewline = false
  const buf = Buffer.allocUnsafe(CHUNK)
  while (pos > 0) {
    const size = Math.min(CHUNK, pos)
    pos -= size
    await readExactly(fh, buf, size, pos)
    const chunk = buf.subarray(0, size)
    let to = size
    for (let nl = chunk.lastIndexOf(NEWLINE, to - 1); nl >= 0; nl = to > 0 ? chunk.lastIndexOf(NEWLINE, to - 1) : -1) {
      if (sawNewline) {
        // chunk[nl+1 .. to) plus the carried tail is a whole line.
        if (skipping) {
          skipping = false
        } else {
          const piece = chunk.subarray(nl + 1, to)
          const line = tailLen ? Buffer.concat([piece, ...tail], piece.length + tailLen) : Buffer.from(piece)
          yield { line, start: pos + nl + 1 }
        }
      }
      // The first newline from the end only terminates the last line: content before it is that line.
      sawNewline = true
      tail = []
      tailLen = 0
      to = nl
    }
    if (to > 0 && !skipping && sawNewline) {
      tail.unshift(Buffer.from(chunk.subarray(0, to)))
      tailLen += to
      if (tailLen > MAX_LINE) {
        log.warn(`skipping a log line longer than ${MAX_LINE} bytes`)
        skipping = true
        tail = []
        tailLen = 0
      }
    }
  }
  if (sawNewline && !skipping && tailLen > 0) yield { line: Buffer.concat(tail, tailLen), start: 0 }
  // An empty first line ("\n" at offset 0) carries no log entry: nothing to yield.
}

/** Offset just past the last newline at or before `size` (0 if none within the last MAX_LINE bytes). */
export async function lastLineEnd(fh: FileHandle, size: number): Promise<number> {
  const buf = Buffer.allocUnsafe(CHUNK)
  let pos = size
  while (pos > 0 && size - pos <= MAX_LINE) {
    const n = Math.min(CHUNK, pos)
    pos -= n
    await readExactly(fh, buf, n, pos)
    const nl = buf.subarray(0, n).lastIndexOf(NEWLINE)
    if (nl >= 0) return pos + nl + 1
  }
  return 0
}

async function readExactly(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  let done = 0
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done)
    if (bytesRead === 0) throw new Error(`log file shrank while reading at offset ${position + done}`)
    done += bytesRead
  }
}
