/**
 * The syscalls Node lacks, behind narrow interfaces so callers (locks, the
 * shim, the runtime driver) can be tested with a recording fake (./fake.ts).
 * Every binding loads koffi lazily, on its first call.
 */
import { lockFd, tryLockFd, unlockFd, type LockMode } from './flock.js'
import { listenForFd, sendFd, type FdListener, type ReceivedFd } from './fd-passing.js'
import { mount, umount } from './mount.js'
import { setsid } from './session.js'
import { pipe } from './pipe.js'
import { setChildSubreaper } from './subreaper.js'
import { waitForExit, type ExitStatus } from './waitpid.js'
import { getWinsize, setWinsize, type Winsize } from './winsize.js'

export type { ExitStatus, FdListener, LockMode, ReceivedFd, Winsize }
export {
  MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_NOATIME, MS_BIND, MS_MOVE, MS_REC,
  MS_PRIVATE, MS_SLAVE, MS_SHARED, MNT_FORCE, MNT_DETACH,
} from './mount.js'

/** flock(2) on open file descriptors. */
export interface LockSyscalls {
  /** Waits (off the event loop) until the lock is granted. */
  flock(fd: number, mode: LockMode): Promise<void>
  /** Takes the lock only if it is free; false when another holder has it. */
  tryFlock(fd: number, mode: LockMode): boolean
  unlock(fd: number): void
}

/** What a supervisor (the shim) needs for its children. */
export interface ProcessSyscalls {
  setChildSubreaper(): void
  setsid(): number
  /** A close-on-exec pipe that no Node stream owns: `[readFd, writeFd]`. */
  pipe(): [number, number]
  /** Exit status of a child Node did not spawn itself; never blocks the event loop. */
  waitForExit(pid: number, opts?: { signal?: AbortSignal }): Promise<ExitStatus>
}

/** For a process already inside the user+mount namespace. */
export interface MountSyscalls {
  mount(source: string | null, target: string, fstype: string | null, flags?: number, data?: string): void
  umount(target: string, flags?: number): void
}

/** Container terminals: the pty master from runc's console socket, and its size. */
export interface TerminalSyscalls {
  listenForFd(path: string): FdListener
  sendFd(path: string, fd: number, name?: string): void
  getWinsize(fd: number): Winsize
  setWinsize(fd: number, size: Winsize): void
}

export interface Syscalls extends LockSyscalls, ProcessSyscalls, MountSyscalls, TerminalSyscalls {}

export const syscalls: Syscalls = {
  flock: lockFd,
  tryFlock: tryLockFd,
  unlock: unlockFd,
  setChildSubreaper: () => setChildSubreaper(true),
  setsid,
  pipe,
  waitForExit,
  mount,
  umount,
  listenForFd,
  sendFd,
  getWinsize,
  setWinsize,
}
