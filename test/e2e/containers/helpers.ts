/**
 * Shared by the container e2e tests: one registry with the fixtures pushed
 * per test file, a store with them pulled, the built CLI run as the test user,
 * and views of what tspod leaves on disk and in its user namespace (records,
 * state files, the run root, runc's state, the overlay mounts the pause
 * process's mount namespace holds, live shims).
 */
import type { Test } from 'tap'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pushFixtures, type PushedFixture } from '../../harness/fixtures.js'
import { withRegistry, type RegistryHandle, type TeardownHost } from '../../harness/registry.js'
import { makeStoreEnv, pauseProcessOf, runTspod, spawnTspod, TSPOD_CLI, type RunTspodOptions, type StoreEnv, type TspodResult } from '../../harness/tspod.js'

export type Asserts = Pick<Test, 'ok' | 'equal' | 'same' | 'match' | 'notOk' | 'not' | 'notMatch'>
export type Options = Omit<RunTspodOptions, 'env'>

export interface Images {
  reg: RegistryHandle
  busybox: PushedFixture
  layers: PushedFixture
}

/** One registry with busybox and layers, for the whole test file. */
export async function withImages(t: TeardownHost): Promise<Images> {
  const reg = await withRegistry(t)
  const fx = await pushFixtures(reg, ['busybox', 'layers'])
  return { reg, ...fx }
}

/** A store (removed at teardown, containers and pause process ended first) with these images pulled. */
export async function storeWith(t: TeardownHost, images: Images, pull: readonly PushedFixture[] = [images.busybox]): Promise<StoreEnv> {
  const env = await makeStoreEnv(t, { registries: [images.reg] })
  for (const fx of pull) {
    const r = await runTspod(['pull', '-q', fx.reference], { env })
    if (r.exitCode !== 0) throw new Error(`pull ${fx.reference}: ${r.stderr}`)
  }
  return env
}

export function tspod(env: StoreEnv, args: readonly string[], options: Options = {}): Promise<TspodResult> {
  return runTspod(args, { env, ...options })
}

export function spawn(env: StoreEnv, args: readonly string[]) {
  return spawnTspod(args, { env })
}

/** The argv runTspod runs (`env -i VARS node -- CLI GLOBALS ARGS`), for spawning it some other way. */
export function cliArgv(env: StoreEnv, args: readonly string[]): string[] {
  return ['env', '-i', ...Object.entries(env.env).map(([k, v]) => `${k}=${v}`), process.execPath, '--', TSPOD_CLI, ...env.globalArgs, ...args]
}

/** Runs a command that must succeed; returns its result. */
export async function ok(t: Asserts, env: StoreEnv, args: readonly string[], options: Options = {}): Promise<TspodResult> {
  const r = await tspod(env, args, options)
  t.equal(r.exitCode, 0, `tspod ${args.join(' ')} succeeds${r.exitCode === 0 ? '' : `: ${r.stderr.trim()}`}`)
  return r
}

/** `run --rm IMAGE sh -c SCRIPT`, which must succeed: its stdout. */
export async function sh(t: Asserts, env: StoreEnv, image: string, script: string, runFlags: readonly string[] = []): Promise<string> {
  return (await ok(t, env, ['run', '--rm', ...runFlags, image, 'sh', '-c', script])).stdout
}

/** `run -d`: the new container's ID (checked to be 64 hex digits). */
export async function runDetached(t: Asserts, env: StoreEnv, args: readonly string[]): Promise<string> {
  const r = await ok(t, env, ['run', '-d', ...args])
  t.match(r.stdout, /^[0-9a-f]{64}\n$/, 'run -d prints the 64-hex ID')
  return r.stdout.trim()
}

/** Pull progress lines (printed before an error too). */
const PROGRESS = /^(Trying to pull |Getting image source signatures$|Copying (blob|config) |Writing manifest|Storing signatures$)/

/**
 * podman's convention for tspod's own errors: exit 125 (or `status`), exactly
 * one `Error: …` line on stderr (after any pull progress; a usage error may
 * add podman's `See 'tspod CMD --help'` hint), nothing on stdout.
 */
