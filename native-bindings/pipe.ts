/**
 * pipe2(2). Node's child_process closes a child's stdin pipe when the child
 * exits; the shim needs a pipe that outlives `runc run --detach` (the
 * container inherits runc's stdin), so it makes its own.
 */
import { errno, lazyFn, syscallError } from './libc.js'

type Pipe2 = (fds: number[], flags: number) => number
const pipe2Fn = lazyFn<Pipe2>('int pipe2(_Out_ int *fds, int flags)')
const O_CLOEXEC = 0o2000000

/** A new pipe, both ends close-on-exec: `[readFd, writeFd]`. */
export function pipe(): [number, number] {
  const fds = [0, 0]
  if (pipe2Fn()(fds, O_CLOEXEC) !== 0) throw syscallError('pipe2', errno())
  return [fds[0]!, fds[1]!]
}
