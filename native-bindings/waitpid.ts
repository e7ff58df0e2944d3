/**
 * Waiting for a specific child (or subreaped orphan) to exit without blocking
 * the event loop: a pidfd becomes readable when the process exits, libuv polls
 * it, then waitpid(WNOHANG) collects the status. Only the given pid is reaped,
 * never -1, so Node's own child_process bookkeeping is left alone.
 */
import { constants } from 'node:os'
import { closeSync } from 'node:fs'
import { errno, lazyFn, syscallError } from './libc.js'
import { canPoll, whenReadable } from './poll.js'

export interface ExitStatus {
  /** The exit code, or null when the process was killed by a signal. */
  exitCode: number | null
  /** The signal that killed the process, or null when it exited. */
  signal: NodeJS.Signals | null
  /** As a shell reports it: the exit code, or 128 + signal number. */
  status: number
}

type Waitpid = ((pid: number, status: number[], options: number) => number) & {
  async(pid: number, status: number[], options: number, cb: (err: unknown, res: number) => void): void
}
type Syscall2 = (nr: number, ...typedArgs: unknown[]) => number

const waitpidFn = lazyFn<Waitpid>('int waitpid(int pid, _Out_ int *status, int options)')
const syscallFn = lazyFn<Syscall2>('long syscall(long number, ...)')

const SYS_pidfd_open = 434 // the same number on every architecture
const WNOHANG = 1
const EINTR = 4
const ENOSYS = 38

/** Decodes a wait(2) status word. */
export function decodeWaitStatus(raw: number): ExitStatus {
  const low = raw & 0x7f
  if (low === 0) {
    const code = (raw >> 8) & 0xff
    return { exitCode: code, signal: null, status: code }
  }
  const name = (Object.entries(constants.signals).find(([, n]) => n === low)?.[0] ?? `SIG${low}`) as NodeJS.Signals
  return { exitCode: null, signal: name, status: 128 + low }
}

function reapNow(pid: number): ExitStatus | undefined {
  const out = [0]
  for (;;) {
    const r = waitpidFn()(pid, out, WNOHANG)
    if (r === pid) return decodeWaitStatus(out[0]!)
    if (r === 0) return undefined
    const e = errno()
    if (e !== EINTR) throw syscallError('waitpid', e)
  }
}

/** Blocking waitpid on a koffi worker thread: for kernels without pidfd_open (< 5.3). */
export function waitForExitOnWorker(pid: number): Promise<ExitStatus> {
  return new Promise((resolve, reject) => {
    const out = [0]
    const attempt = () =>
      waitpidFn().async(pid, out, 0, (err, res) => {
        if (err) return reject(err)
        if (res === pid) return resolve(decodeWaitStatus(out[0]!))
        const e = errno()
        if (e === EINTR) return attempt()
        reject(syscallError('waitpid', e))
      })
    attempt()
  })
}

/**
 * Resolves with the exit status of `pid`, which must be a child of this
 * process (possibly by subreaping) that Node itself did not spawn.
 */
export async function waitForExit(pid: number, opts: { signal?: AbortSignal } = {}): Promise<ExitStatus> {
  opts.signal?.throwIfAborted()
  const pidfd = canPoll() ? syscallFn()(SYS_pidfd_open, 'int', pid, 'unsigned int', 0) : -ENOSYS
  if (pidfd < 0) {
    const e = pidfd === -ENOSYS ? ENOSYS : errno()
    if (e === ENOSYS) return waitForExitOnWorker(pid)
    throw syscallError('pidfd_open', e)
  }
  try {
    for (;;) {
      const done = reapNow(pid)
      if (done) return done
      const readable = whenReadable(pidfd)
      const onAbort = () => readable.cancel(opts.signal!.reason as Error)
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      try {
        await readable.ready
      } finally {
        opts.signal?.removeEventListener('abort', onAbort)
      }
    }
  } finally {
    closeSync(pidfd)
  }
}
