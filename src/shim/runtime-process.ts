/**
 * One run of the container through the OCI runtime: `runc run --detach`, with
 * the container's stdio either pipes the shim holds or a pty runc hands over
 * on the console socket. runc exits once the container runs; the container's
 * init then belongs to the shim (a child subreaper), which waits for it.
 */
import { closeSync, existsSync, readFileSync, rmSync, write } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { Writable, type Readable } from 'node:stream'
import type { Syscalls, Winsize } from '../../native-bindings/index.js'
import { TspodError } from '../engine/errors.js'
import { readRuntimeLogError, runtimeErrorLine, runtimeFiles, runtimeRunArgv, startFailureStatus } from '../runtime/driver/runtime.js'
import { ended } from '../util/stream-ended.js'
import { trace } from '../util/trace.js'
import { LAUNCHED_STDERR_FD, LAUNCHED_STDIN_FD, LAUNCHED_STDOUT_FD, type ShimConfig } from './config.js'
import { builtin } from '../util/builtin.js'

/** Takes output; a returned promise means: read no more of this stream until it settles. */
export type OutputSink = (stream: 'stdout' | 'stderr', chunk: Buffer) => Promise<void> | undefined

export interface RunningContainer {
  pid: number
  /** Settles when every output stream has ended (the container and its children closed them). */
  drained: Promise<void>
  /** Where attach clients' stdin goes, if the container has stdin. */
  stdin: Writable | null
  resize(size: Winsize): void
  /** Releases what the shim holds for this run (the pty). */
  close(): void
}

export class StartError extends TspodError {
  constructor(message: string, readonly status: number) {
    super(status === 127 ? 'command-not-found' : status === 126 ? 'cannot-execute' : 'internal', message, { exitCode: status })
  }
}

/** A runtime tspod-shimlaunch already started (its launcher child's pid; the pipes are on fds 5–7). */
export interface Prelaunched {
  pid: number
}

interface RuntimeRun {
  stdout: Readable
  stderr: Readable
  stdinWriter: Writable | null
  /** The runtime's exit status. */
  exited: Promise<number>
}

async function spawnRuntime(cfg: ShimConfig, sys: Syscalls, consoleSocket: string | undefined): Promise<RuntimeRun> {
  // Loaded on first use: a first run that tspod-shimlaunch started needs neither.
  const { spawn } = builtin<typeof import('node:child_process')>('node:child_process')
  const [file, ...args] = runtimeRunArgv(cfg.runtime, cfg.bundleDir, cfg.containerId, consoleSocket)
  // Without a tty the container inherits runc's stdio: these pipes are its
  // stdio. Its stdin is a pipe of our own: Node would close a child's stdin
  // pipe when runc exits, long before the container is done with it.
  const stdinPipe = cfg.stdin && !cfg.tty ? sys.pipe() : undefined
  const child = spawn(file!, args, { stdio: [stdinPipe ? stdinPipe[0] : 'ignore', 'pipe', 'pipe'] })
  if (stdinPipe) closeSync(stdinPipe[0])
  return {
    stdout: child.stdout!,
    stderr: child.stderr!,
    stdinWriter: stdinPipe ? new net.Socket({ fd: stdinPipe[1], readable: false, writable: true }) : null,
    exited: new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? 15 : 0)))
    }),
  }
}

/** The run tspod-shimlaunch started: its pipes, and its launcher child's exit (the runtime's status). */
function adoptRuntime(cfg: ShimConfig, sys: Syscalls, launched: Prelaunched): RuntimeRun {
  const pipe = (fd: number, readable: boolean) => new net.Socket({ fd, readable, writable: !readable })
  let stdinWriter: Writable | null = null
  if (cfg.stdin) stdinWriter = pipe(LAUNCHED_STDIN_FD, false)
  else closeSync(LAUNCHED_STDIN_FD) // the container's stdin ends at once, as /dev/null would
  return {
    stdout: pipe(LAUNCHED_STDOUT_FD, true),
    stderr: pipe(LAUNCHED_STDERR_FD, true),
    stdinWriter,
    exited: sys.waitForExit(launched.pid).then(s => s.status),
  }
}

