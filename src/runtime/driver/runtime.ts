/**
 * The OCI runtime driver: runc or crun behind one short verb list (run,
 * delete, kill, exec, state), as containerd's shim API does. Every call runs
 * inside tspod's user namespace; `wrap` turns an argv into one that enters it
 * (identity for callers already inside, such as the shim).
 */
import { accessSync, constants, readFileSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { TspodError } from '../../engine/errors.js'

export const KNOWN_RUNTIMES = ['runc', 'crun'] as const

export interface RuntimeInfo {
  name: string
  path: string
}

/** An argv transformer: `[cmd, ...args]` → the argv that runs it in the namespace. */
export type Wrap = (argv: string[]) => string[]

/** Find the runtime binary: a path, a name on PATH, or the first known runtime found. */
export function findRuntime(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): RuntimeInfo {
  if (requested !== undefined && requested !== '') {
    if (isAbsolute(requested)) {
      if (!isExecutable(requested)) throw new TspodError('unavailable', `OCI runtime ${requested} is not an executable file`)
      return { name: requested.split('/').pop()!, path: requested }
    }
    const path = lookPath(requested, env)
    if (!path) throw new TspodError('unavailable', `default OCI runtime "${requested}" not found: invalid argument`)
    return { name: requested, path }
  }
  // runc first: crun refuses the hybrid cgroup layouts still common without systemd.
  for (const name of KNOWN_RUNTIMES) {
    const path = lookPath(name, env)
    if (path) return { name, path }
  }
  throw new TspodError(
    'unavailable',
    'no OCI runtime found: install runc (apt-get install runc) or crun, or name one with --runtime',
  )
}

export function lookPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)
  // Debian installs runc in /usr/sbin, which a normal user's PATH may lack.
  for (const dir of [...dirs, '/usr/sbin', '/sbin']) {
    if (!dir) continue
    const candidate = join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  return undefined
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Global flags for every runtime call: state lives under the run root. */
export function runtimeArgs(runtime: RuntimeInfo, stateRoot: string): string[] {
  return [runtime.path, '--root', stateRoot]
}

/**
 * Exit status for a failed start, from the runtime's own words, as podman
 * maps them: a missing command is 127, one that cannot be executed is 126.
 */
export function startFailureStatus(runtimeStderr: string): number {
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(runtimeStderr)) return 127
  if (/permission denied|is a directory|exec format error/i.test(runtimeStderr)) return 126
  return 125
}

/** The runtime's error, reduced to its last meaningful line. */
export function runtimeErrorLine(runtime: RuntimeInfo, stderr: string): string {
  const lines = stderr
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '')
  const last = lines[lines.length - 1] ?? 'unknown error'
  // runc logs as `time="…" level=error msg="…"`; keep the message.
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(last)?.[1]?.replace(/\\"/g, '"') ?? last
  return `${runtime.name}: ${msg}`
}

/**
 * The last error in a runtime's JSON log (`--log FILE --log-format json`):
 * the clearest statement of why a container or process did not start.
 */
export function readRuntimeLogError(logFile: string): string | undefined {
  let text: string
  try {
    text = readFileSync(logFile, 'utf8')
  } catch {
    return undefined
  }
  for (const line of text.trim().split('\n').reverse()) {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string }
      if (entry.level === 'error' && entry.msg) return entry.msg
    } catch {}
  }
  return undefined
}

/** Where a run's runtime writes the container's pid and its own log, in the bundle. */
export function runtimeFiles(bundleDir: string): { pidFile: string; log: string } {
  return { pidFile: join(bundleDir, 'container.pid'), log: join(bundleDir, 'runtime.log') }
}

/**
 * The runtime's argv for one run of a container (`runc run --detach`): the
 * shim runs it, or tspod-shimlaunch does for a first run the CLI prepared.
 */
export function runtimeRunArgv(
  runtime: { path: string; stateRoot: string },
  bundleDir: string,
  containerId: string,
  consoleSocket?: string,
): string[] {
  const files = runtimeFiles(bundleDir)
  return [
    runtime.path, '--root', runtime.stateRoot, '--log', files.log, '--log-format', 'json',
    'run', '--detach', '--pid-file', files.pidFile, '--bundle', bundleDir,
    ...(consoleSocket ? ['--console-socket', consoleSocket] : []),
    containerId,
  ]
}

/**
 * What `PROGRAM --version` prints (runc's several lines, slirp4netns's), as
 * `info` shows it; empty when it cannot say. Runs only for `info`.
 */
export async function programVersion(path: string): Promise<string> {
  const { execa } = await import('execa')
  const result = await execa(path, ['--version'], { reject: false, timeout: 5000, stdin: 'ignore' })
  return result.exitCode === 0 ? String(result.stdout).trim() : ''
}
