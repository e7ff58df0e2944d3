/**
 * The id map of the user namespace: container 0 is the user, container 1..N
 * are the user's subordinate ids from /etc/subuid and /etc/subgid (every range,
 * in file order, as podman maps them). The same files give the same map on
 * every invocation, which the shared pause process depends on.
 *
 * TSPOD_SUBUID_FILE / TSPOD_SUBGID_FILE name other files to read instead of
 * /etc/subuid and /etc/subgid. They exist for tests (a user without ranges,
 * on a machine where the test user has them); newuidmap itself still checks
 * the real files, so they can only take ranges away, never grant any.
 */
import { readFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { log } from '../util/log.js'

/** One line of /proc/PID/uid_map: `size` ids from `containerId` map to `hostId`. */
export interface IdMapping {
  containerId: number
  hostId: number
  size: number
}

export interface SubordinateRange {
  start: number
  count: number
}

export interface UserIdMaps {
  uidMap: IdMapping[]
  gidMap: IdMapping[]
}

export interface IdMapOptions {
  uid?: number
  gid?: number
  /** Login name, as written in /etc/subuid and /etc/subgid. */
  userName?: string
  subuidPath?: string
  subgidPath?: string
  /** For uid 0: the process's own maps (tests override them). */
  uidMapPath?: string
  gidMapPath?: string
}

/** The kernel accepts at most 340 lines in uid_map; one is the user's own id. */
const MAX_RANGES = 339
const MAX_ID = 0xffffffff - 1 // (uid_t)-1 is "no id"

/**
 * The ranges of `user` in a subuid/subgid file: lines `name-or-uid:start:count`,
 * `#` comments. Malformed lines are skipped, as shadow's own parser does.
 */
export function parseSubordinateIds(text: string, user: { name: string; id: number }): SubordinateRange[] {
  const ranges: SubordinateRange[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const fields = line.split(':')
    if (fields.length !== 3) continue
    const [owner, startText, countText] = fields as [string, string, string]
    if (owner !== user.name && owner !== String(user.id)) continue
    if (!/^\d+$/.test(startText) || !/^\d+$/.test(countText)) continue
    const start = Number(startText)
    const count = Number(countText)
    if (count === 0 || start + count - 1 > MAX_ID) continue
    ranges.push({ start, count })
  }
  return ranges
}

/**
 * container 0 -> `ownId`, then the ranges back to back from container 1.
 * Ranges overlapping an earlier one or the user's own id are dropped (the
 * kernel refuses overlapping lines).
 */
export function buildIdMap(ownId: number, ranges: SubordinateRange[]): IdMapping[] {
  const map: IdMapping[] = [{ containerId: 0, hostId: ownId, size: 1 }]
  let next = 1
  for (const r of ranges) {
    if (map.length > MAX_RANGES) break
    const overlaps = map.some(m => r.start < m.hostId + m.size && m.hostId < r.start + r.count)
    if (overlaps) {
      log.debug(`ignoring subordinate range ${r.start}:${r.count}: it overlaps another range or your own id`)
      continue
    }
    const size = Math.min(r.count, MAX_ID - next + 1)
    if (size <= 0) break
    map.push({ containerId: next, hostId: r.start, size })
    next += size
  }
  return map
}

/** The text of /proc/PID/uid_map or gid_map. */
export function parseProcIdMap(text: string): IdMapping[] {
  return text
    .split('\n')
    .map(line => line.trim().split(/\s+/).map(Number))
    .filter(f => f.length === 3 && f.every(n => Number.isInteger(n)))
    .map(([containerId, hostId, size]) => ({ containerId: containerId!, hostId: hostId!, size: size! }))
}

/** `C H N,C H N` as tspod-nsexec takes it (and pause.map records it). */
export function formatIdMap(map: IdMapping[]): string {
  return map.map(m => `${m.containerId} ${m.hostId} ${m.size}`).join(',')
}

/** The host id of a container id, or undefined when it is not mapped. */
export function toHostId(map: IdMapping[], containerId: number): number | undefined {
  const m = map.find(e => containerId >= e.containerId && containerId < e.containerId + e.size)
  return m && m.hostId + (containerId - m.containerId)
}

/** The container id of a host id, or undefined when it is not mapped. */
export function toContainerId(map: IdMapping[], hostId: number): number | undefined {
  const m = map.find(e => hostId >= e.hostId && hostId < e.hostId + e.size)
  return m && m.containerId + (hostId - m.hostId)
}

/** True when only the user's own id is mapped (no subordinate ranges). */
export function isSingleIdMap(map: IdMapping[]): boolean {
  return map.length === 1 && map[0]!.size === 1
}

async function readRanges(path: string, user: { name: string; id: number }): Promise<SubordinateRange[]> {
  try {
    return parseSubordinateIds(await readFile(path, 'utf8'), user)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/**
 * The maps for the current user. Without subordinate ranges only the user's
 * own id is mapped (images still run, but files of other owners become the
 * user's): a warning, once, names the fix.
 */
export async function loadIdMaps(opts: IdMapOptions = {}): Promise<UserIdMaps> {
  const uid = opts.uid ?? process.getuid!()
  const gid = opts.gid ?? process.getgid!()
  if (uid === 0) {
    // Real root (identity map) or already inside the namespace: the kernel's
    // map of this process is the answer.
    return {
      uidMap: parseProcIdMap(await readFile(opts.uidMapPath ?? '/proc/self/uid_map', 'utf8')),
      gidMap: parseProcIdMap(await readFile(opts.gidMapPath ?? '/proc/self/gid_map', 'utf8')),
    }
  }
  const name = opts.userName ?? userInfo().username
  const subuidPath = opts.subuidPath ?? (process.env.TSPOD_SUBUID_FILE || '/etc/subuid')
  const subgidPath = opts.subgidPath ?? (process.env.TSPOD_SUBGID_FILE || '/etc/subgid')
  const user = { name, id: uid }
  const [subuids, subgids] = await Promise.all([readRanges(subuidPath, user), readRanges(subgidPath, user)])

  const missing = [subuids.length === 0 && `UID range for "${name}" in ${subuidPath}`, subgids.length === 0 && `GID range for "${name}" in ${subgidPath}`].filter(Boolean)
  if (missing.length > 0) {
    log.warnOnce(
      `no subordinate ${missing.join(' and no subordinate ')}; files owned by other users in images will be owned by you: ` +
        `add one with "sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${name}"`,
    )
  }
  return { uidMap: buildIdMap(uid, subuids), gidMap: buildIdMap(gid, subgids) }
}
