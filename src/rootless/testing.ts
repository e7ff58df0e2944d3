/**
 * Test support (imported by *.test.ts only): a user namespace with its own
 * pause process in a temp dir, torn down with the test, and a way to run
 * TypeScript in a child Node process (with the loader tap itself uses).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { nativeHelperPath } from './helpers.js'
import { formatIdMap, loadIdMaps, type UserIdMaps } from './idmap.js'
import { readPauseProcess, type UserNamespace } from './userns.js'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface TempNamespace extends UserNamespace {
  /** Temp dir for the test's files (removed from inside the namespace). */
  dataDir: string
  /** argv prefix that runs a command inside (tspod-nsexec with this pause dir). */
  enter: string[]
}

/** The helper's argv prefix for `pauseDir` and `maps`. */
export function nsexecArgv(pauseDir: string, maps: UserIdMaps, extra: string[] = []): string[] {
  return [
    nativeHelperPath('nsexec'),
    '--pause-dir',
    pauseDir,
    '--uid-map',
    formatIdMap(maps.uidMap),
    '--gid-map',
    formatIdMap(maps.gidMap),
    ...extra,
    '--',
  ]
}

/** Pause processes whose pause.alive lock file lies in `pauseDir` (found through /proc). */
export function pauseProcessesOf(pauseDir: string): number[] {
  const uid = process.getuid!()
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'tspod-pause') continue
      if (!readFileSync(`/proc/${entry}/status`, 'utf8').includes(`\nUid:\t${uid}\t`)) continue
      const fds = readdirSync(`/proc/${entry}/fd`).map(fd => readlinkSync(`/proc/${entry}/fd/${fd}`))
      if (fds.includes(join(pauseDir, 'pause.alive'))) found.push(Number(entry))
    } catch {
      // the process went away while we looked
    }
  }
  return found
}

export async function tempNamespace(t: Teardown, maps?: UserIdMaps): Promise<TempNamespace> {
  const root = await mkdtemp(join(tmpdir(), 'tspod-userns-'))
  const pauseDir = join(root, 'run')
  const dataDir = join(root, 'data')
  const ns = { pauseDir, maps: maps ?? (await loadIdMaps()), dataDir, enter: [] as string[] }
  ns.enter = nsexecArgv(pauseDir, ns.maps)
  await execa('mkdir', ['-p', dataDir])
  t.teardown(async () => {
    // Files owned by subordinate ids can only be removed from inside.
    await execa(ns.enter[0]!, [...ns.enter.slice(1), 'rm', '-rf', dataDir], { reject: false })
    for (const pid of pauseProcessesOf(pauseDir)) process.kill(pid, 'SIGKILL')
    await rm(root, { recursive: true, force: true })
  })
  return ns
}

function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') // exited; its files (and locks) are closed
  } catch {
    return true
  }
}

/** Ends the pause process of `pauseDir` (as a crash would) and waits until it is gone. */
export async function killPause(pauseDir: string): Promise<number | undefined> {
  const pid = readPauseProcess(pauseDir)?.pid
  if (!pid) return undefined
  process.kill(pid, 'SIGKILL')
  while (!isGone(pid)) await new Promise(resolve => setTimeout(resolve, 5))
  return pid
}

/** argv running ES module `code` in a child Node that can import .ts files like this test does. */
export function nodeWithTs(code: string): string[] {
  const loaders = process.execArgv.filter(a => a.startsWith('--import=') && a.includes('typescript'))
  if (loaders.length === 0) throw new Error('no TypeScript loader in process.execArgv: run the test through tap')
  return [process.execPath, ...loaders, '--input-type=module', '-e', code]
}
