/**
 * setsid(2): a detached shim leaves the caller's session, so closing the
 * terminal that ran `tspod run -d` does not send it SIGHUP.
 */
import { lazyFn, syscallError } from './libc.js'
import { lastErrno as errno } from './last-errno.js'

const setsidFn = lazyFn<() => number>('int setsid(void)')

/** Returns the new session id (this process's pid). Fails with EPERM in a process group leader. */
export function setsid(): number {
  const sid = setsidFn()()
  if (sid < 0) throw syscallError('setsid', errno())
  return sid
}
