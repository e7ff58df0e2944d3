/**
 * prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants (the container process
 * after `runc run -d` exits) are reparented to this process instead of init,
 * so the shim can wait for them and learn their exit status.
 */
import { errno, lazyFn, syscallError } from './libc.js'

type Prctl = (option: number, arg2: number, arg3: number, arg4: number, arg5: number) => number
type PrctlGet = (option: number, out: number[], arg3: number, arg4: number, arg5: number) => number

const prctlFn = lazyFn<Prctl>('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)')
const prctlGetFn = lazyFn<PrctlGet>('int prctl(int option, _Out_ int *arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)')

const PR_SET_CHILD_SUBREAPER = 36
const PR_GET_CHILD_SUBREAPER = 37

export function setChildSubreaper(enabled = true): void {
  if (prctlFn()(PR_SET_CHILD_SUBREAPER, enabled ? 1 : 0, 0, 0, 0) !== 0) {
    throw syscallError('prctl(PR_SET_CHILD_SUBREAPER)', errno())
  }
}

export function isChildSubreaper(): boolean {
  const out = [0]
  if (prctlGetFn()(PR_GET_CHILD_SUBREAPER, out, 0, 0, 0) !== 0) {
    throw syscallError('prctl(PR_GET_CHILD_SUBREAPER)', errno())
  }
  return out[0] !== 0
}
