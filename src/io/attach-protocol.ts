/**
 * The attach protocol between the shim (server, a unix socket per container)
 * and the CLI (client), both directions over one byte stream:
 *
 *   client → server: one line of JSON, the hello
 *                    {"stdin":true,"stdout":true,"stderr":true,"replay":true}
 *   then frames      [type: u8][length: u32 big-endian][payload]
 *
 *   server → client: 0x01 stdout data, 0x02 stderr data,
 *                    0x03 exit  {"exitCode":N} | {"error":"…"} (last frame)
 *   client → server: 0x10 stdin data, 0x11 stdin EOF (empty),
 *                    0x12 resize {"rows":R,"cols":C}, 0x13 signal {"signal":"SIGTERM"}
 *
 * Payloads are at most MAX_FRAME_PAYLOAD bytes (the encoder splits larger
 * data). Decoders are incremental (frames may be split across chunks or
 * several may share one) and reject garbage — an unknown type, a length over
 * the limit, bad JSON, an over-long hello — with AttachProtocolError.
 */
import { TspodError } from '../engine/errors.js'

export interface AttachHello {
  stdin: boolean
  stdout: boolean
  stderr: boolean
  /** Send the output the server buffered before this client connected. */
  replay: boolean
}
export type ExitInfo = { exitCode: number } | { error: string }
export interface WindowSize {
  rows: number
  cols: number
}

export type ServerFrame = { type: 'stdout' | 'stderr'; data: Buffer } | { type: 'exit'; exit: ExitInfo }
export type ClientFrame =
  | { type: 'stdin'; data: Buffer }
  | { type: 'stdin-eof' }
  | { type: 'resize'; size: WindowSize }
  | { type: 'signal'; signal: string }
/** What the server reads: the hello, then client frames. */
export type ClientMessage = { type: 'hello'; hello: AttachHello } | ClientFrame

export const FRAME_TYPES = {
  stdout: 0x01,
  stderr: 0x02,
  exit: 0x03,
  stdin: 0x10,
  'stdin-eof': 0x11,
  resize: 0x12,
  signal: 0x13,
} as const
export const MAX_FRAME_PAYLOAD = 1 << 20
export const MAX_HELLO = 4096
const HEADER = 5

export class AttachProtocolError extends TspodError {
  constructor(message: string) {
    super('data-loss', `attach protocol: ${message}`)
  }
}

export function encodeHello(hello: AttachHello): Buffer {
  const { stdin, stdout, stderr, replay } = hello
  return Buffer.from(JSON.stringify({ stdin, stdout, stderr, replay }) + '\n')
}

function header(type: number, length: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER)
  h[0] = type
  h.writeUInt32BE(length, 1)
  return h
}

/** Header and payload buffers (write them in order, e.g. corked); data over the limit becomes several frames. */
function encodeData(type: number, data: Buffer): Buffer[] {
  if (data.length === 0) return [header(type, 0)]
  const out: Buffer[] = []
  for (let pos = 0; pos < data.length; pos += MAX_FRAME_PAYLOAD) {
    const piece = data.subarray(pos, pos + MAX_FRAME_PAYLOAD)
    out.push(header(type, piece.length), piece)
  }
  return out
}

function encodeJson(type: number, value: unknown): Buffer[] {
  const payload = Buffer.from(JSON.stringify(value))
  return [header(type, payload.length), payload]
}

export function encodeServerFrame(frame: ServerFrame): Buffer[] {
  if (frame.type === 'exit') return encodeJson(FRAME_TYPES.exit, frame.exit)
  return encodeData(FRAME_TYPES[frame.type], frame.data)
}

export function encodeClientFrame(frame: ClientFrame): Buffer[] {
  switch (frame.type) {
    case 'stdin':
      return encodeData(FRAME_TYPES.stdin, frame.data)
    case 'stdin-eof':
      return [header(FRAME_TYPES['stdin-eof'], 0)]
    case 'resize':
      return encodeJson(FRAME_TYPES.resize, { rows: frame.size.rows, cols: frame.size.cols })
    case 'signal':
      return encodeJson(FRAME_TYPES.signal, { signal: frame.signal })
  }
}

