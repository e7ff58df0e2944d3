/**
 * Running a command as root of a user namespace that maps the test user's
 * subordinate ids — the way tspod (and podman) lay out ownership in a store:
 * container id 0 = the user itself, ids 1..N = the user's subuid range.
 * Files a container creates as uid 1000 belong to host uid SUBUID_START+999,
 * which the test user cannot delete from the host; inside this namespace it
 * can.
 *
 * Mapping more than one id needs the setuid helpers newuidmap/newgidmap (from
 * `uidmap`): a child unshares a user namespace and waits; the parent writes
 * the maps; the child then execs the command, which gets full capabilities
 * over the mapped ids (execve as uid 0 of the namespace).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { requireTools, run, type RunResult } from './tools.js'

export interface IdRange {
  start: number
  count: number
}

/** The user's ranges in /etc/subuid or /etc/subgid, in file order. */
export function subordinateRanges(kind: 'uid' | 'gid', file = kind === 'uid' ? '/etc/subuid' : '/etc/subgid'): IdRange[] {
  // Both files are keyed by the user (name or uid), never by group.
  const { username, uid } = userInfo()
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    // missing file: no ranges
  }
  const ranges: IdRange[] = []
  for (const line of text.split('\n')) {
    const [owner, start, count] = line.trim().split(':')
    if ((owner === username || owner === String(uid)) && start && count) {
      ranges.push({ start: Number(start), count: Number(count) })
    }
  }
  return ranges
}

function mapArgs(own: number, ranges: IdRange[]): string[] {
  const args = ['0', String(own), '1']
  let next = 1
  for (const r of ranges) {
    args.push(String(next), String(r.start), String(r.count))
    next += r.count
  }
  return args
}

/**
 * Host uid/gid that a container id has on disk under the standard mapping
 * (0 → the user, 1.. → the subordinate ranges). For checkFsFacts on a tspod store.
 */
export function hostIdMapper(): { uid(id: number): number; gid(id: number): number } {
  const { uid: ownUid, gid: ownGid } = userInfo()
  const lookup = (own: number, ranges: IdRange[]) => (id: number) => {
    if (id === 0) return own
    let offset = id - 1
    for (const r of ranges) {
      if (offset < r.count) return r.start + offset
      offset -= r.count
    }
    throw new Error(`id ${id} is outside the mapped range`)
  }
  return { uid: lookup(ownUid, subordinateRanges('uid')), gid: lookup(ownGid, subordinateRanges('gid')) }
}

export class NoSubordinateIdsError extends Error {
  constructor() {
    const user = userInfo().username
    super(
      `no subordinate id range for ${user} in /etc/subuid and /etc/subgid; fix (as root): ` +
        `usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${user}`,
    )
  }
}

/** Runs argv as root of a fully mapped user namespace; throws on failure (stderr included). */
export async function runInUserNamespace(argv: string[], options: { input?: string; cwd?: string } = {}): Promise<RunResult> {
  requireTools('unshare', 'newuidmap', 'newgidmap')
  const uids = subordinateRanges('uid')
  const gids = subordinateRanges('gid')
  if (uids.length === 0 || gids.length === 0) throw new NoSubordinateIdsError()
  const { uid, gid } = userInfo()

  const child = spawn('unshare', ['--user', '--', '/bin/sh', '-c', 'echo ready && read go && exec "$@"', 'sh', ...argv], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: options.cwd,
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  const ready = await new Promise<boolean>(resolve => {
    const onData = (c: Buffer) => {
      stdout += c.toString()
      const nl = stdout.indexOf('\n')
      if (nl >= 0) {
        const first = stdout.slice(0, nl)
        stdout = stdout.slice(nl + 1)
        child.stdout.off('data', onData)
        child.stdout.on('data', (more: Buffer) => {
          stdout += more.toString()
        })
        resolve(first === 'ready')
      }
    }
    child.stdout.on('data', onData)
    child.on('close', () => resolve(false))
  })
  if (!ready) {
    const { code } = await exited
    throw new Error(`unshare --user failed (exit ${code}): ${stderr.trim()}`)
  }
  try {
    await run('newuidmap', [String(child.pid), ...mapArgs(uid, uids)])
    await run('newgidmap', [String(child.pid), ...mapArgs(gid, gids)])
  } catch (err) {
    child.kill('SIGKILL')
    await exited
    throw err
  }
  child.stdin.end(`go\n${options.input ?? ''}`)
  const { code, signal } = await exited
  if (code !== 0) {
    throw new Error(`${argv.join(' ')} (in user namespace): ${signal ? `killed by ${signal}` : `exit status ${code}`}\n${stderr.trim()}`)
  }
  return { stdout, stderr }
}

/**
 * `rm -rf` as mapped root: removes trees holding files owned by subordinate
 * ids. Throws if anything is left.
 */
export async function removeTreeAsMappedRoot(...paths: string[]): Promise<void> {
  const present = paths.filter(p => existsSync(p))
  if (present.length === 0) return
  await runInUserNamespace(['rm', '-rf', '--', ...present])
  const left = present.filter(p => existsSync(p))
  if (left.length) throw new Error(`could not remove ${left.join(', ')}`)
}
