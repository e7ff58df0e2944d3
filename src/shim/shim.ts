/**
 * The shim: one per running container, started detached by the CLI inside
 * tspod's namespace; it outlives the CLI. Its one job, as conmon's: own the
 * container's stdio (log file, attach socket, tty), wait for the container,
 * record how it ended, apply the restart policy, clean up for `--rm`.
 */
import { closeSync, writeFileSync, rmSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import type { Syscalls } from '../../native-bindings/index.js'
import { ContainerStore } from '../engine/containers/store.js'
import { containerRunDirs } from '../engine/containers/cleanup.js'
import { pruneExitCodes, writeExitCode } from '../engine/containers/exit-codes.js'
import { AttachServer } from '../io/attach-server.js'
import { LogWriter } from '../io/log-writer.js'
import { log } from '../util/log.js'
import { LAUNCHED_STDERR_FD, LAUNCHED_STDIN_FD, LAUNCHED_STDOUT_FD, LAUNCHER_PID_ENV, type ShimConfig, type ShimReport } from './config.js'
import { createDirs, mountRootfs, unmountRootfs } from './rootfs.js'
import { StartError, startContainer, type Prelaunched, type RunningContainer } from './runtime-process.js'
import { AttachGate } from './attach-gate.js'
import { procStartTicks } from '../util/proc.js'
import { trace } from '../util/trace.js'
import { builtin } from '../util/builtin.js'
import { shouldRestart, restartDelayMs } from '../engine/containers/restart.js'

/** How long a finished shim waits for the attached CLI it was promised. */
const ATTACH_WAIT_MS = 30_000
/** Output kept for an attach client's replay. */
const REPLAY_BYTES = 1 << 20

export async function runShim(cfg: ShimConfig, sys: Syscalls, report: (r: ShimReport) => void): Promise<void> {
  sys.setChildSubreaper()
  writeFileSync(cfg.pidFile, `${process.pid}\n`)
  const store = new ContainerStore(cfg.graphRoot)
  const logWriter = await LogWriter.open(cfg.logPath)
  let current: RunningContainer | undefined
  // Attach clients write here; each run of the container is connected to it.
  const stdinRelay = cfg.stdin ? new PassThrough() : null
  const server = await AttachServer.listen(cfg.socketPath, {
    replayBytes: REPLAY_BYTES,
    stdin: stdinRelay,
    onResize: size => current?.resize(size),
    onSignal: signal => {
      if (current) process.kill(current.pid, signal as NodeJS.Signals)
    },
  })
  // Output held back (past what replay keeps, less a chunk's worth) until the promised client attaches.
  const gate = new AttachGate(() => server.everAttached, cfg.expectAttach, REPLAY_BYTES - (256 << 10), ATTACH_WAIT_MS)
  const onOutput = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
    logWriter.write(stream, chunk)
    server.output(stream, chunk)
    return gate.count(chunk.length)
  }

  let exitCode = 0
  let exitError: string | undefined
  let firstRun = true
  // tspod-shimlaunch may already have mounted the root and started the first run.
  let launched = prelaunchedRun(cfg, sys)
  try {
    if (!launched) {
      trace('shim: mounting')
      mountRootfs(cfg.rootfs)
      createDirs(cfg.rootfs.target, cfg.createDirs)
    }
    for (;;) {
      try {
        trace('shim: runtime run')
        current = await startContainer(cfg, sys, onOutput, launched)
        launched = undefined
        trace('shim: started')
      } catch (err) {
        const status = err instanceof StartError ? err.status : 125
        const message = err instanceof Error ? err.message : String(err)
        await store.updateState(cfg.containerId, s => ({
          ...s,
          status: 'exited',
          exitCode: status,
          error: message,
          finishedAt: new Date().toISOString(),
          pid: undefined,
          shimPid: undefined,
        }))
        if (firstRun) report({ type: 'error', message, exitCode: status })
        exitCode = status
        exitError = message
        break
      }
      const run = current
      if (stdinRelay && run.stdin) stdinRelay.pipe(run.stdin)
      const startedAt = new Date().toISOString()
      await store.updateState(cfg.containerId, s => ({
        ...s,
        status: 'running',
        pid: run.pid,
        pidStartTicks: procStartTicks(run.pid),
        shimPid: process.pid,
        shimStartTicks: procStartTicks(process.pid),
        startedAt,
        exitCode: undefined,
        error: undefined,
        finishedAt: undefined,
      }))
      if (firstRun) {
        report({ type: 'started', pid: run.pid })
        settleDown()
      }
      firstRun = false

      const status = await sys.waitForExit(run.pid)
      trace('shim: exited')
      // Held output is read once the client is there (or given up on): only then can it drain.
      await gate.released()
      await Promise.race([run.drained, sleep(2000)])
      if (stdinRelay && run.stdin) stdinRelay.unpipe(run.stdin)
      run.close()
      deleteRuntimeState(cfg)
      // `logs -f` stops once the state says exited: everything must be on disk by then.
      await logWriter.flush()
      exitCode = status.status
      // The record goes next (--rm never restarts): a last state would be written for nobody.
      if (cfg.autoRemove) break
      const state = await store.updateState(cfg.containerId, s => ({
        ...s,
        status: 'exited',
        exitCode,
        finishedAt: new Date().toISOString(),
        pid: undefined,
      }))
      if (!shouldRestart(cfg.restartPolicy, state)) break
      await sleep(restartDelayMs(state.restartCount))
      // `stop`/`rm` during the delay: the user ended it (see settleRestartingShim).
      const next = await store.updateState(cfg.containerId, s => (s.stoppedByUser ? s : { ...s, restartCount: s.restartCount + 1 }))
      if (next.stoppedByUser) break
    }
  } finally {
    try {
      unmountRootfs(cfg.rootfs.target)
    } catch (err) {
      log.warn(`unmounting ${cfg.rootfs.target}: ${(err as Error).message}`)
    }
    await logWriter.close()
    if (!cfg.autoRemove) await store.updateState(cfg.containerId, s => ({ ...s, shimPid: undefined, shimStartTicks: undefined })).catch(() => {})
  }

  // The attached CLI connects right after the start report; a container that
  // ended first waits for it (bounded) before --rm takes the socket's
  // directory away. One that came and went (killed, detached) is not waited for.
  const attachPromised = cfg.expectAttach && !(firstRun && exitError !== undefined) && !server.everAttached
  if (attachPromised) await server.whenAttached(ATTACH_WAIT_MS)
  const leftovers: string[] = []
  if (cfg.autoRemove) {
    // For a `wait` on it: the record that holds the exit code is about to go.
    writeExitCode(cfg.runRoot, cfg.containerId, exitCode)
    // The record leaves in one rename (its name is free, `ps` no longer lists
    // it) before the CLI hears of the exit; deleting its files can follow.
    await store.remove(cfg.containerId, async p => void leftovers.push(p))
    leftovers.push(...containerRunDirs({ root: cfg.graphRoot, runRoot: cfg.runRoot }, cfg.containerId))
  }
  // An attached CLI learns the outcome after the record is settled, so what it sees next is true.
  trace('shim: reporting exit')
  await server.exit(exitError !== undefined ? { error: exitError } : { exitCode })
  await server.close()
  // Synchronous: the shim has nothing else left to do.
  for (const path of leftovers) rmSync(path, { recursive: true, force: true })
  if (cfg.autoRemove) pruneExitCodes(cfg.runRoot)
  rmSync(cfg.pidFile, { force: true })
}

