/** Helpers shared by the src/io tests (not used by tspod itself). */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import type { LogTime } from './log-format.js'

/** A Writable that keeps everything written to it. */
export class Collector extends Writable {
  private readonly chunks: Buffer[] = []
  constructor(options: { highWaterMark?: number } = {}) {
    super(options)
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk))
    this.emit('collected')
    cb()
  }
  get buffer(): Buffer {
    return Buffer.concat(this.chunks)
  }
  get text(): string {
    return this.buffer.toString('utf8')
  }
}

/** Waits (yielding to the event loop, no timing assertions) until `cond` holds. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; !(await cond()); i++) {
    if (i > 3000) throw new Error(`gave up waiting for ${what}`)
    await new Promise(r => setTimeout(r, 10))
  }
}

/** A temp dir removed when the test ends. */
export async function tempDir(t: { teardown(fn: () => unknown): void }, prefix = 'tspod-io-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A clock for LogWriter that returns the given instants in turn (then keeps the last). */
export function scriptedClock(times: LogTime[]): () => LogTime {
  let i = 0
  return () => times[Math.min(i++, times.length - 1)]!
}

export const nsOfIso = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n

/** A deferred promise. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Deterministic pseudo-random numbers (xorshift32) so failures reproduce. */
export function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1
  return n => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % n
  }
}

/**
 * The command that runs the attach CLI fixture as a child process, with the
 * TypeScript loader tap gave this test process.
 */
export function attachCliCommand(options: Record<string, unknown>): { file: string; args: string[] } {
  const loader = process.execArgv.find(a => a.includes('@tapjs/typescript'))
  if (!loader) throw new Error('the TypeScript loader of tap is missing from process.execArgv: run this test with `npx tap`')
  const fixture = new URL('./fixtures/attach-cli.ts', import.meta.url).pathname
  return { file: process.execPath, args: [loader, fixture, Buffer.from(JSON.stringify(options)).toString('base64')] }
}