function parseJson(payload: Buffer, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(payload.toString('utf8'))
  } catch {
    throw new AttachProtocolError(`${what} is not valid JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AttachProtocolError(`${what} is not a JSON object`)
  return value as Record<string, unknown>
}

const isU16 = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffff
const SIGNAL_RE = /^SIG[A-Z0-9]+(?:[+-]\d+)?$/

export function parseHello(line: Buffer): AttachHello {
  const obj = parseJson(line, 'hello')
  const flag = (key: keyof AttachHello) => {
    const v = obj[key] ?? false
    if (typeof v !== 'boolean') throw new AttachProtocolError(`hello field "${key}" must be a boolean`)
    return v
  }
  return { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), replay: flag('replay') }
}

function decodeServerPayload(type: number, payload: Buffer): ServerFrame {
  if (type === FRAME_TYPES.stdout) return { type: 'stdout', data: payload }
  if (type === FRAME_TYPES.stderr) return { type: 'stderr', data: payload }
  const obj = parseJson(payload, 'exit frame')
  if (Number.isInteger(obj.exitCode)) return { type: 'exit', exit: { exitCode: obj.exitCode as number } }
  if (typeof obj.error === 'string') return { type: 'exit', exit: { error: obj.error } }
  throw new AttachProtocolError('exit frame needs an integer "exitCode" or a string "error"')
}

function decodeClientPayload(type: number, payload: Buffer): ClientFrame {
  switch (type) {
    case FRAME_TYPES.stdin:
      return { type: 'stdin', data: payload }
    case FRAME_TYPES['stdin-eof']:
      if (payload.length) throw new AttachProtocolError('stdin EOF frame must be empty')
      return { type: 'stdin-eof' }
    case FRAME_TYPES.resize: {
      const obj = parseJson(payload, 'resize frame')
      if (!isU16(obj.rows) || !isU16(obj.cols)) throw new AttachProtocolError('resize frame needs integer "rows" and "cols" (0-65535)')
      return { type: 'resize', size: { rows: obj.rows, cols: obj.cols } }
    }
    default: {
      const obj = parseJson(payload, 'signal frame')
      if (typeof obj.signal !== 'string' || !SIGNAL_RE.test(obj.signal)) throw new AttachProtocolError('signal frame needs a signal name like "SIGTERM"')
      return { type: 'signal', signal: obj.signal }
    }
  }
}

const SERVER_TYPES: ReadonlySet<number> = new Set([FRAME_TYPES.stdout, FRAME_TYPES.stderr, FRAME_TYPES.exit])
const CLIENT_TYPES: ReadonlySet<number> = new Set([FRAME_TYPES.stdin, FRAME_TYPES['stdin-eof'], FRAME_TYPES.resize, FRAME_TYPES.signal])

/** Bytes received but not yet decoded, kept as a list so big payloads are copied once. */
class ByteQueue {
  private chunks: Buffer[] = []
  length = 0

  push(chunk: Buffer): void {
    if (chunk.length === 0) return
    this.chunks.push(chunk)
    this.length += chunk.length
  }

  /** Removes and returns the first n bytes (n <= length). */
  take(n: number): Buffer {
    this.length -= n
    const first = this.chunks[0]
    if (first && first.length >= n) {
      this.chunks[0] = first.subarray(n)
      if (this.chunks[0]!.length === 0) this.chunks.shift()
      return first.subarray(0, n)
    }
    const out = Buffer.allocUnsafe(n)
    let filled = 0
    while (filled < n) {
      const c = this.chunks[0]!
      const use = Math.min(c.length, n - filled)
      c.copy(out, filled, 0, use)
      filled += use
      if (use === c.length) this.chunks.shift()
      else this.chunks[0] = c.subarray(use)
    }
    return out
  }

  /** Offset of the first `byte`, or -1; only the first `limit` bytes are searched. */
  indexOf(byte: number, limit: number): number {
    let base = 0
    for (const c of this.chunks) {
      const i = c.subarray(0, Math.max(0, limit - base)).indexOf(byte)
      if (i >= 0) return base + i
      base += c.length
      if (base >= limit) break
    }
    return -1
  }
}

class Decoder<M> {
  private readonly queue = new ByteQueue()
  private current: { type: number; length: number } | undefined
  private failed: AttachProtocolError | undefined
  private helloPending: boolean

  constructor(
    private readonly allowed: ReadonlySet<number>,
    private readonly decodePayload: (type: number, payload: Buffer) => M,
    expectHello: boolean,
    private readonly helloMessage: (hello: AttachHello) => M,
  ) {
    this.helloPending = expectHello
  }

  /** Messages completed by this chunk, in order. Throws AttachProtocolError (and keeps failing). */
  push(chunk: Buffer): M[] {
    if (this.failed) throw this.failed
    this.queue.push(chunk)
    const out: M[] = []
    try {
      for (;;) {
        if (this.helloPending) {
          const nl = this.queue.indexOf(0x0a, MAX_HELLO)
          if (nl < 0) {
            if (this.queue.length >= MAX_HELLO) throw new AttachProtocolError(`hello line longer than ${MAX_HELLO} bytes`)
            break
          }
          const line = this.queue.take(nl + 1).subarray(0, nl)
          this.helloPending = false
          out.push(this.helloMessage(parseHello(line)))
          continue
        }
        if (!this.current) {
          if (this.queue.length < HEADER) break
          const h = this.queue.take(HEADER)
          const type = h[0]!
          const length = h.readUInt32BE(1)
          if (!this.allowed.has(type)) throw new AttachProtocolError(`unknown frame type 0x${type.toString(16).padStart(2, '0')}`)
          if (length > MAX_FRAME_PAYLOAD) throw new AttachProtocolError(`frame of ${length} bytes exceeds the ${MAX_FRAME_PAYLOAD}-byte limit`)
          this.current = { type, length }
        }
        if (this.queue.length < this.current.length) break
        const { type, length } = this.current
        this.current = undefined
        out.push(this.decodePayload(type, this.queue.take(length)))
      }
    } catch (err) {
      this.failed = err as AttachProtocolError
      throw err
    }
    return out
  }

  /** True when no partial hello or frame is buffered (the peer may close here). */
  get idle(): boolean {
    return !this.failed && !this.current && this.queue.length === 0
  }
}

/** Decodes what the client receives. */
export function createServerFrameDecoder(): { push(chunk: Buffer): ServerFrame[]; readonly idle: boolean } {
  return new Decoder<ServerFrame>(SERVER_TYPES, decodeServerPayload, false, () => {
    throw new AttachProtocolError('unexpected hello')
  })
}

/** Decodes what the server receives: the hello line, then client frames. */
export function createClientMessageDecoder(): { push(chunk: Buffer): ClientMessage[]; readonly idle: boolean } {
  return new Decoder<ClientMessage>(CLIENT_TYPES, decodeClientPayload, true, hello => ({ type: 'hello', hello }))
}
