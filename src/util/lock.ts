/**
 * File locks between tspod processes, built on flock(2): open the file
 * (creating it), lock, run, unlock. The kernel drops a lock when its holder
 * dies, so kill -9 or a reboot never leaves a stale lock to clean up.
 *
 * Within one process, acquisitions of the same path first queue here (a
 * readers/writer gate), so only locks held by *other* processes are waited for
 * in flock() — on a threadpool thread. Without the gate, a handful of waiters
 * for a lock this process holds would occupy all four threadpool threads, and
 * the holder's own fs calls could then never finish (a deadlock).
 */
import { open, type FileHandle } from 'node:fs/promises'
import { resolve } from 'node:path'
import { syscalls, type LockSyscalls } from '../../native-bindings/index.js'

export interface LockOptions {
  /** Several shared holders may coexist; an exclusive holder excludes everyone. */
  shared?: boolean
  /** Injected in tests of callers. */
  syscalls?: LockSyscalls
}

export interface Lock {
  readonly path: string
  readonly shared: boolean
  /** Idempotent. */
  release(): Promise<void>
}

interface Waiter {
  shared: boolean
  grant: () => void
}

/** In-process readers/writer gate for one path, FIFO so writers are not starved. */
class Gate {
  readers = 0
  writer = false
  readonly queue: Waiter[] = []

  enter(shared: boolean): Promise<void> {
    if (this.queue.length === 0 && this.admits(shared)) {
      this.take(shared)
      return Promise.resolve()
    }
    return new Promise(grant => this.queue.push({ shared, grant }))
  }

  leave(shared: boolean): void {
    if (shared) this.readers--
    else this.writer = false
    while (this.queue.length > 0 && this.admits(this.queue[0]!.shared)) {
      const next = this.queue.shift()!
      this.take(next.shared)
      next.grant()
    }
  }

  get idle(): boolean {
    return this.readers === 0 && !this.writer && this.queue.length === 0
  }

  /** True when enter(shared) would be granted at once. */
  wouldAdmit(shared: boolean): boolean {
    return this.queue.length === 0 && this.admits(shared)
  }

  private admits(shared: boolean): boolean {
    return shared ? !this.writer : !this.writer && this.readers === 0
  }

  private take(shared: boolean): void {
    if (shared) this.readers++
    else this.writer = true
  }
}

const gates = new Map<string, Gate>()

export async function acquireLock(path: string, opts: LockOptions = {}): Promise<Lock> {
  return (await takeLock(path, opts, true))!
}

/** The lock if nobody holds it (in this process or another), else undefined: never waits. */
export function tryAcquireLock(path: string, opts: LockOptions = {}): Promise<Lock | undefined> {
  return takeLock(path, opts, false)
}

async function takeLock(path: string, opts: LockOptions, wait: boolean): Promise<Lock | undefined> {
  const sys = opts.syscalls ?? syscalls
  const shared = opts.shared ?? false
  const mode = shared ? 'shared' : 'exclusive'
  const key = resolve(path)
  let gate = gates.get(key)
  if (!gate) gates.set(key, (gate = new Gate()))
  if (!wait && !gate.wouldAdmit(shared)) return undefined
  await gate.enter(shared)

  let file: FileHandle | undefined
  try {
    file = await open(key, 'a+', 0o644) // O_CREAT without truncating; O_CLOEXEC is Node's default
    if (!sys.tryFlock(file.fd, mode)) {
      if (!wait) {
        await file.close()
        leaveGate(key, gate, shared)
        return undefined
      }
      await sys.flock(file.fd, mode)
    }
  } catch (err) {
    await file?.close()
    leaveGate(key, gate, shared)
    throw err
  }

  let released = false
  const held = file
  return {
    path: key,
    shared,
    async release() {
      if (released) return
      released = true
      try {
        sys.unlock(held.fd)
      } finally {
        await held.close()
        leaveGate(key, gate, shared)
      }
    },
  }
}

function leaveGate(key: string, gate: Gate, shared: boolean): void {
  gate.leave(shared)
  if (gate.idle && gates.get(key) === gate) gates.delete(key)
}

/** Runs `fn` while holding the lock on `path`; the lock is released however `fn` ends. */
export async function withLock<T>(path: string, fn: () => T | Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(path, opts)
  try {
    return await fn()
  } finally {
    await lock.release()
  }
}
