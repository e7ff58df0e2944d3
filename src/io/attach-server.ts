/**
 * The shim's half of attach: a unix socket (mode 0600) per container that
 * any number of CLI clients connect to (see attach-protocol.ts).
 *
 * - Output passed to output() goes to every client that asked for that
 *   stream, and into a replay buffer (the last `replayBytes`, default 1 MiB)
 *   sent first to clients whose hello asks for replay.
 * - stdin frames from clients that asked for stdin are written to the
 *   container's stdin; when it pushes back, those clients are paused.
 *   A stdin EOF frame ends the container's stdin (podman closes it when the
 *   attached client's stdin ends) unless `closeStdinOnEof` is false.
 * - resize and signal frames go to the callbacks.
 * - exit() sends the exit frame to every client, closes them, and keeps
 *   answering late clients with replay + exit until close().
 * - Clients may disconnect at any time; that only removes them. A client
 *   that stops reading is never waited for: its output queues in memory up to
 *   `clientBufferBytes` (default 8 MiB), beyond which the server stops sending
 *   it output, queues an exit frame {"error": "…too slow…"} and closes it, so
 *   it sees why rather than silently missing output. The container and the
 *   other clients are never blocked by it.
 */
import { chmodSync, promises as fsp, renameSync, rmSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { TspodError } from '../engine/errors.js'
import { log } from '../util/log.js'
import {
  createClientMessageDecoder, encodeServerFrame, type AttachHello, type ClientMessage, type ExitInfo, type ServerFrame, type WindowSize,
} from './attach-protocol.js'

export interface AttachServerOptions {
  /** The container's stdin, or null/undefined when it has none (stdin frames are then dropped). */
  stdin?: Writable | null
  /** End `stdin` when a client sends stdin EOF. Default true. */
  closeStdinOnEof?: boolean
  onResize?: (size: WindowSize) => void
  onSignal?: (signal: string) => void
  /** Output kept for replay. Default 1 MiB. */
  replayBytes?: number
  /** Output queued for one client before it is disconnected as too slow. Default 8 MiB. */
  clientBufferBytes?: number
}

type OutputStream = 'stdout' | 'stderr'

interface Client {
  socket: net.Socket
  hello?: AttachHello
  decoder: ReturnType<typeof createClientMessageDecoder>
  dropped: boolean
}

/** Unix socket paths are limited by sockaddr_un.sun_path (108 bytes with the NUL). */
const MAX_SOCKET_PATH = 107
const EXIT_GRACE_MS = 5000

export class AttachServer {
  private readonly clients = new Set<Client>()
  private readonly replay: { stream: OutputStream; data: Buffer }[] = []
  private replayHead = 0
  private replaySize = 0
  private exitInfo: ExitInfo | undefined
  private stdinEnded = false
  private helloSeen = false
  private readonly pausedForStdin = new Set<Client>()
  private readonly helloWaiters: (() => void)[] = []
  private readonly replayBytes: number
  private readonly clientBufferBytes: number

  private constructor(
    readonly socketPath: string,
    private readonly server: net.Server,
    private readonly options: AttachServerOptions,
  ) {
    this.replayBytes = options.replayBytes ?? 1 << 20
    this.clientBufferBytes = options.clientBufferBytes ?? 8 << 20
    server.on('connection', socket => this.accept(socket))
    const stdin = options.stdin
    if (stdin) {
      stdin.on('drain', () => this.resumeStdinClients())
      // EPIPE once the container closed its stdin: not the shim's problem.
      stdin.on('error', err => {
        log.debug(`container stdin: ${err.message}`)
        this.stdinEnded = true
        this.resumeStdinClients()
      })
    }
  }

  /** Listens on `socketPath` (replacing a stale socket there), mode 0600 from the start. */
  static async listen(socketPath: string, options: AttachServerOptions = {}): Promise<AttachServer> {
    // Bind under a temporary name, restrict it, then rename into place, so
    // the socket is never reachable with a wider mode.
    const tmp = path.join(path.dirname(socketPath), `.${process.pid}.${path.basename(socketPath)}`.slice(0, 40) + '.tmp')
    for (const p of [socketPath, tmp]) {
      if (Buffer.byteLength(p) > MAX_SOCKET_PATH) {
        throw new TspodError('invalid-argument', `attach socket path ${p} is longer than ${MAX_SOCKET_PATH} bytes`)
      }
    }
    // Small metadata calls, made synchronously: a threadpool round trip each would cost more (this is on every start's path).
    rmSync(tmp, { force: true })
    const server = net.createServer({ allowHalfOpen: true })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(tmp, () => {
        server.off('error', reject)
        resolve()
      })
    })
    try {
      chmodSync(tmp, 0o600)
      renameSync(tmp, socketPath)
    } catch (err) {
      server.close()
      rmSync(tmp, { force: true })
      throw err
    }
    server.on('error', err => log.warn(`attach socket ${socketPath}: ${err.message}`))
    return new AttachServer(socketPath, server, options)
  }

  /** Number of connected clients (including those that have not sent their hello yet). */
  get clientCount(): number {
    return this.clients.size
  }

  /** True once any client has said hello (it may have gone since). */
  get everAttached(): boolean {
    return this.helloSeen
  }

  /** Number of clients whose hello has been processed: they receive output from now on. */
  get attachedCount(): number {
    let n = 0
    for (const c of this.clients) if (c.hello && !c.dropped) n++
    return n
  }

  /** Resolves once a client is attached (at once if one is), or after `timeoutMs`. */
  whenAttached(timeoutMs: number): Promise<void> {
    if (this.attachedCount > 0) return Promise.resolve()
    return new Promise(resolve => {
      const timer = setTimeout(resolve, timeoutMs)
      this.helloWaiters.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  /** Container output. The chunk is kept for replay: do not modify it afterwards. */
  output(stream: OutputStream, chunk: Buffer): void {
    if (chunk.length === 0 || this.exitInfo) return
    this.remember(stream, chunk)
    for (const c of this.clients) {
      if (c.hello?.[stream]) this.send(c, { type: stream, data: chunk })
    }
  }

  /**
   * The container exited: sends `info` to every client and closes them.
   * Resolves when they are gone (clients that do not read are cut off after a grace period).
   */
  async exit(info: ExitInfo): Promise<void> {
    if (this.exitInfo) return
    this.exitInfo = info
    const gone = [...this.clients].map(c => this.finish(c))
    await Promise.all(gone)
  }

  /** Stops listening, disconnects everyone, removes the socket. */
  async close(): Promise<void> {
    const closed = new Promise<void>(resolve => this.server.close(() => resolve()))
    for (const c of this.clients) c.socket.destroy()
    this.clients.clear()
    await closed
    await fsp.rm(this.socketPath, { force: true })
  }

  private accept(socket: net.Socket): void {
    const client: Client = { socket, decoder: createClientMessageDecoder(), dropped: false }
    this.clients.add(client)
    socket.on('data', (chunk: Buffer) => {
      let messages: ClientMessage[]
      try {
        messages = client.decoder.push(chunk)
      } catch (err) {
        log.debug(`attach client sent garbage: ${(err as Error).message}`)
        this.send(client, { type: 'exit', exit: { error: (err as Error).message } })
        this.drop(client)
        return
      }
      for (const m of messages) this.handle(client, m)
    })
    // The client ended its side (or detached): nothing more to read from it.
    socket.on('end', () => this.drop(client))
    socket.on('error', err => {
      log.debug(`attach client: ${err.message}`)
      this.drop(client)
    })
    socket.on('close', () => {
      this.clients.delete(client)
      this.pausedForStdin.delete(client)
    })
  }

  private handle(client: Client, m: ClientMessage): void {
    if (m.type === 'hello') {
      client.hello = m.hello
      this.helloSeen = true
      if (m.hello.replay) {
        for (let i = this.replayHead; i < this.replay.length; i++) {
          const r = this.replay[i]!
          if (m.hello[r.stream]) this.send(client, { type: r.stream, data: r.data })
        }
      }
      for (const wake of this.helloWaiters.splice(0)) wake()
      if (this.exitInfo) void this.finish(client)
      return
    }
    // Frames before the hello cannot happen: the decoder yields the hello first.
    switch (m.type) {
      case 'stdin': {
        const stdin = this.options.stdin
        if (!client.hello?.stdin || !stdin || this.stdinEnded) return
        if (!stdin.write(m.data)) {
          client.socket.pause()
          this.pausedForStdin.add(client)
        }
        return
      }
      case 'stdin-eof':
        if (client.hello?.stdin && this.options.stdin && !this.stdinEnded && this.options.closeStdinOnEof !== false) {
          this.stdinEnded = true
          this.options.stdin.end()
        }
        return
      case 'resize':
        this.callback(() => this.options.onResize?.(m.size))
        return
      case 'signal':
        this.callback(() => this.options.onSignal?.(m.signal))
        return
    }
  }

  private callback(fn: () => void): void {
    try {
      fn()
    } catch (err) {
      log.warn(`attach: ${(err as Error).message}`)
    }
  }

  private resumeStdinClients(): void {
    for (const c of this.pausedForStdin) c.socket.resume()
    this.pausedForStdin.clear()
  }

  private remember(stream: OutputStream, chunk: Buffer): void {
    if (this.replayBytes <= 0) return
    const data = chunk.length > this.replayBytes ? chunk.subarray(chunk.length - this.replayBytes) : chunk
    this.replay.push({ stream, data })
    this.replaySize += data.length
    while (this.replaySize > this.replayBytes) {
      const first = this.replay[this.replayHead]!
      const excess = this.replaySize - this.replayBytes
      if (first.data.length <= excess) {
        this.replayHead++
        this.replaySize -= first.data.length
      } else {
        first.data = first.data.subarray(excess)
        this.replaySize -= excess
      }
    }
    if (this.replayHead > 1024 && this.replayHead * 2 > this.replay.length) {
      this.replay.splice(0, this.replayHead)
      this.replayHead = 0
    }
  }

  private send(client: Client, frame: ServerFrame): void {
    const s = client.socket
    if (client.dropped || s.destroyed || s.writableEnded) return
    if (frame.type !== 'exit' && s.writableLength > this.clientBufferBytes) {
      log.warn(`attach client too slow: more than ${this.clientBufferBytes} bytes of output queued, disconnecting it`)
      this.send(client, { type: 'exit', exit: { error: 'attach client too slow: output was not read, disconnected' } })
      this.drop(client)
      return
    }
    s.cork()
    for (const b of encodeServerFrame(frame)) s.write(b)
    s.uncork()
  }

  /** Stops talking to a client: no more output, end our side once queued data is out. */
  private drop(client: Client): void {
    if (client.dropped) return
    client.dropped = true
    this.pausedForStdin.delete(client)
    client.socket.end()
    // A peer that never reads would keep the socket (and its queued output) forever.
    const timer = setTimeout(() => client.socket.destroy(), EXIT_GRACE_MS)
    timer.unref()
    client.socket.once('close', () => clearTimeout(timer))
  }

  /** Sends the exit frame and closes; a client still before its hello gets them when the hello arrives (see handle). */
  private finish(client: Client): Promise<void> {
    const closed = new Promise<void>(resolve => {
      if (client.socket.closed) resolve()
      else client.socket.once('close', () => resolve())
    })
    if (client.hello) {
      this.send(client, { type: 'exit', exit: this.exitInfo! })
      this.drop(client)
      return closed
    }
    // Not waited for: a connection that never says hello is cut off after the grace period.
    const timer = setTimeout(() => client.socket.destroy(), EXIT_GRACE_MS)
    timer.unref()
    client.socket.once('close', () => clearTimeout(timer))
    return Promise.resolve()
  }
}
