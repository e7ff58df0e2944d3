/**
 * flock(2) on an open file descriptor. Kernel locks vanish with the process
 * (kill -9, reboot), so a crashed tspod never leaves a stale lock behind.
 * Blocking waits run on a koffi worker thread so the event loop keeps going.
 */
import { errno, lazyFn, syscallError } from './libc.js'

export type LockMode = 'exclusive' | 'shared'

type Flock = ((fd: number, op: number) => number) & {
  async(fd: number, op: number, cb: (err: unknown, res: number) => void): void
}
const flockFn = lazyFn<Flock>('int flock(int fd, int operation)')

const LOCK_SH = 1
const LOCK_EX = 2
const LOCK_NB = 4
const LOCK_UN = 8
const EINTR = 4
const EWOULDBLOCK = 11

const op = (mode: LockMode) => (mode === 'shared' ? LOCK_SH : LOCK_EX)

/** Wait for the lock without blocking the event loop (one threadpool thread waits). */
export function lockFd(fd: number, mode: LockMode): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () =>
      flockFn().async(fd, op(mode), (err, res) => {
        if (err) return reject(err)
        if (res === 0) return resolve()
        // errno is the worker's, restored by koffi for the duration of this callback.
        const e = errno()
        if (e === EINTR) return attempt()
        reject(syscallError('flock', e))
      })
    attempt()
  })
}

/** Take the lock if nobody else holds it; false when it is held elsewhere. */
export function tryLockFd(fd: number, mode: LockMode): boolean {
  for (;;) {
    if (flockFn()(fd, op(mode) | LOCK_NB) === 0) return true
    const e = errno()
    if (e === EWOULDBLOCK) return false
    if (e !== EINTR) throw syscallError('flock', e)
  }
}

export function unlockFd(fd: number): void {
  if (flockFn()(fd, LOCK_UN) !== 0) throw syscallError('flock', errno())
}
