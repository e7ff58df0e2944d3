/**
 * `exec`: a new process in a running container, through the runtime's exec,
 * inside tspod's namespace. The terminal is passed straight through: with -t
 * the runtime allocates the pty and relays it (resizes included).
 */
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { constants } from 'node:os'
import type { Engine } from '../engine.js'
import { TspodError } from '../errors.js'
import type { ContainerRecord } from './record.js'
import { isLive, reconcile } from './reconcile.js'
import { containerPaths, runtimeStateRoot } from './paths.js'
import { findRuntime, startFailureStatus } from '../../runtime/driver/runtime.js'
import { userNamespaceArgv } from '../../rootless/userns.js'
import { LayeredReader } from '../../image/store/layered-reader.js'
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
  args.push('--log', logFile, '--log-format', 'json', 'exec')
  if (o.tty) args.push('--tty')
  if (o.detach) args.push('--detach')
  if (o.workdir) args.push('--cwd', o.workdir)
  if (o.user !== undefined) {
    const reader = new LayeredReader([...record.layers.map(c => engine.layers.diffDir(c as `sha256:${string}`)), cp.upperDir])
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
    const child = spawn(file!, argv, { stdio: [stdin, o.detach ? 'ignore' : 'inherit', o.detach ? 'ignore' : 'inherit'] })
    // The terminal's ^C belongs to the process in the container (sent through the pty or sig-proxy below).
    const forward = (sig: NodeJS.Signals) => child.kill(sig)
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const
    for (const s of signals) process.on(s, forward)
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward)
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0))
    })
  })
  const failure = readExecFailure(logFile)
  rmSync(logFile, { force: true })
  if (failure) {
    const code = startFailureStatus(failure)
    throw new TspodError(code === 127 ? 'command-not-found' : code === 126 ? 'cannot-execute' : 'internal', `${runtime.name}: ${failure}`, {
      exitCode: code,
    })
  }
  return status
}

/** The runtime's own error for a process that never started (not the process's exit status). */
function readExecFailure(logFile: string): string | undefined {
  let text: string
  try {
    text = readFileSync(logFile, 'utf8')
  } catch {
    return undefined
  }
  for (const line of text.trim().split('\n').reverse()) {
    try {
      const e = JSON.parse(line) as { level?: string; msg?: string }
      if (e.level === 'error' && e.msg) return e.msg
    } catch {}
  }
  return undefined
}
