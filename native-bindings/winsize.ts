/**
 * Terminal size of a tty or pty master (TIOCGWINSZ/TIOCSWINSZ): the shim
 * copies the user's terminal size onto the container's pty on start and on
 * every SIGWINCH.
 */
import { errno, lazyFn, syscallError } from './libc.js'

export interface Winsize {
  rows: number
  cols: number
}

// ioctl(2) is variadic: the argument's type is given at each call.
type Ioctl = (fd: number, request: number, argType: string, arg: Uint16Array) => number
const ioctlFn = lazyFn<Ioctl>('int ioctl(int fd, unsigned long request, ...)')

const TIOCGWINSZ = 0x5413
const TIOCSWINSZ = 0x5414

export function getWinsize(fd: number): Winsize {
  const ws = new Uint16Array(4) // struct winsize: rows, cols, xpixel, ypixel; native byte order
  if (ioctlFn()(fd, TIOCGWINSZ, 'void *', ws) !== 0) throw syscallError('ioctl(TIOCGWINSZ)', errno())
  return { rows: ws[0]!, cols: ws[1]! }
}

export function setWinsize(fd: number, size: Winsize): void {
  const ws = Uint16Array.of(size.rows, size.cols, 0, 0)
  if (ioctlFn()(fd, TIOCSWINSZ, 'void *', ws) !== 0) throw syscallError('ioctl(TIOCSWINSZ)', errno())
}
