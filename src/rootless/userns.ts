/**
 * Running commands inside the user's user+mount namespace: the one held by the
 * pause process in the run root and joined through tspod-nsexec (see
 * native-bindings/nsexec.c). Inside, the user is uid 0 and the subordinate ids
 * are mapped, so chown, mknod-free unpacking and overlay mounts work.
 * Real root needs no namespace: commands run directly.
 */
import { readFileSync, statSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'
import { TspodError } from '../engine/errors.js'
import { log } from '../util/log.js'
import { nativeHelperPath } from './helpers.js'
import { formatIdMap, type UserIdMaps } from './idmap.js'

export interface UserNamespace {
  /** Directory of the pause process's files (the run root). */
  pauseDir: string
  maps: UserIdMaps
}

export interface EnterOptions {
  /** false: fail instead of starting a pause process when none runs (read-only paths). Default true. */
  create?: boolean
}

export interface RunOptions extends EnterOptions {
  input?: string | Uint8Array
  /** Added to the current environment. */
  env?: Record<string, string>
  cwd?: string
  /** false: a failing CMD resolves with its exit code instead of throwing. Default true. */
  reject?: boolean
}

export interface RunResult {
  stdout: string
  stderr: string
  /** CMD's exit code; 128 + N when a signal N killed it. */
  exitCode: number
}

const HELPER_PREFIX = 'tspod-nsexec: '
const PAUSE_NAME = 'tspod-pause'

export function needsUserNamespace(uid = process.getuid!()): boolean {
  return uid !== 0
}

/** The map text tspod-nsexec records in pause.map for these maps. */
export function pauseMapText(maps: UserIdMaps): string {
  return `uid:${formatIdMap(maps.uidMap)}\ngid:${formatIdMap(maps.gidMap)}\n`
}

/** argv that runs `cmd args` inside the namespace (just `cmd args` for real root). */
export function userNamespaceArgv(ns: UserNamespace, cmd: string, args: readonly string[], opts: EnterOptions = {}): string[] {
  if (!needsUserNamespace()) return [cmd, ...args]
  return [
    nativeHelperPath('nsexec'),
    '--pause-dir',
    ns.pauseDir,
    '--uid-map',
    formatIdMap(ns.maps.uidMap),
    '--gid-map',
    formatIdMap(ns.maps.gidMap),
    ...(opts.create === false ? ['--no-create'] : []),
    '--',
    cmd,
    ...args,
  ]
}

/** The helper's own failure, if that is what this exit was. */
function helperError(exitCode: number, stderr: string, cmd: string): TspodError | undefined {
  const line = stderr.split('\n').find(l => l.startsWith(HELPER_PREFIX))
  if (!line) return undefined
  const message = line.slice(HELPER_PREFIX.length)
  if (exitCode === 127 && message.startsWith('exec ')) return new TspodError('command-not-found', `${cmd}: command not found`)
  if (exitCode === 126 && message.startsWith('exec ')) return new TspodError('cannot-execute', message)
  if (exitCode === 125) return new TspodError('unavailable', `cannot enter the user namespace: ${message}`)
  return undefined
}

function signalStatus(signal: string | undefined): number | undefined {
  const n = signal ? constants.signals[signal as NodeJS.Signals] : undefined
  return n === undefined ? undefined : 128 + n
}

/** Runs `cmd args` inside the namespace, capturing its output. */
export async function runInUserNamespace(
  ns: UserNamespace,
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const [file, ...argv] = userNamespaceArgv(ns, cmd, args, opts)
  // execa is large: loaded only when a command really runs in the namespace.
  const { execa } = await import('execa')
  const result = await execa(file!, argv, {
    reject: false,
    stripFinalNewline: false,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  })
  const stdout = String(result.stdout ?? '')
  const stderr = String(result.stderr ?? '')
  const exitCode = result.exitCode ?? signalStatus(result.signal)
  if (exitCode === undefined) {
    throw new TspodError('unavailable', `cannot run ${file}: ${result.originalMessage ?? result.shortMessage}`, { cause: result.cause })
  }
  const fromHelper = exitCode !== 0 && needsUserNamespace() ? helperError(exitCode, stderr, cmd) : undefined
  if (fromHelper) throw fromHelper
  if (exitCode !== 0 && opts.reject !== false) {
    const detail = stderr.trim().split('\n').pop()
    throw new TspodError('internal', `${cmd} failed (exit status ${exitCode})${detail ? `: ${detail}` : ''}`)
  }
  return { stdout, stderr, exitCode }
}

export interface UnshareOptions {
  graphRoot: string
  runRoot: string
  /** Default: $SHELL, or /bin/sh. */
  command?: readonly string[]
}

/** What `podman unshare` puts in the environment of its command. */
export function unshareEnv(opts: { graphRoot: string; runRoot: string }): Record<string, string> {
  const env: Record<string, string> = {
    CONTAINERS_GRAPHROOT: opts.graphRoot,
    CONTAINERS_RUNROOT: opts.runRoot,
  }
  if (needsUserNamespace()) {
    // Tells container tools started inside that the namespace is already set up.
    env._CONTAINERS_USERNS_CONFIGURED = 'done'
    env._CONTAINERS_ROOTLESS_UID = String(process.getuid!())
    env._CONTAINERS_ROOTLESS_GID = String(process.getgid!())
  }
  return env
}

/**
 * `tspod unshare [CMD]`: CMD with the terminal, inside the namespace.
 * Returns its exit status (128 + N for signal N), to be tspod's own.
 */
export async function runUnshare(ns: UserNamespace, opts: UnshareOptions): Promise<number> {
  const command = opts.command && opts.command.length > 0 ? opts.command : [process.env.SHELL || '/bin/sh']
  const [file, ...argv] = userNamespaceArgv(ns, command[0]!, command.slice(1))
  // Like system(3): ^C and ^\ are for the command; tspod waits for it.
  const ignore = () => {}
  process.on('SIGINT', ignore)
  process.on('SIGQUIT', ignore)
  const { execa } = await import('execa')
  try {
    const child = execa(file!, argv, { stdio: 'inherit', reject: false, env: unshareEnv(opts) })
    const forward = (sig: NodeJS.Signals) => child.kill(sig)
    process.on('SIGTERM', forward)
    process.on('SIGHUP', forward)
    try {
      const result = await child
      const status = result.exitCode ?? signalStatus(result.signal)
      if (status === undefined) {
        throw new TspodError('unavailable', `cannot run ${file}: ${result.originalMessage ?? result.shortMessage}`)
      }
      return status
    } finally {
      process.off('SIGTERM', forward)
      process.off('SIGHUP', forward)
    }
  } finally {
    process.off('SIGINT', ignore)
    process.off('SIGQUIT', ignore)
  }
}

export interface PauseProcess {
  pid: number
  /** The maps it was created with, as in pause.map. */
  mapText: string
}

/** The running pause process of `pauseDir`, if any (a stale pid file yields undefined). */
export function readPauseProcess(pauseDir: string): PauseProcess | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(pauseDir, 'pause.pid'), 'utf8'), 10)
    if (!(pid > 0)) return undefined
    // "PID (COMM) STATE ...": a pause process, and not one that already exited (zombie).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    if (comm !== PAUSE_NAME || state === 'Z' || state === 'X') return undefined
    if (statSync(`/proc/${pid}`).uid !== process.getuid!()) return undefined
    return { pid, mapText: readFileSync(join(pauseDir, 'pause.map'), 'utf8') }
  } catch (err) {
    if (['ENOENT', 'ESRCH', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined
    throw err
  }
}

/**
 * Warns (once) when the running namespace was created with other maps than
 * /etc/subuid and /etc/subgid give today. Returns true in that case.
 */
export function warnIfNamespaceStale(ns: UserNamespace): boolean {
  const pause = readPauseProcess(ns.pauseDir)
  if (!pause || pause.mapText === pauseMapText(ns.maps)) return false
  log.warnOnce(
    'the current user namespace does not match the configuration in /etc/subuid or /etc/subgid: ' +
      'use "tspod system migrate" to reset the user namespace',
  )
  return true
}

/** Ends the pause process (`tspod system migrate`); the next entry creates a new one. */
export function stopPauseProcess(pauseDir: string): boolean {
  const pause = readPauseProcess(pauseDir)
  if (!pause) return false
  try {
    process.kill(pause.pid, 'SIGTERM')
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw err
  }
}
