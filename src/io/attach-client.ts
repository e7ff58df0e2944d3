/**
 * The CLI's half of attach (`run` attached, `attach`, `start -a`): connects
 * to the shim's socket, sends the hello, copies stdout/stderr frames to the
 * given Writables and the given stdin to stdin frames (its end → stdin EOF
 * frame; the connection stays open for the remaining output), and resolves
 * with how the session ended.
 *
 * With `terminal` (the container has a TTY and so does the user): the
 * terminal is put in raw mode and always restored, the window size is sent
 * at once and again on every SIGWINCH, and the detach keys (default
 * ctrl-p,ctrl-q) end the session without stopping the container and without
 * printing anything (the `attach` command prints podman's trailing newline
 * itself). Detach keys are only watched with a terminal: podman also checks
 * piped stdin (only when each key arrives in its own read), which can make
 * binary input detach; we never do.
 *
 * Signals (podman's --sig-proxy, default true): SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1 and SIGUSR2 received by the CLI are sent to the container
 * as signal frames. With sig-proxy off, SIGINT/SIGTERM end the session as
 * `interrupted` (podman's shutdown handler: the CLI exits 1, the container
 * keeps running); with a terminal, SIGHUP/SIGQUIT also end it as
 * `interrupted` after restoring the terminal (the CLI then exits 128 + N,
 * as podman dying of them would).
 */
import net from 'node:net'
import type { Readable, Writable } from 'node:stream'
import type { WriteStream } from 'node:tty'
import { TspodError } from '../engine/errors.js'
import { log } from '../util/log.js'
import {
  createServerFrameDecoder, encodeClientFrame, encodeHello, type ClientFrame, type ServerFrame, type WindowSize,
} from './attach-protocol.js'
import { DEFAULT_DETACH_KEYS, DetachKeyMatcher, parseDetachKeys } from './detach-keys.js'
import { enterRawMode, type TerminalInput } from './raw-terminal.js'

export interface AttachClientOptions {
  socketPath: string
  stdout?: Writable | null
  stderr?: Writable | null
  stdin?: Readable | null
  /** Ask for the output the shim buffered before we connected. Default false. */
  replay?: boolean
  /** Set when the container has a TTY and the user's terminal is one (usually process.stdin/process.stdout). */
  terminal?: { input: TerminalInput; output: Pick<WriteStream, 'columns' | 'rows'> } | null
  /** podman's --detach-keys; '' disables. Default ctrl-p,ctrl-q. */
  detachKeys?: string
  /** podman's --sig-proxy. Default true. */
  sigProxy?: boolean
}

export type AttachResult =
  | { kind: 'exited'; exitCode: number }
  /** The shim reported an error instead of an exit code (or dropped us as too slow). */
  | { kind: 'failed'; error: string }
  | { kind: 'detached' }
  /**
   * sig-proxy off and a signal arrived; the container keeps running. SIGINT/SIGTERM:
   * podman's shutdown handler exits 1. SIGHUP/SIGQUIT (only caught with a terminal,
   * to restore it): podman dies of them, so exit with 128 + the signal number.
   */
  | { kind: 'interrupted'; signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT' }
  /** The connection closed without an exit frame (the shim went away). */
  | { kind: 'disconnected' }

export const PROXIED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const

export async function attach(options: AttachClientOptions): Promise<AttachResult> {
  const keys = parseDetachKeys(options.detachKeys ?? DEFAULT_DETACH_KEYS)
  const socket = await connect(options.socketPath)
  return new AttachSession(socket, options, keys).run()
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath)
    socket.once('connect', () => {
      socket.off('error', onError)
      resolve(socket)
    })
    const onError = (err: Error) =>
      reject(new TspodError('unavailable', `attaching to container: connecting to ${socketPath}: ${err.message}`, { cause: err }))
    socket.once('error', onError)
  })
}

class AttachSession {
  private readonly cleanups: (() => void)[] = []
  private done = false
  private settle!: { resolve: (r: AttachResult) => void; reject: (e: unknown) => void }
  private readonly decoder = createServerFrameDecoder()
  /** Sinks we wait on for 'drain' (one listener each, however many frames filled them). */
  private readonly pausedSinks = new Set<Writable>()

  constructor(
    private readonly socket: net.Socket,
    private readonly options: AttachClientOptions,
    private readonly keys: Buffer,
  ) {}

  run(): Promise<AttachResult> {
    const result = new Promise<AttachResult>((resolve, reject) => {
      this.settle = { resolve, reject }
    })
    try {
      this.start()
    } catch (err) {
      this.fail(err)
    }
    return result
  }

  private start(): void {
    const { socket, options } = this
    this.cleanups.push(() => socket.destroy())
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('end', () => this.finish({ kind: 'disconnected' }))
    socket.on('close', () => this.finish({ kind: 'disconnected' }))
    socket.on('error', err => {
      log.debug(`attach connection: ${err.message}`)
      this.finish({ kind: 'disconnected' })
    })

    this.installSignals()
    const terminal = options.terminal
    if (terminal) this.cleanups.push(enterRawMode(terminal.input))

    socket.write(encodeHello({ stdin: !!options.stdin, stdout: !!options.stdout, stderr: !!options.stderr, replay: !!options.replay }))
    if (terminal) {
      this.sendSize()
      const onWinch = () => setImmediate(() => this.sendSize())
      process.on('SIGWINCH', onWinch)
      this.cleanups.push(() => process.off('SIGWINCH', onWinch))
    }
    if (options.stdin) this.pipeStdin(options.stdin)
  }

