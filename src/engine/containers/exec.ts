/**
 * `exec`: a new process in a running container, through the runtime's exec,
 * inside tspod's namespace. The terminal is passed straight through: with -t
 * the runtime allocates the pty and relays it (resizes included).
 */
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { join } from 'node:path'
import { constants } from 'node:os'
import type { Engine } from '../engine.js'
import { TspodError } from '../errors.js'
import type { ContainerRecord } from './record.js'
import { isLive, reconcile } from './reconcile.js'
import { containerPaths, runtimeStateRoot } from './paths.js'
import { findRuntime, readRuntimeLogError, startFailureStatus } from '../../runtime/driver/runtime.js'
import { ended } from '../../util/stream-ended.js'
import { userNamespaceArgv } from '../../rootless/userns.js'
import { LayeredReader } from '../../image/store/layered-reader.js'
import { containerViewDirs } from '../../storage/view.js'
import { parseEnvArgs, resolveUser } from '../../runtime/spec/index.js'

export interface ExecOptions {
  command: string[]
  interactive?: boolean
  tty?: boolean
  env?: string[]
  user?: string
  workdir?: string
  detach?: boolean
  privileged?: boolean
}

/** Runs the process; resolves with its exit status (126/127 when it could not be started). */
export async function execInContainer(engine: Engine, record: ContainerRecord, o: ExecOptions): Promise<number> {
  const state = await reconcile(engine.containerStore, record, engine.containerStore.state(record.id))
  if (!isLive(state)) {
    throw new TspodError('failed-precondition', `can only create exec sessions on running containers: container state improper`)
  }
  if (o.command.length === 0) throw new TspodError('invalid-argument', 'must provide a non-empty command to start an exec session: invalid argument')
  const runtime = findRuntime(record.runtime || undefined)
  const cp = containerPaths(engine.paths, record.id)
  const args = ['--root', runtimeStateRoot(engine.paths)]
  const logFile = join(cp.runDir, `exec-${process.pid}.log`)
  const pidFile = join(cp.runDir, `exec-${process.pid}.pid`)
  rmSync(pidFile, { force: true })
  args.push('--log', logFile, '--log-format', 'json', 'exec', '--pid-file', pidFile)
  if (o.tty) args.push('--tty')
  if (o.detach) args.push('--detach')
  if (o.workdir) args.push('--cwd', o.workdir)
  if (o.user !== undefined) {
    const lowerDirs = record.layers.map(c => engine.layers.diffDir(c as `sha256:${string}`))
    const view = containerViewDirs({ driver: record.storageDriver, lowerDirs, upperDir: cp.upperDir, workDir: cp.workDir, copyDir: cp.copyDir, target: cp.rootfs })
    const reader = new LayeredReader(view)
    const user = await resolveUser({ user: o.user, readFile: p => reader.readFile(p) })
    args.push('--user', `${user.uid}:${user.gid}`)
    for (const g of user.additionalGids) args.push('--additional-gids', String(g))
    if (user.home) args.push('--env', `HOME=${user.home}`)
  }
  for (const [k, v] of parseEnvArgs(o.env ?? [], process.env)) args.push('--env', `${k}=${v}`)
  if (o.privileged) args.push('--cap', 'CAP_SYS_ADMIN')
  args.push(record.id, ...o.command)

  const [file, ...argv] = userNamespaceArgv(await engine.userNamespace(), runtime.path, args)
  const stdin = o.interactive || o.tty ? 'inherit' : 'ignore'
  const status = await new Promise<number>((resolve, reject) => {
    const child = spawn(file!, argv, { stdio: [stdin, o.detach ? 'ignore' : 'inherit', 'pipe'] })
    const stderr = new HeldStderr(pidFile, o.detach ? null : process.stderr)
    child.stderr!.on('data', (chunk: Buffer) => stderr.write(chunk))
    // The terminal's ^C belongs to the process in the container (sent through the pty or sig-proxy below).
    const forward = (sig: NodeJS.Signals) => child.kill(sig)
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const
    for (const s of signals) process.on(s, forward)
    child.once('error', err => {
      stderr.stop()
      reject(err)
    })
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward)
      // What the process wrote last may still be in the pipe; a background
      // child of it holding stderr open must not keep exec waiting, though.
      void Promise.race([ended(child.stderr!), sleep(200)]).then(() => {
        child.stderr!.destroy()
        const failed = readRuntimeLogError(logFile) !== undefined
        stderr.finish(!failed)
        resolve(code ?? 128 + (signal ? constants.signals[signal] : 0))
      })
    })
  })
  rmSync(pidFile, { force: true })
  const failure = readRuntimeLogError(logFile)
  rmSync(logFile, { force: true })
  if (failure) {
    const code = startFailureStatus(failure)
    throw new TspodError(code === 127 ? 'command-not-found' : code === 126 ? 'cannot-execute' : 'internal', `${runtime.name}: ${failure}`, {
      exitCode: code,
    })
  }
  return status
}

/**
 * The process's stderr, held back until the runtime has written the pid file
 * (the process runs): before that, anything on it is the runtime's own
 * complaint, which it also logs and which becomes our one error line.
 */
class HeldStderr {
  private held: Buffer[] | null = []
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly pidFile: string,
    private readonly out: Writable | null,
  ) {
    // Output written before the pid file appeared must not wait for the exit.
    this.timer = setInterval(() => {
      if (this.held?.length && existsSync(this.pidFile)) this.release()
    }, 50)
  }

  write(chunk: Buffer): void {
    if (this.held && existsSync(this.pidFile)) this.release()
    if (this.held) this.held.push(chunk)
    else this.out?.write(chunk)
  }

  /** The process ended: show what was held unless the runtime never started it. */
  finish(started: boolean): void {
    if (started) this.release()
    this.stop()
  }

  stop(): void {
    clearInterval(this.timer)
    this.held = null
  }

  private release(): void {
    for (const c of this.held ?? []) this.out?.write(c)
    this.held = null
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref())
}
