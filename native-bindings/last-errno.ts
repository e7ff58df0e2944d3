/**
 * errno of the last failed koffi call on this thread — inside an async call's
 * callback, the worker's errno (koffi restores it for the callback's duration).
 * koffi's own accessor is used: libc.ts's errno() passes the lazy getter
 * instead of calling it (reported; switch to it once fixed).
 */
import { koffi } from './libc.js'

export function lastErrno(): number {
  return koffi().errno()
}
