/**
 * Resolve `--user` / the image's USER against the image's /etc/passwd and
 * /etc/group, with runc's lookup rules (libcontainer/user.GetExecUser) as
 * podman 4 applies them:
 * - "" → uid 0 (and root's passwd entry, if any, for gid/HOME);
 * - "name" or "uid": passwd entry by name / by uid (first match wins); a
 *   numeric uid needs no entry (gid then 0, no HOME); an unknown name fails;
 * - "user:group": group by name or gid; a numeric gid needs no entry;
 * - supplementary groups: /etc/group entries listing the user's name, only
 *   when no group was given, and only gids the user namespace maps;
 * - when a user was specified (flag or image), its primary gid is also put in
 *   additionalGids, as podman does.
 * The image's root filesystem is not mounted where the caller runs, so files
 * come through a reader over the image's layers.
 */
import { InvalidArgumentError } from '../../engine/errors.js'
import { log } from '../../util/log.js'
import type { IdRange, ResolvedUser } from './types.js'

/** Reads a file of the image by absolute path; undefined when it does not exist. */
export type ImageFileReader = (pathInImage: string) => Promise<Buffer | undefined>

const MAX_ID = 2 ** 31 - 1

interface PasswdEntry {
  name: string
  uid: number
  gid: number
  home: string
}
interface GroupEntry {
  name: string
  gid: number
  members: string[]
}

/** Go's strconv.Atoi subset runc relies on: optional sign, decimal digits. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined
}

/** runc ignores number conversion errors in these files (treats them as 0). */
function intField(s: string | undefined): number {
  return atoi(s ?? '') ?? 0
}

function lines(buf: Buffer): string[] {
  return buf
    .toString('utf8')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '')
}

export function parsePasswd(buf: Buffer): PasswdEntry[] {
  return lines(buf).map(l => {
    const f = l.split(':')
    return { name: f[0] ?? '', uid: intField(f[2]), gid: intField(f[3]), home: f[5] ?? '' }
  })
}

export function parseGroup(buf: Buffer): GroupEntry[] {
  return lines(buf).map(l => {
    const f = l.split(':')
    const list = f[3] ?? ''
    return { name: f[0] ?? '', gid: intField(f[2]), members: list === '' ? [] : list.split(',') }
  })
}

function inRange(id: number, ranges: readonly IdRange[]): boolean {
  return ranges.some(r => id >= r.containerID && id < r.containerID + r.size)
}

function checkRange(id: number): void {
  if (id < 0 || id > MAX_ID) throw new InvalidArgumentError(`uids and gids must be in range 0-${MAX_ID}`)
}

export interface ResolveUserOptions {
  /** The user string: `--user` if given, else the image's USER, else "". */
  user: string
  readFile: ImageFileReader
  /** Gids present in the user namespace the container runs in; default 0..65535. */
  gidRanges?: readonly IdRange[]
}

export async function resolveUser(opts: ResolveUserOptions): Promise<ResolvedUser> {
  const spec = opts.user
  const colon = spec.indexOf(':')
  const userArg = colon < 0 ? spec : spec.slice(0, colon)
  // runc keeps only the second field: "a:b:c" means user a, group b.
  const groupArg = colon < 0 ? '' : (spec.slice(colon + 1).split(':')[0] ?? '')
  const uidArg = atoi(userArg)
  const gidArg = atoi(groupArg)

  const passwdBuf = await opts.readFile('/etc/passwd')
  const passwd = passwdBuf ? parsePasswd(passwdBuf) : []
  const match = passwd.find(u => (userArg === '' ? u.uid === 0 : uidArg !== undefined ? u.uid === uidArg : u.name === userArg))

  let uid = 0
  let gid = 0
  let home: string | undefined
  let matchedName = ''
  if (match) {
    ;({ uid, gid } = match)
    home = match.home || undefined
    matchedName = match.name
  } else if (userArg !== '') {
    if (uidArg === undefined) {
      throw new InvalidArgumentError(`unable to find user ${userArg}: no matching entries in passwd file`)
    }
    checkRange(uidArg)
    uid = uidArg
  }

  let sgids: number[] = []
  if (groupArg !== '' || matchedName !== '') {
    const groupBuf = await opts.readFile('/etc/group')
    const groups = groupBuf ? parseGroup(groupBuf) : []
    if (groupArg !== '') {
      const g = groups.find(e => (gidArg !== undefined ? e.gid === gidArg : e.name === groupArg))
      if (g) gid = g.gid
      else if (gidArg === undefined) {
        throw new InvalidArgumentError(`unable to find group ${groupArg}: no matching entries in group file`)
      } else {
        checkRange(gidArg)
        gid = gidArg
      }
    } else if (colon < 0) {
      // podman adds membership groups only when the spec has no ":" at all.
      sgids = groups.filter(e => e.members.includes(matchedName)).map(e => e.gid)
    }
  }

  const additional: number[] = []
  const add = (g: number) => {
    if (!additional.includes(g)) additional.push(g)
  }
  if (spec !== '') add(gid)
  const ranges = opts.gidRanges ?? [{ containerID: 0, size: 65536 }]
  for (const g of sgids) {
    if (inRange(g, ranges)) add(g)
    else log.warn(`Additional gid=${g} is not present in the user namespace, skip setting it`)
  }
  const user: ResolvedUser = { uid, gid, additionalGids: additional }
  if (home !== undefined) user.home = home
  return user
}

/** The user string podman resolves: `--user` wins over the image's USER. */
export function userSpecFor(flag: string | undefined, imageUser: string | undefined): string {
  return flag ?? imageUser ?? ''
}
