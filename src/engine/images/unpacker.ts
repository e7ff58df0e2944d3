/**
 * Where layers get unpacked. Files of subordinate owners can only be created
 * by root of tspod's user namespace, so a process outside it hands the work
 * to an unpack worker started there (dist/unpack-worker.mjs). Layers are
 * unpacked from their blob file *while it downloads*: the downloader only
 * announces how far the file has grown (one short line per megabyte on a
 * unix socket), and the worker reads the bytes from the page cache — the CLI
 * keeps downloading and hashing on one core while the worker inflates and
 * writes on the other. A process already in the namespace (or real root)
 * unpacks itself, the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Digest } from '../../image/digest.js'
import { TspodError, type ErrorCode } from '../errors.js'
import { inUserNamespace } from '../remove-tree.js'
import { userNamespaceArgv, type UserNamespace } from '../../rootless/userns.js'
import { distPath } from '../../util/dist.js'
import { builtin } from '../../util/builtin.js'

export interface UnpackedLayer {
  diffId: Digest
  size: number
  warnings: string[]
}

/** One layer being unpacked from a blob file that may still be growing. */
export interface LayerFeed {
  /** This many bytes of the file are written (a running total). */
  grow(bytes: number): void
  /** The file was renamed (committed into the store). */
  moved(path: string): void
  /** The download failed: stop. */
  fail(err: Error): void
  readonly result: Promise<UnpackedLayer>
}

export interface Unpacker {
  /** Unpack the blob at `path` (`total` bytes once complete) into `dest`, which must not exist yet. */
  unpack(path: string, total: number, mediaType: string, dest: string): LayerFeed
  /** Delete trees (failed or unneeded staging directories). */
  remove(paths: string[]): Promise<void>
  close(): Promise<void>
}

/** The request line that starts each connection to the worker. */
export type UnpackRequest = { op: 'unpack'; path: string; total: number; mediaType: string; dest: string } | { op: 'remove'; paths: string[] }
export type UnpackResponse = ({ ok: true } & Partial<UnpackedLayer>) | { ok: false; code: ErrorCode; message: string }

export function openUnpacker(ns: () => Promise<UserNamespace>, runRoot: string): Promise<Unpacker> | Unpacker {
  if (inUserNamespace() || process.getuid?.() === 0) return new InProcessUnpacker()
  return ns().then(n => WorkerUnpacker.start(n, runRoot))
}

class InProcessUnpacker implements Unpacker {
  unpack(path: string, total: number, mediaType: string, dest: string): LayerFeed {
    let file: import('../../image/unpack/growing-file.js').GrowingFile | undefined
    let grown = 0
    let failure: Error | undefined
    const result = (async () => {
      const [{ GrowingFile }, { unpackLayer }] = await Promise.all([import('../../image/unpack/growing-file.js'), import('../../image/unpack/unpack.js')])
      file = new GrowingFile(path, total)
      file.grow(grown)
      if (failure) file.fail(failure)
      return unpackLayer(file.stream(), dest, { mediaType })
    })()
    return {
      grow: n => (file ? file.grow(n) : (grown = n)),
      moved: p => (file ? file.moved(p) : (path = p)),
      fail: err => (file ? file.fail(err) : (failure = err)),
      result,
    }
  }

  async remove(paths: string[]): Promise<void> {
    const { rm } = builtin<typeof import('node:fs/promises')>('node:fs/promises')
    await Promise.all(paths.map(p => rm(p, { recursive: true, force: true })))
  }

  async close(): Promise<void> {}
}

class WorkerUnpacker implements Unpacker {
  private constructor(
    private readonly child: ChildProcess,
    private readonly ready: Promise<void>,
    private readonly socketPath: string,
  ) {}

  /** Starts the worker; its Node start-up overlaps whatever the caller does next. */
  static start(ns: UserNamespace, runRoot: string): WorkerUnpacker {
    const socketPath = join(runRoot, `unpack-${randomBytes(6).toString('hex')}.sock`)
    const [file, ...args] = userNamespaceArgv(ns, process.execPath, [distPath('unpack-worker.mjs'), socketPath])
    const child = spawn(file!, args, { stdio: ['pipe', 'pipe', 'inherit'] })
    const ready = new Promise<void>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', code => reject(new TspodError('internal', `the unpack worker exited (status ${code}) before it was ready`)))
      createInterface({ input: child.stdout! }).once('line', () => resolve())
    })
    ready.catch(() => {})
    return new WorkerUnpacker(child, ready, socketPath)
  }

  /** Opens a connection, sends the request line; resolves with the socket and the worker's answer. */
  private async open(req: UnpackRequest): Promise<{ socket: Socket; answer: Promise<UnpackResponse & { ok: true }> }> {
    await this.ready
    const socket = connect(this.socketPath)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const answer = new Promise<UnpackResponse & { ok: true }>((resolve, reject) => {
      let text = ''
      socket.on('data', (d: Buffer) => (text += d.toString()))
      socket.once('error', reject)
      socket.once('end', () => {
        const res = JSON.parse(text.trim() || '{"ok":false,"code":"internal","message":"no answer from the unpack worker"}') as UnpackResponse
        if (res.ok) resolve(res)
        else reject(new TspodError(res.code, res.message))
      })
    })
    socket.write(JSON.stringify(req) + '\n')
    return { socket, answer }
  }

  unpack(path: string, total: number, mediaType: string, dest: string): LayerFeed {
    const opened = this.open({ op: 'unpack', path, total, mediaType, dest })
    let last = 0
    const send = (line: string) => void opened.then(o => !o.socket.writableEnded && o.socket.write(line + '\n'), () => {})
    return {
      grow: n => {
        if (n <= last) return
        last = n
        send(String(n))
      },
      moved: p => {
        send(`moved ${p}`)
        void opened.then(o => o.socket.end(), () => {})
      },
      fail: err => {
        send(`abort ${err.message.replace(/\n/g, ' ')}`)
        void opened.then(o => o.socket.end(), () => {})
      },
      result: opened.then(o => o.answer).then(res => ({ diffId: res.diffId!, size: res.size!, warnings: res.warnings ?? [] })),
    }
  }

  async remove(paths: string[]): Promise<void> {
    if (paths.length === 0) return
    const { socket, answer } = await this.open({ op: 'remove', paths })
    socket.end()
    await answer
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return
    await new Promise<void>(resolve => {
      this.child.once('exit', () => resolve())
      this.child.stdin!.end()
    })
  }
}
