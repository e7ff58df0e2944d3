/**
 * Waiting for a file descriptor to become readable on Node's own event loop
 * (libuv's epoll, through koffi's poll handle), so nothing occupies one of the
 * four threadpool threads while a container runs for days or a socket waits for
 * its peer. Works for sockets, pipes and pidfds.
 */
import { koffi } from './libc.js'

interface PollHandle {
  close(): void
}
type PollFn = (fd: number, opts: { readable: boolean }, cb: (...args: unknown[]) => void) => PollHandle

export interface Readable {
  /** Resolves when the fd is readable (or hung up); rejects on a poll error or cancel(). */
  readonly ready: Promise<void>
  /** Stop waiting; `ready` rejects with `reason`. The fd itself is left open. */
  cancel(reason: Error): void
}

export function canPoll(): boolean {
  return typeof (koffi() as unknown as { node?: { poll?: unknown } }).node?.poll === 'function'
}

export function whenReadable(fd: number): Readable {
  const poll = (koffi() as unknown as { node: { poll: PollFn } }).node.poll
  let handle: PollHandle | undefined
  let settle: ((err?: Error) => void) | undefined
  const ready = new Promise<void>((resolve, reject) => {
    settle = err => {
      settle = undefined
      handle?.close()
      if (err) reject(err)
      else resolve()
    }
    // The callback receives (status, events); status < 0 is a libuv error.
    handle = poll(fd, { readable: true }, (status: unknown) => {
      if (typeof status === 'number' && status < 0) settle?.(new Error(`poll fd ${fd}: libuv error ${status}`))
      else settle?.()
    })
  })
  return {
    ready,
    cancel: reason => settle?.(reason),
  }
}
