/**
 * setsid(2): a detached shim leaves the caller's session, so closing the
 * terminal that ran `tspod run -d` does not send it SIGHUP.
 */
import { errno, lazyFn, syscallError } from './libc.js'

const setsidFn = lazyFn<() => number>('int setsid(void)')

/** Returns the new session id (this process's pid). Fails with EPERM in a process group leader. */
export function setsid(): number {
  const sid = setsidFn()()
  if (sid < 0) throw syscallError('setsid', errno())
  return sid
}