  private installSignals(): void {
    const on = (sig: NodeJS.Signals, fn: () => void) => {
      process.on(sig, fn)
      this.cleanups.push(() => process.off(sig, fn))
    }
    if (this.options.sigProxy ?? true) {
      for (const sig of PROXIED_SIGNALS) on(sig, () => this.send({ type: 'signal', signal: sig }))
      return
    }
    for (const sig of ['SIGINT', 'SIGTERM'] as const) on(sig, () => this.finish({ kind: 'interrupted', signal: sig }))
    if (this.options.terminal) {
      // Unhandled, these would kill us with the terminal still raw. Re-raising
      // after the restore is unreliable (signal-exit, loaded by execa, keeps a
      // listener), so the caller gets them and exits with 128 + the signal.
      for (const sig of ['SIGHUP', 'SIGQUIT'] as const) on(sig, () => this.finish({ kind: 'interrupted', signal: sig }))
    }
  }

  private sendSize(): void {
    const out = this.options.terminal?.output
    if (!out || !out.columns || !out.rows) return
    const size: WindowSize = { rows: out.rows, cols: out.columns }
    this.send({ type: 'resize', size })
  }

  private pipeStdin(stdin: Readable): void {
    const matcher = this.options.terminal ? new DetachKeyMatcher(this.keys) : undefined
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      const { data, detach } = matcher ? matcher.push(buf) : { data: buf, detach: false }
      if (data.length && !this.send({ type: 'stdin', data })) {
        stdin.pause()
        this.socket.once('drain', () => {
          if (!this.done) stdin.resume()
        })
      }
      if (detach) this.finish({ kind: 'detached' })
    }
    const onEnd = () => {
      const held = matcher?.flush()
      if (held?.length) this.send({ type: 'stdin', data: held })
      this.send({ type: 'stdin-eof' })
    }
    const onError = (err: Error) => {
      log.debug(`attach stdin: ${err.message}`)
      onEnd()
    }
    stdin.on('data', onData)
    stdin.once('end', onEnd)
    stdin.once('error', onError)
    this.cleanups.push(() => {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      stdin.off('error', onError)
      // Stop reading so the CLI can exit (process.stdin keeps the loop alive while flowing).
      stdin.pause()
    })
  }

  /** Returns false when the socket wants us to wait for 'drain'. */
  private send(frame: ClientFrame): boolean {
    const s = this.socket
    if (this.done || s.destroyed || s.writableEnded) return true
    s.cork()
    let ok = true
    for (const b of encodeClientFrame(frame)) ok = s.write(b)
    s.uncork()
    return ok
  }

  private onData(chunk: Buffer): void {
    if (this.done) return
    let frames: ServerFrame[]
    try {
      frames = this.decoder.push(chunk)
    } catch (err) {
      this.fail(err)
      return
    }
    for (const f of frames) {
      if (this.done) return
      if (f.type === 'exit') {
        this.finish('exitCode' in f.exit ? { kind: 'exited', exitCode: f.exit.exitCode } : { kind: 'failed', error: f.exit.error })
        return
      }
      const sink = f.type === 'stdout' ? this.options.stdout : this.options.stderr
      if (sink && !sink.write(f.data) && !this.pausedSinks.has(sink)) {
        // Let a slow terminal or pipe slow the stream down instead of buffering without bound.
        this.pausedSinks.add(sink)
        this.socket.pause()
        sink.once('drain', () => {
          this.pausedSinks.delete(sink)
          if (this.pausedSinks.size === 0 && !this.done) this.socket.resume()
        })
      }
    }
  }

  private cleanup(): void {
    this.done = true
    // Reverse order: restore the terminal before tearing down the rest; each step runs even if one throws.
    for (const fn of this.cleanups.reverse()) {
      try {
        fn()
      } catch (err) {
        log.debug(`attach cleanup: ${(err as Error).message}`)
      }
    }
    this.cleanups.length = 0
  }

  private finish(result: AttachResult): void {
    if (this.done) return
    this.cleanup()
    void Promise.all([this.options.stdout, this.options.stderr].map(drained)).then(() => this.settle.resolve(result))
  }

  private fail(err: unknown): void {
    if (this.done) return
    this.cleanup()
    this.settle.reject(err)
  }
}

/** Resolves once a sink has written out what it buffered (or can no longer). */
function drained(w: Writable | null | undefined): Promise<void> {
  if (!w || !w.writableNeedDrain || w.destroyed) return Promise.resolve()
  return new Promise(resolve => {
    const done = () => {
      w.off('drain', done)
      w.off('close', done)
      w.off('error', done)
      resolve()
    }
    w.on('drain', done)
    w.on('close', done)
    w.on('error', done)
  })
}
