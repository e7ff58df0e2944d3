/**
 * Shared by the storage-driver e2e tests: a store whose containers and pause
 * process are ended before it is removed, the facts of a container's root as
 * seen from inside it, and the fuse-overlayfs daemons serving a container.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TeardownHost } from '../../harness/registry.js'
import { makeStoreEnv, runTspod, type RunTspodOptions, type StoreEnv, type TspodResult } from '../../harness/tspod.js'
import type { FsFact } from '../../harness/fixtures.js'

export function tspod(env: StoreEnv, args: readonly string[], options: Omit<RunTspodOptions, 'env'> = {}): Promise<TspodResult> {
  return runTspod(args, { env, ...options })
}

/** A store for one test; at teardown its containers are removed and its pause process ended. */
export async function containerStore(t: TeardownHost, registries: { host: string }[]): Promise<StoreEnv> {
  const env = await makeStoreEnv(t, { registries: registries.map(r => r.host) })
  env.beforeRemove(async () => {
    await runTspod(['rm', '-f', '-a'], { env, timeoutMs: 60_000 }).catch(() => undefined)
    let pid = 0
    try {
      pid = Number(readFileSync(join(env.runroot, 'pause.pid'), 'utf8').trim())
    } catch {
      return
    }
    if (pid > 0 && commOf(pid) === 'tspod-pause') process.kill(pid, 'SIGTERM')
  })
  return env
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return undefined
  }
}

/** fuse-overlayfs processes whose command line names this container's directory (any of the store's, without an id). */
export function fuseDaemonsOf(env: StoreEnv, id?: string): number[] {
  const dir = id === undefined ? join(env.root, 'containers') : join(env.root, 'containers', id)
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || commOf(Number(entry)) !== 'fuse-overlayfs') continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue // exited (a zombie is no process)
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/** Polls `cond` until it holds or `ms` pass; its last value. */
export async function eventually<T>(cond: () => T, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  let value = cond()
  while (!value && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 50))
    value = cond()
  }
  return value
}

/**
 * A shell script for the container: one line per path, `PATH|absent` or
 * `PATH|TYPE|UID|GID|MODE|INODE|MTIME[|SHA256 or LINK TARGET]` (busybox stat).
 */
export const FACTS_SCRIPT = `
for p in "$@"; do
  if [ -e "$p" ] || [ -L "$p" ]; then
    line="$(stat -c '%F|%u|%g|%a|%i|%Y' "$p")"
    case "$line" in
      regular*) line="$line|$(sha256sum < "$p" | cut -d' ' -f1)" ;;
      symbolic*) line="$line|$(readlink "$p")" ;;
    esac
    echo "$p|$line"
  else
    echo "$p|absent"
  fi
done
`

export interface SeenFact {
  type: string
  uid: number
  gid: number
  mode: number
  inode: number
  mtime: number
  extra?: string
}

export function parseFacts(stdout: string): Map<string, SeenFact | 'absent'> {
  const out = new Map<string, SeenFact | 'absent'>()
  for (const line of stdout.split('\n')) {
    if (!line) continue
    const [path, type, uid, gid, mode, inode, mtime, extra] = line.split('|')
    if (type === 'absent') out.set(path!, 'absent')
    else out.set(path!, { type: type!, uid: Number(uid), gid: Number(gid), mode: parseInt(mode!, 8), inode: Number(inode), mtime: Number(mtime), ...(extra !== undefined ? { extra } : {}) })
  }
  return out
}

const TYPE_NAMES: Record<FsFact['type'], string> = { file: 'regular file', dir: 'directory', symlink: 'symbolic link', fifo: 'fifo' }

/** The differences between what the container sees and one expected fact (empty: none). */
export function factProblems(fact: FsFact, seen: SeenFact | 'absent' | undefined, all: Map<string, SeenFact | 'absent'>): string[] {
  if (seen === undefined || seen === 'absent') return [`${fact.path} is missing`]
  const problems: string[] = []
  const expect = (what: string, want: unknown, got: unknown) => {
    if (want !== undefined && want !== got) problems.push(`${fact.path}: ${what} ${String(got)}, expected ${String(want)}`)
  }
  expect('type', TYPE_NAMES[fact.type], seen.type)
  expect('uid', fact.uid, seen.uid)
  expect('gid', fact.gid, seen.gid)
  if (fact.type !== 'symlink') expect('mode', fact.mode?.toString(8), seen.mode.toString(8))
  expect('mtime', fact.mtime, seen.mtime)
  if (fact.content !== undefined) expect('content sha256', createHash('sha256').update(fact.content).digest('hex'), seen.extra)
  if (fact.target !== undefined) expect('target', fact.target, seen.extra)
  if (fact.hardlinkOf !== undefined) {
    const other = all.get(fact.hardlinkOf)
    expect(`inode (a hard link of ${fact.hardlinkOf})`, other === undefined || other === 'absent' ? 'missing' : other.inode, seen.inode)
  }
  return problems
}
