/**
 * Container mounts as rootless podman 4 lays them out, plus the caller's
 * binds and tmpfs mounts.
 *
 * Device nodes: rootless runc cannot mknod. runc adds /dev/null, zero, full,
 * random, urandom and tty to every container by itself and, inside a user
 * namespace, bind-mounts them from the host instead of creating them
 * (libcontainer createDevices: useBindMount when RunningInUserNS). So, like
 * podman, the spec lists no `linux.devices` for them. `--privileged`
 * bind-mounts every host device node given by the caller, as podman does.
 */
import { posix } from 'node:path'
import { InvalidArgumentError } from '../../engine/errors.js'
import type { OciMount } from './types.js'

export interface BindMountRequest {
  type: 'bind'
  /** Host path. */
  source: string
  destination: string
  readonly?: boolean
  /**
   * More options, podman `-v` style: ro/rw, bind/rbind, a propagation mode,
   * nosuid/nodev/noexec (add those the source's host mount carries: rootless
   * runc cannot clear locked flags when it remounts read-only).
   */
  options?: string[]
}

export interface TmpfsMountRequest {
  type: 'tmpfs'
  destination: string
  readonly?: boolean
  /** Bytes, or a string tmpfs understands ("64m"). */
  size?: number | string
  mode?: number
  /** More options: exec, notmpcopyup, uid=, gid=, ... */
  options?: string[]
}

export type MountRequest = BindMountRequest | TmpfsMountRequest

const PROPAGATION = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared', 'unbindable', 'runbindable']

/** Go's path.Clean for absolute paths: no "..", no "//", no trailing "/". */
function cleanPath(p: string): string {
  const n = posix.normalize(p)
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n
}

function checkDestination(dest: string): void {
  if (!dest.startsWith('/')) throw new InvalidArgumentError(`invalid container path ${JSON.stringify(dest)}, must be an absolute path`)
}

function withDefaults(options: string[], readonly: boolean | undefined): string[] {
  const out = [...options]
  if (!out.includes('ro') && !out.includes('rw')) out.push(readonly ? 'ro' : 'rw')
  else if (readonly && !out.includes('ro')) throw new InvalidArgumentError(`conflicting mount options: read-only and "rw"`)
  if (!out.some(o => PROPAGATION.includes(o))) out.push('rprivate')
  return out
}

/** A request as an OCI mount, with podman's default options filled in. */
export function toOciMount(req: MountRequest): OciMount {
  checkDestination(req.destination)
  const dest = cleanPath(req.destination)
  if (req.type === 'bind') {
    if (!req.source.startsWith('/')) throw new InvalidArgumentError(`invalid host path ${JSON.stringify(req.source)}, must be an absolute path`)
    const options = withDefaults(req.options ?? [], req.readonly)
    if (!options.includes('bind') && !options.includes('rbind')) options.push('rbind')
    return { destination: dest, type: 'bind', source: req.source, options }
  }
  const options = withDefaults(req.options ?? [], req.readonly)
  if (!options.includes('exec') && !options.includes('noexec')) options.push('noexec')
  if (!options.includes('suid') && !options.includes('nosuid')) options.push('nosuid')
  if (!options.includes('dev') && !options.includes('nodev')) options.push('nodev')
  if (req.size !== undefined) options.push(`size=${req.size}`)
  if (req.mode !== undefined) options.push(`mode=${req.mode.toString(8).padStart(4, '0')}`)
  // tmpcopyup (runc extension): the tmpfs starts with the image's files there.
  if (options.includes('notmpcopyup')) options.splice(options.indexOf('notmpcopyup'), 1)
  else if (!options.includes('tmpcopyup')) options.push('tmpcopyup')
  return { destination: dest, type: 'tmpfs', source: 'tmpfs', options }
}

export interface DefaultMountOptions {
  /** Own (new or joined) network namespace; false for --network host. */
  ownNetns: boolean
  privileged: boolean
  /** gid 5 (tty) exists in the user namespace: devpts may use gid=5. */
  ttyGidMapped: boolean
  /** /dev/shm size in bytes. */
  shmSize: number
  readOnlyTmpfs: boolean
}

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024

function sizeOption(bytes: number): string {
  return bytes % 1024 === 0 ? `size=${bytes / 1024}k` : `size=${bytes}`
}

export function defaultMounts(o: DefaultMountOptions): OciMount[] {
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'strictatime', 'mode=755', 'size=65536k'] },
  ]
  const rw = o.privileged ? 'rw' : 'ro'
  if (o.ownNetns) {
    // A fresh sysfs shows this network namespace's devices; allowed because
    // the netns belongs to our user namespace.
    mounts.push({ destination: '/sys', type: 'sysfs', source: 'sysfs', options: o.privileged ? ['rprivate', 'nosuid', 'noexec', 'nodev', 'rw'] : ['nosuid', 'noexec', 'nodev', 'ro'] })
  } else {
    // The kernel refuses a new sysfs without an own netns: show the host's.
    mounts.push({ destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', rw, 'rbind'] })
  }
  const pts = ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620']
  if (o.ttyGidMapped) pts.push('gid=5')
  mounts.push(
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: pts },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', sizeOption(o.shmSize)] },
  )
  // With host networking /sys is the host's, cgroup tree included.
  if (o.ownNetns) {
    mounts.push({ destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', rw] })
  }
  if (o.readOnlyTmpfs) {
    for (const d of ['/run', '/tmp', '/var/tmp']) {
      mounts.push({ destination: d, type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'] })
    }
  }
  return mounts
}

/** podman rootless --privileged: every host device node, bind-mounted (ptmx and ttys excepted). */
export function privilegedDeviceMounts(hostDevices: readonly string[]): OciMount[] {
  return hostDevices
    .filter(p => p !== '/dev/ptmx' && !p.startsWith('/dev/tty') && p.startsWith('/dev/'))
    .map(p => ({ destination: p, type: 'bind', source: p, options: ['slave', 'nosuid', 'noexec', 'rw', 'rbind'] }))
}

function depth(dest: string): number {
  return cleanPath(dest).split('/').filter(Boolean).length
}

/**
 * Later lists override earlier ones at the same destination; the result is
 * ordered by path depth (stable), so a parent is mounted before its children.
 */
export function mergeMounts(...lists: OciMount[][]): OciMount[] {
  const byDest = new Map<string, OciMount>()
  for (const list of lists) {
    for (const m of list) {
      const key = cleanPath(m.destination)
      byDest.delete(key) // an override takes the later position
      byDest.set(key, m)
    }
  }
  return [...byDest.values()]
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i)
    .map(e => e.m)
}

/** podman: any shared mount makes the rootfs rshared, else any slave one rslave. */
export function rootfsPropagation(mounts: readonly OciMount[]): string | undefined {
  const opts = mounts.flatMap(m => m.options ?? [])
  if (opts.some(o => o === 'shared' || o === 'rshared')) return 'rshared'
  if (opts.some(o => o === 'slave' || o === 'rslave')) return 'rslave'
  return undefined
}
