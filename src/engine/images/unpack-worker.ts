/**
 * The engine's side of the unpack worker (see image/unpack/worker-main.ts):
 * started on first use inside tspod's user namespace, fed jobs over stdin,
 * answering over stdout, ended by closing its stdin.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { TspodError } from '../errors.js'
import { userNamespaceArgv, type UserNamespace } from '../../rootless/userns.js'
import { distPath } from '../../util/dist.js'
import type { Digest } from '../../image/digest.js'
import type { WorkerRequest, WorkerResponse } from '../../image/unpack/worker-protocol.js'

type Pending = { resolve: (r: WorkerResponse & { ok: true }) => void; reject: (e: Error) => void }
type Job = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never

export class UnpackWorker {
  private child?: ChildProcess
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private stderr = ''
  private exited?: Error

  constructor(private readonly ns: () => Promise<UserNamespace>) {}

  unpack(job: { blob: string; mediaType: string; dest: string; diffId: Digest }) {
    return this.request({ op: 'unpack', ...job })
  }

  async remove(paths: string[]): Promise<void> {
    if (paths.length > 0) await this.request({ op: 'remove', paths })
  }

  private async request(job: Job): Promise<WorkerResponse & { ok: true }> {
    const child = await this.start()
    if (this.exited) throw this.exited
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      child.stdin!.write(JSON.stringify({ ...job, id }) + '\n')
    })
  }

  private async start(): Promise<ChildProcess> {
    if (this.child) return this.child
    const [file, ...args] = userNamespaceArgv(await this.ns(), process.execPath, [distPath('unpack-worker.mjs')])
    if (this.child) return this.child
    const child = spawn(file!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    this.child = child
    child.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += d.toString()
    })
    createInterface({ input: child.stdout! }).on('line', line => {
      const res = JSON.parse(line) as WorkerResponse
      const waiter = this.pending.get(res.id)
      if (!waiter) return
      this.pending.delete(res.id)
      if (res.ok) waiter.resolve(res)
      else waiter.reject(new TspodError(res.error.code, res.error.message))
    })
    child.on('error', err => this.fail(new TspodError('unavailable', `starting the unpack worker: ${err.message}`)))
    child.on('exit', (code, signal) => {
      const helperLine = this.stderr.split('\n').find(l => l.trim() !== '')
      this.fail(
        new TspodError(
          'internal',
          `unpack worker exited (${signal ?? `status ${code}`})${helperLine ? `: ${helperLine.replace(/^tspod-nsexec: /, '')}` : ''}`,
        ),
      )
    })
    return child
  }

  private fail(err: Error): void {
    this.exited ??= err
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }

  /** Ends the worker once its jobs are done. */
  async close(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    await new Promise<void>(resolve => {
      child.once('exit', () => resolve())
      child.stdin!.end()
    })
  }
}
