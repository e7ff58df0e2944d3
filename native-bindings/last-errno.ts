/**
 * Kept for fs.ts, which imports it: libc.ts's errno() is the same thing now
 * (it reads koffi's errno). New code imports `errno` from './libc.js'.
 */
export { errno as lastErrno } from './libc.js'