/**
 * Once the container runs, the shim mostly waits. Leave its code cache for
 * the next shim first (see scripts/cached-loader.cjs; V8 would reject a cache
 * made after a flag change), then cap the young generation: start-up ran with
 * V8's default, which loads modules faster, and a small one will do now.
 */
function settleDown(): void {
  setTimeout(() => {
    ;(globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for('tspod.saveCodeCache')]?.()
    builtin<typeof import('node:v8')>('node:v8').setFlagsFromString('--max-semi-space-size=1') // loaded here: 1.4 ms of start-up otherwise
  }, 200).unref()
}

/**
 * The first run tspod-shimlaunch started for us, if the CLI had it do so.
 * Otherwise its launcher child exits on its own (it got no launch message):
 * it is collected, and the pipes it made go unused.
 */
function prelaunchedRun(cfg: ShimConfig, sys: Syscalls): Prelaunched | undefined {
  const pid = Number(process.env[LAUNCHER_PID_ENV])
  delete process.env[LAUNCHER_PID_ENV]
  if (!(pid > 0)) return undefined
  if (cfg.prelaunched) return { pid }
  for (const fd of [LAUNCHED_STDOUT_FD, LAUNCHED_STDERR_FD, LAUNCHED_STDIN_FD]) closeSync(fd)
  void sys.waitForExit(pid).catch(() => {})
  return undefined
}

function deleteRuntimeState(cfg: ShimConfig): void {
  rmSync(`${cfg.runtime.stateRoot}/${cfg.containerId}`, { recursive: true, force: true })
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}
