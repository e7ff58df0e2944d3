/**
 * A Syscalls that touches nothing and records every call, for unit tests of
 * the code that uses syscalls. Results are scripted per method; by default
 * locks are granted, children exit 0 and terminals are 24x80.
 */
import type { ExitStatus, FdListener, LockMode, ReceivedFd, Syscalls, Winsize } from './index.js'

export interface RecordedCall {
  name: keyof Syscalls
  args: unknown[]
}

export interface FakeSyscallsScript {
  /** Result of tryFlock; when false, flock() still resolves (the holder "went away"). */
  lockFree?: boolean
  exitStatus?: (pid: number) => ExitStatus
  winsize?: Winsize
  /** What each receive() of a listener yields, in order. */
  receivedFds?: ReceivedFd[]
  /** Makes the named method throw this error. */
  fail?: Partial<Record<keyof Syscalls, Error>>
}

export class FakeSyscalls implements Syscalls {
  readonly calls: RecordedCall[] = []
  constructor(readonly script: FakeSyscallsScript = {}) {}

  /** The recorded calls of one method, arguments only. */
  callsOf(name: keyof Syscalls): unknown[][] {
    return this.calls.filter(c => c.name === name).map(c => c.args)
  }

  private record(name: keyof Syscalls, args: unknown[]): void {
    this.calls.push({ name, args })
    const err = this.script.fail?.[name]
    if (err) throw err
  }

  async flock(fd: number, mode: LockMode): Promise<void> {
    this.record('flock', [fd, mode])
  }
  tryFlock(fd: number, mode: LockMode): boolean {
    this.record('tryFlock', [fd, mode])
    return this.script.lockFree ?? true
  }
  unlock(fd: number): void {
    this.record('unlock', [fd])
  }
  setChildSubreaper(): void {
    this.record('setChildSubreaper', [])
  }
  setsid(): number {
    this.record('setsid', [])
    return process.pid
  }
  /** Fake fds: never real descriptors, only numbers to check in calls. */
  pipe(): [number, number] {
    this.record('pipe', [])
    return [1000, 1001]
  }
  async waitForExit(pid: number, opts?: { signal?: AbortSignal }): Promise<ExitStatus> {
    this.record('waitForExit', opts ? [pid, opts] : [pid])
    return this.script.exitStatus?.(pid) ?? { exitCode: 0, signal: null, status: 0 }
  }
  mount(source: string | null, target: string, fstype: string | null, flags = 0, data?: string): void {
    this.record('mount', [source, target, fstype, flags, data])
  }
  umount(target: string, flags = 0): void {
    this.record('umount', [target, flags])
  }
  listenForFd(path: string): FdListener {
    this.record('listenForFd', [path])
    const queue = [...(this.script.receivedFds ?? [])]
    let closed = false
    return {
      path,
      receive: async () => {
        if (closed) throw new Error(`fd listener ${path} is closed`)
        const next = queue.shift()
        if (!next) throw new Error(`FakeSyscalls: no scripted fd left for ${path}`)
        return next
      },
      close: () => {
        closed = true
      },
    }
  }
  sendFd(path: string, fd: number, name?: string): void {
    this.record('sendFd', name === undefined ? [path, fd] : [path, fd, name])
  }
  getWinsize(fd: number): Winsize {
    this.record('getWinsize', [fd])
    return this.script.winsize ?? { rows: 24, cols: 80 }
  }
  setWinsize(fd: number, size: Winsize): void {
    this.record('setWinsize', [fd, size])
  }
}