export async function startContainer(cfg: ShimConfig, sys: Syscalls, onOutput: OutputSink, launched?: Prelaunched): Promise<RunningContainer> {
  const rt = cfg.runtime
  const { pidFile, log: runtimeLog } = runtimeFiles(cfg.bundleDir)
  let console: ReturnType<Syscalls['listenForFd']> | undefined
  let run: RuntimeRun
  if (launched) {
    trace('shim: adopting the run tspod-shimlaunch started')
    run = adoptRuntime(cfg, sys, launched)
  } else {
    rmSync(pidFile, { force: true })
    await deleteStaleState(cfg)
    console = cfg.tty ? sys.listenForFd(join(cfg.bundleDir, 'console')) : undefined
    run = await spawnRuntime(cfg, sys, console?.path)
  }
  const stdinWriter = run.stdinWriter
  // Until the runtime has exited, stderr may be its own complaint rather than the container's.
  const stderrBeforeStart: Buffer[] = []
  let started = false
  run.stdout.on('data', relay(run.stdout, 'stdout', onOutput))
  const relayStderr = relay(run.stderr, 'stderr', onOutput)
  run.stderr.on('data', (d: Buffer) => (started ? relayStderr(d) : stderrBeforeStart.push(d)))
  let ptyFd: number | undefined
  const gotConsole = console?.receive().then(r => (ptyFd = r.fd))
  const status = await run.exited
  if (status !== 0) {
    console?.close()
    stdinWriter?.destroy()
    const text = Buffer.concat(stderrBeforeStart).toString() + `\n${readRuntimeLogError(runtimeLog) ?? ''}`
    throw new StartError(runtimeErrorLine({ name: rt.name, path: rt.path }, text), startFailureStatus(text))
  }
  if (console) {
    await gotConsole
    console.close()
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim())

  started = true
  for (const chunk of stderrBeforeStart) onOutput('stderr', chunk)

  if (ptyFd !== undefined) {
    const fd = ptyFd
    const { ReadStream } = builtin<typeof import('node:tty')>('node:tty')
    const readable = new ReadStream(fd)
    readable.on('data', relay(readable, 'stdout', onOutput))
    return {
      pid,
      // The pty master reports EIO once the last slave fd is closed: that is its end.
      drained: ended(readable),
      stdin: cfg.stdin ? ptyWriter(fd) : null,
      resize: size => sys.setWinsize(fd, size),
      close: () => readable.destroy(),
    }
  }
  return {
    pid,
    drained: Promise.all([ended(run.stdout), ended(run.stderr)]).then(() => {}),
    stdin: stdinWriter,
    resize: () => {},
    close: () => {},
  }
}

/** A 'data' handler passing chunks on, pausing the stream while the sink asks it to. */
function relay(stream: Readable, name: 'stdout' | 'stderr', onOutput: OutputSink): (chunk: Buffer) => void {
  return chunk => {
    const hold = onOutput(name, chunk)
    if (!hold) return
    stream.pause()
    void hold.then(() => stream.resume())
  }
}

/**
 * The runtime's state of an earlier run whose shim died (killed, or the
 * machine went down) would make `run` fail with "container with given ID
 * already exists": delete it first (any process of it is killed).
 */
async function deleteStaleState(cfg: ShimConfig): Promise<void> {
  const dir = join(cfg.runtime.stateRoot, cfg.containerId)
  if (!existsSync(dir)) return
  const { spawn } = builtin<typeof import('node:child_process')>('node:child_process')
  await new Promise<void>(resolve => {
    const child = spawn(cfg.runtime.path, ['--root', cfg.runtime.stateRoot, 'delete', '--force', cfg.containerId], { stdio: 'ignore' })
    child.once('error', () => resolve())
    child.once('exit', () => resolve())
  })
  rmSync(dir, { recursive: true, force: true })
}

/** A Writable onto the pty master (a second libuv handle on the same fd is not allowed). */
function ptyWriter(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      write(fd, chunk, err => done(err ?? null))
    },
  })
}
