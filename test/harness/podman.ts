/**
 * podman as the reference engine, isolated like tspod: its storage, run
 * dir, tmp dir (where its rootless pause process keeps its pid) inside a
 * StoreEnv, runc as runtime (crun fails on this host's hybrid cgroups), no
 * journald, native overlay. Uses the StoreEnv's registries.conf and auth file.
 *
 *   const store = await makeStoreEnv(t, { registries: [reg] })
 *   const podman = await makePodmanEnv(store)
 *   const r = await runPodman(['run', '--rm', ref, 'id'], { podman })
 *
 * Before the StoreEnv is removed: containers are removed and the pause
 * process (holding podman's user namespace) is ended.
 */
import { execa } from 'execa'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'
import { requireTools } from './tools.js'
import type { StoreEnv } from './tspod.js'

export interface PodmanEnv {
  root: string
  runroot: string
  tmpDir: string
  /** Global flags prepended to every podman command. */
  globalArgs: string[]
  env: Record<string, string>
}

export interface PodmanResult {
  stdout: string
  stderr: string
  exitCode: number
}

export async function makePodmanEnv(store: StoreEnv): Promise<PodmanEnv> {
  requireTools('podman', 'runc', 'conmon')
  const base = join(store.base, 'podman')
  const root = join(base, 'root')
  const runroot = join(base, 'runroot')
  const tmpDir = join(base, 'tmp')
  for (const d of [root, runroot, tmpDir]) mkdirSync(d, { recursive: true, mode: 0o700 })
  const containersConf = join(base, 'containers.conf')
  writeFileSync(containersConf, '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
  const podman: PodmanEnv = {
    root,
    runroot,
    tmpDir,
    globalArgs: [
      '--root', root, '--runroot', runroot, '--tmpdir', tmpDir, '--storage-driver', 'overlay',
      '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file',
    ],
    env: { ...store.env, CONTAINERS_CONF: containersConf },
  }
  store.beforeRemove(async () => {
    await runPodman(['rm', '--all', '--force', '--time', '0'], { podman, timeoutMs: 60_000 }).catch(() => undefined)
    let pid = 0
    try {
      pid = Number(readFileSync(join(tmpDir, 'pause.pid'), 'utf8').trim())
    } catch {
      return // podman never entered its namespace
    }
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
  return podman
}

/** Runs podman to completion with the isolated settings; never throws for a non-zero exit. */
export async function runPodman(args: readonly string[], options: { podman: PodmanEnv; input?: string; timeoutMs?: number }): Promise<PodmanResult> {
  const vars = Object.entries(options.podman.env).map(([k, v]) => `${k}=${v}`)
  // env -i: nothing of the tap process (NODE_OPTIONS and the like) reaches podman.
  const r = await execa('env', ['-i', ...vars, 'podman', ...options.podman.globalArgs, ...args], {
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    stripFinalNewline: false,
  })
  if (r.timedOut) throw new Error(`podman ${args.join(' ')}: timed out\n${r.stderr}`)
  const exitCode = r.exitCode ?? 128 + (r.signal ? (constants.signals[r.signal] ?? 0) : 0)
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode }
}
