/**
 * Diagnostics on stderr in podman's shape (`WARN[0000] message`), filtered by
 * `--log-level`. Data goes to stdout through the CLI, never through here.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'panic'
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic']

const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level)
const tag: Record<LogLevel, string> = {
  trace: 'TRAC', debug: 'DEBU', info: 'INFO', warn: 'WARN', error: 'ERRO', fatal: 'FATA', panic: 'PANI',
}
const started = Date.now()

let threshold: LogLevel = (process.env.TSPOD_LOG_LEVEL as LogLevel | undefined) ?? 'warn'
let sink: (line: string) => void = line => process.stderr.write(line + '\n')
const seen = new Set<string>()

export function setLogLevel(level: LogLevel): void {
  threshold = level
}
export function getLogLevel(): LogLevel {
  return threshold
}
/** Tests capture log lines here. */
export function setLogSink(fn: (line: string) => void): void {
  sink = fn
}

function emit(level: LogLevel, message: string): void {
  if (rank(level) < rank(threshold)) return
  const secs = String(Math.floor((Date.now() - started) / 1000)).padStart(4, '0')
  sink(`${tag[level]}[${secs}] ${message}`)
}

export const log = {
  trace: (m: string) => emit('trace', m),
  debug: (m: string) => emit('debug', m),
  info: (m: string) => emit('info', m),
  warn: (m: string) => emit('warn', m),
  error: (m: string) => emit('error', m),
  /** A warning printed once per process (fallbacks name their fix once). */
  warnOnce: (m: string) => {
    if (seen.has(m)) return
    seen.add(m)
    emit('warn', m)
  },
}