export function assertOneLineError(t: Asserts, r: TspodResult, pattern: RegExp, what: string, status = 125): void {
  t.equal(r.exitCode, status, `${what}: exit status ${status}`)
  const lines = r.stderr.split('\n').filter(l => l !== '' && !PROGRESS.test(l))
  const errors = lines.filter(l => l.startsWith('Error: '))
  t.equal(errors.length, 1, `${what}: one "Error: " line on stderr, got:\n${r.stderr}`)
  t.match(errors[0] ?? '', pattern, `${what}: the line says why`)
  const others = lines.filter(l => !l.startsWith('Error: '))
  t.ok(others.every(l => /^See 'tspod [a-z ]+--help'$/.test(l)), `${what}: nothing else but a usage hint on stderr, got:\n${r.stderr}`)
  t.equal(r.stdout, '', `${what}: nothing on stdout`)
}

// ---------------------------------------------------------------------------
// inspect and state

export interface InspectedContainer {
  Id: string
  Name: string
  Image: string
  ImageName: string
  RestartCount: number
  State: { Status: string; Running: boolean; ExitCode: number; Pid: number; ConmonPid: number; StartedAt: string; FinishedAt: string; Error: string }
  Config: { Env: string[]; Cmd: string[]; Labels: Record<string, string> | null; Hostname: string; Entrypoint: string; User: string; WorkingDir: string }
  HostConfig: { RestartPolicy: { Name: string; MaximumRetryCount: number }; AutoRemove: boolean }
  ConmonPidFile: string
}

export async function inspect(t: Asserts, env: StoreEnv, name: string): Promise<InspectedContainer> {
  const r = await ok(t, env, ['inspect', '--type', 'container', name])
  const parsed = JSON.parse(r.stdout) as InspectedContainer[]
  t.equal(parsed.length, 1, `inspect ${name}: one object`)
  return parsed[0]!
}

/** Status words (`ps -a --format {{.Names}}={{.State}}`) by container name. */
export async function psStates(t: Asserts, env: StoreEnv): Promise<Record<string, string>> {
  const r = await ok(t, env, ['ps', '-a', '--format', 'json'])
  const out: Record<string, string> = {}
  for (const c of JSON.parse(r.stdout) as { Names: string[]; State: string }[]) out[c.Names[0]!] = c.State
  return out
}

/** The container's state.json as the shim and CLI wrote it. */
export function stateFile(env: StoreEnv, id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(env.root, 'containers', id, 'state.json'), 'utf8')) as Record<string, unknown>
}

// ---------------------------------------------------------------------------
// What is on disk and in the namespace

/** Where tspod keeps one container's things (see src/engine/containers/paths.ts). */
export function containerPlaces(env: StoreEnv, id: string) {
  return {
    record: join(env.root, 'containers', id),
    upper: join(env.root, 'containers', id, 'upper'),
    runDir: join(env.runroot, 'c', id.slice(0, 16)),
    runcState: join(env.runroot, 'runtime', id),
  }
}

/** Mount points in tspod's mount namespace (the pause process's) below the store. */
export function storeMounts(env: StoreEnv): string[] {
  const pid = pauseProcessOf(env.runroot)
  if (pid === undefined) return []
  return readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .split('\n')
    .map(l => l.split(' ')[4] ?? '')
    .filter(p => p.startsWith(env.root))
}

/** Every path below `dir`, relative, sorted ([] if it does not exist). */
export function listTree(dir: string): string[] {
  const out: string[] = []
  const walk = (rel: string) => {
    let names: string[]
    try {
      names = readdirSync(join(dir, rel))
    } catch {
      return
    }
    for (const n of names) {
      const p = rel ? `${rel}/${n}` : n
      out.push(p)
      let isDir = false
      try {
        isDir = statSync(join(dir, p)).isDirectory()
      } catch {}
      if (isDir) walk(p)
    }
  }
  walk('')
  return out.sort()
}

/** True when the pid is gone (or a zombie waiting for its reaper). */
export function processGone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

/** Command line of a live process ('' when gone). */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/** Polls `check` every 20 ms until it is true, or throws after `ms`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

export { existsSync }
