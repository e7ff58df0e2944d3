/**
 * Tests only: run a program as root of a fresh user+mount namespace that maps
 * the caller's uid to 0 and its /etc/subuid range to 1..N, the way tspod's
 * own namespace is built (util-linux `unshare --map-users` takes one range, so
 * newuidmap/newgidmap do it). A missing tool fails the test, naming it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'

export interface SubIdRange {
  start: number
  count: number
}

/** The caller's first range in /etc/subuid or /etc/subgid. */
export function subIdRange(file: '/etc/subuid' | '/etc/subgid'): SubIdRange {
  const { username, uid } = userInfo()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [who, start, count] = line.trim().split(':')
    if ((who === username || who === String(uid)) && start && count) return { start: Number(start), count: Number(count) }
  }
  throw new Error(`${file} has no range for ${username}: the tests need one (useradd adds it)`)
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Run `argv` inside a new user+mount namespace with the full id map. */
export async function runInUserNamespace(argv: readonly string[]): Promise<RunResult> {
  for (const tool of ['unshare', 'newuidmap', 'newgidmap']) requireTool(tool)
  const uids = subIdRange('/etc/subuid')
  const gids = subIdRange('/etc/subgid')
  // The shell says "ready" once it is inside the namespace, then waits for its map.
  const child = spawn(
    'unshare',
    ['--user', '--mount', '--propagation', 'private', '--', 'sh', '-c', 'echo ready; read go && exec "$@"', 'sh', ...argv],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', code => resolve(code))
  })
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const wasReady = stdout.startsWith('ready\n')
      stdout += s
      if (!wasReady && stdout.startsWith('ready\n')) resolve()
    })
    child.on('close', () => reject(new Error(`unshare exited before the namespace was ready: ${stderr.trim()}`)))
  })
  try {
    await ready
    const { uid, gid } = userInfo()
    mapIds('newuidmap', child.pid!, uid, uids)
    mapIds('newgidmap', child.pid!, gid, gids)
    child.stdin.end('go\n')
  } catch (err) {
    child.kill('SIGKILL')
    await exited.catch(() => undefined)
    throw err
  }
  const code = await exited
  return { code, stdout: stdout.slice('ready\n'.length), stderr }
}

function mapIds(tool: string, pid: number, own: number, range: SubIdRange): void {
  const r = spawnSync(tool, [String(pid), '0', String(own), '1', '1', String(range.start), String(range.count)], {
    encoding: 'utf8',
  })
  if (r.error) throw new Error(`${tool}: ${r.error.message}`)
  if (r.status !== 0) throw new Error(`${tool} failed (exit ${r.status}): ${r.stderr.trim()}`)
}

function requireTool(tool: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${tool} is not installed: the unpack tests need it (Debian package ${tool === 'unshare' ? 'util-linux' : 'uidmap'})`)
}
