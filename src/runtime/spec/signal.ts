/**
 * Signal names → numbers (Linux), with containers/common's parsing rules:
 * a decimal number, or a name with or without SIG, any case, including
 * RTMIN+n / RTMAX-n.
 */
import { InvalidArgumentError } from '../../engine/errors.js'

const SIGRTMIN = 34
const SIGRTMAX = 64

const SIGNALS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10,
  SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CLD: 17, CONT: 18,
  STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27,
  WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31, RTMIN: SIGRTMIN, RTMAX: SIGRTMAX,
}
for (let i = 1; i <= 15; i++) SIGNALS[`RTMIN+${i}`] = SIGRTMIN + i
for (let i = 1; i <= 14; i++) SIGNALS[`RTMAX-${i}`] = SIGRTMAX - i

export const SIGTERM = 15

/** "SIGTERM", "term", "15", 15 → 15. Unknown or out of range → invalid-argument. */
export function parseSignal(raw: string | number): number {
  const text = String(raw).trim()
  let n: number | undefined
  if (/^\d+$/.test(text)) n = Number(text)
  else {
    const upper = text.toUpperCase()
    n = SIGNALS[upper.startsWith('SIG') ? upper.slice(3) : upper]
  }
  if (n === undefined || n < 1 || n > SIGRTMAX) throw new InvalidArgumentError(`invalid signal: ${text}`)
  return n
}

/** `--stop-signal` if given, else the image's StopSignal, else SIGTERM. */
export function resolveStopSignal(flag: string | number | undefined, imageStopSignal: string | undefined): number {
  if (flag !== undefined && flag !== '') return parseSignal(flag)
  if (imageStopSignal) return parseSignal(imageStopSignal)
  return SIGTERM
}

/** `SIGTERM` for 15, as podman names signals in messages; the number when it has no name. */
export function signalName(signo: number): string {
  const name = Object.entries(SIGNALS).find(([, n]) => n === signo)?.[0]
  return name && !name.includes('+') && !name.includes('-') ? `SIG${name}` : String(signo)
}
