/**
 * Starting a shim: fork-exec it inside tspod's namespace, detached in its own
 * session so it outlives this process, and read its one report line (the
 * container's pid, or why it could not start) from the pipe on its fd 3.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { TspodError } from '../errors.js'
import { userNamespaceArgv, type UserNamespace } from '../../rootless/userns.js'
import { distPath } from '../../util/dist.js'
import { nativeHelperPath } from '../../rootless/helpers.js'
import { STDIN_CONFIG, type ShimConfig, type ShimReport } from '../../shim/config.js'

/**
 * Node flags for the shim: no V8 worker threads (an idle shim needs none).
 * No V8 heap flags here: any V8 flag makes Node drop its own start-up
 * snapshot's code cache, which costs ~10 ms of start-up; the shim caps its
 * young generation itself once the container runs (shim.ts, settleDown).
 */
export const SHIM_NODE_FLAGS = ['--v8-pool-size=0']

/**
 * The shim's environment: two libuv pool threads and one malloc arena are
 * plenty for a process that waits on a few file descriptors; every extra
 * thread and arena costs resident memory, per container.
 */
function shimEnv(): NodeJS.ProcessEnv {
  return { ...process.env, UV_THREADPOOL_SIZE: '2', MALLOC_ARENA_MAX: '1' }
}

/**
 * A shim started before its container is known, waiting for its config on
 * stdin. The CLI starts one as its very first step for `run` and `start`, so
 * the shim's Node start-up overlaps the CLI's own work instead of following it.
 * Closing its stdin without a config makes it exit quietly.
 */
export class PendingShim {
  private settled = false

  private constructor(
    readonly child: ChildProcess,
    /** Where its stderr goes until the container is known. */
    readonly logPath: string,
  ) {}

  static spawn(ns: UserNamespace, logDir: string): PendingShim {
    mkdirSync(logDir, { recursive: true, mode: 0o700 })
    const logPath = join(logDir, `shim-${randomBytes(6).toString('hex')}.log`)
    // tspod-shimlaunch lets the first run start before the Node shim is up (see launch()).
    const [file, ...args] = userNamespaceArgv(ns, nativeHelperPath('shimlaunch'), [
      '--', process.execPath, ...SHIM_NODE_FLAGS, distPath('shim.cjs'), STDIN_CONFIG,
    ])
    const logFd = openSync(logPath, 'a', 0o600)
    const child = spawn(file!, args, { detached: true, stdio: ['pipe', 'ignore', logFd, 'pipe', 'pipe'], env: shimEnv() })
    closeSync(logFd)
    child.on('error', () => {}) // reported by send()
    return new PendingShim(child, logPath)
  }

  /**
   * Have tspod-shimlaunch mount the root and start the runtime now, while the
   * Node shim still starts up (see native-bindings/shimlaunch.c for the
   * message). Without this, the shim does both itself once it has its config.
   */
  launch(mount: { cwd: string; target: string; data: string }, runtimeArgv: string[]): void {
    const fields = [mount.cwd, mount.target, mount.data, ...runtimeArgv, '']
    this.launchPipe().end(Buffer.from(fields.map(f => `${f}\0`).join('')))
  }

  private launchPipe(): NodeJS.WritableStream & { destroyed: boolean; end(data?: Buffer): void } {
    return this.child.stdio[4] as unknown as NodeJS.WritableStream & { destroyed: boolean; end(data?: Buffer): void }
  }

  /** Hands over the config; resolves with the shim's report. */
  async send(cfg: ShimConfig, shimLog: string): Promise<ShimReport & { shimPid: number }> {
    this.settled = true
    if (!cfg.prelaunched) this.launchPipe().end()
    renameSync(this.logPath, shimLog)
    this.child.stdin!.end(JSON.stringify(cfg) + '\n')
    return readReport(this.child, shimLog)
  }

  /** Not needed after all (the command failed before starting a container). */
  cancel(): void {
    if (this.settled) return
    this.settled = true
    this.launchPipe().end()
    this.child.stdin?.destroy()
    this.child.unref()
    rmSync(this.logPath, { force: true })
  }
}

export async function launchShim(
  ns: UserNamespace,
  cfg: ShimConfig,
  shimLog: string,
  pending?: PendingShim,
): Promise<ShimReport & { shimPid: number }> {
  if (pending) return pending.send(cfg, shimLog)
  const [file, ...args] = userNamespaceArgv(ns, process.execPath, [...SHIM_NODE_FLAGS, distPath('shim.cjs'), JSON.stringify(cfg)])
  const logFd = openSync(shimLog, 'a', 0o600)
  const child = spawn(file!, args, { detached: true, stdio: ['ignore', 'ignore', logFd, 'pipe'], env: shimEnv() })
  closeSync(logFd)
  return readReport(child, shimLog)
}

/** The shim's one report line from its fd 3; then the shim is let go. */
async function readReport(child: ChildProcess, shimLog: string): Promise<ShimReport & { shimPid: number }> {
  const pipe = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void }
  const line = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.once('error', reject)
    pipe.on('data', (d: Buffer) => {
      text += d.toString()
      const nl = text.indexOf('\n')
      if (nl >= 0) resolve(text.slice(0, nl))
    })
    pipe.on('end', () => resolve(text))
  })
  pipe.destroy()
  child.unref()
  if (line.trim() === '') {
    const why = lastLines(shimLog)
    throw new TspodError('internal', `the container's shim exited before reporting${why ? `: ${why}` : ''}`)
  }
  return { ...(JSON.parse(line) as ShimReport), shimPid: child.pid! }
}

function lastLines(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    return lines.slice(-2).join(' / ').replace(/^tspod-nsexec: /, '')
  } catch {
    return ''
  }
}
