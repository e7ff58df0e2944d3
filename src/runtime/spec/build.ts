/**
 * buildSpec: an image config + `tspod run` options + facts about the host →
 * the config.json runc runs. Pure: no files, no processes, no clock.
 *
 * Shape of the result (rootless podman 4 with runc and cgroupfs):
 * - no user namespace in the spec: runc runs inside tspod's user namespace
 *   as its root and the container shares it (as with podman's pause process);
 * - no linux.cgroupsPath and no linux.resources: rootless cgroups are not
 *   delegated here, and runc ignores cgroup permission errors only when no
 *   path and no limits are requested;
 * - namespaces: pid, ipc, uts, mount, network unless --network host, cgroup
 *   only when asked (podman uses a private cgroupns on cgroup v2 only).
 */
import { InvalidArgumentError } from '../../engine/errors.js'
import { containerCapabilities } from './caps.js'
import { INIT_PATH_IN_CONTAINER, resolveCommand, resolveWorkdir } from './command.js'
import { containerEnv, type EnvPairs, type HostEnv } from './env.js'
import { DEFAULT_SHM_SIZE, defaultMounts, mergeMounts, privilegedDeviceMounts, rootfsPropagation, toOciMount, type MountRequest } from './mounts.js'
import { hasOwnNetns, type NetworkMode } from './network.js'
import { defaultSeccompProfile } from './seccomp.js'
import { resolveStopSignal } from './signal.js'
import type { IdRange, ImageConfig, OciLinux, OciNamespace, OciRlimit, OciSeccomp, OciSpec, ResolvedUser } from './types.js'

export const OCI_VERSION = '1.0.2-dev'

export const MASKED_PATHS: readonly string[] = [
  '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/fs/selinux',
  '/sys/dev/block',
]
export const READONLY_PATHS: readonly string[] = [
  '/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger',
]

/** podman caps the raised NOFILE/NPROC limits at this (define.RLimitDefaultValue). */
export const RLIMIT_DEFAULT_MAX = 1048576

export interface Limit {
  soft: number
  /** Infinity for "unlimited". */
  hard: number
}

/** What buildSpec needs to know about the machine; the caller gathers it. */
export interface HostFacts {
  /** The caller's environment, for `-e K`, proxies and --env-host. */
  env?: HostEnv
  /** Current limits of the process that will start runc (from /proc/self/limits). */
  rlimits: { nofile: Limit; nproc: Limit }
  /** The host's hostname: the container's when --network host. */
  hostname?: string
  /** Uids / gids of the user namespace runc runs in; default 0..65535 (container side). */
  uidRanges?: readonly IdRange[]
  gidRanges?: readonly IdRange[]
  /** Host device nodes (/dev/...) for --privileged. */
  devices?: readonly string[]
  /** Caps runc can grant; default all. */
  boundingSet?: readonly string[]
  /** Node-style arch for the seccomp profile; default this machine's. */
  arch?: string
}

export type SeccompSetting = 'default' | 'unconfined' | OciSeccomp

export interface RunOptions {
  /** Arguments after IMAGE. */
  command?: string[]
  /** Parsed --entrypoint (parseEntrypointFlag). */
  entrypoint?: string[]
  /** Parsed -e values (parseEnvArgs). */
  env?: EnvPairs
  /** Parsed --env-file contents (parseEnvFile), concatenated in flag order. */
  envFile?: EnvPairs
  envHost?: boolean
  /** Forward the host's proxy variables; default true as podman. */
  httpProxy?: boolean
  workdir?: string
  hostname?: string
  tty?: boolean
  readOnly?: boolean
  /** With --read-only, tmpfs on /run, /tmp, /var/tmp; default true as podman. */
  readOnlyTmpfs?: boolean
  capAdd?: string[]
  capDrop?: string[]
  privileged?: boolean
  noNewPrivileges?: boolean
  /** --security-opt seccomp=unconfined, or a loaded profile. Default 'default'. */
  seccomp?: SeccompSetting
  /** --annotation values. */
  annotations?: Record<string, string>
  /** --init: the init binary's host path; bind-mounted at /run/tspod-init. */
  initPath?: string
  network?: NetworkMode
  /** A private cgroup namespace (podman's default on cgroup v2 hosts). */
  cgroupns?: 'private' | 'host'
  mounts?: MountRequest[]
  /** --ulimit, already parsed: e.g. { type: 'RLIMIT_NOFILE', soft, hard }. */
  ulimits?: OciRlimit[]
  /** /dev/shm size in bytes; default 64 MiB. */
  shmSize?: number
  stopSignal?: string | number
  /** Process umask; default 0o022. */
  umask?: number
}

export interface BuildSpecInput {
  /** Container id: 64 hex digits. */
  id: string
  /** The image's `config` object. */
  image: ImageConfig
  /** Where tspod mounted the rootfs (overlay), host path. */
  rootfs: string
  /** From resolveUser(). */
  user: ResolvedUser
  options?: RunOptions
  host: HostFacts
}

const FULL_RANGE: readonly IdRange[] = [{ containerID: 0, size: 65536 }]

function mapped(id: number, ranges: readonly IdRange[]): boolean {
  return ranges.some(r => id >= r.containerID && id < r.containerID + r.size)
}

function raisedLimit(type: string, l: Limit): OciRlimit {
  // podman raises soft to hard (its own soft NOFILE already is), capped at 2^20.
  const v = Math.min(l.hard, RLIMIT_DEFAULT_MAX)
  return { type, hard: v, soft: v }
}

function rlimits(host: HostFacts, ulimits: readonly OciRlimit[]): OciRlimit[] {
  const out = ulimits.map(u => ({ ...u }))
  for (const u of out) {
    if (!Number.isSafeInteger(u.soft) || !Number.isSafeInteger(u.hard) || u.soft < 0 || u.soft > u.hard) {
      throw new InvalidArgumentError(`invalid ulimit ${u.type}: soft ${u.soft} must not exceed hard ${u.hard}`)
    }
  }
  if (!out.some(u => u.type === 'RLIMIT_NOFILE')) out.push(raisedLimit('RLIMIT_NOFILE', host.rlimits.nofile))
  if (!out.some(u => u.type === 'RLIMIT_NPROC')) out.push(raisedLimit('RLIMIT_NPROC', host.rlimits.nproc))
  return out
}

function namespaces(net: NetworkMode, cgroupns: 'private' | 'host'): OciNamespace[] {
  const ns: OciNamespace[] = [{ type: 'pid' }]
  if (net.mode === 'none') ns.push({ type: 'network' })
  else if (net.mode === 'ns') ns.push({ type: 'network', path: net.path })
  ns.push({ type: 'ipc' }, { type: 'uts' }, { type: 'mount' })
  if (cgroupns === 'private') ns.push({ type: 'cgroup' })
  return ns
}

function checkHostname(name: string): string {
  // sethostname(2) takes at most 64 bytes.
  if (name === '' || Buffer.byteLength(name) > 64 || /[\s\0]/.test(name)) {
    throw new InvalidArgumentError(`invalid hostname ${JSON.stringify(name)}`)
  }
  return name
}

export function buildSpec(input: BuildSpecInput): OciSpec {
  const o = input.options ?? {}
  const { host, user, image } = input
  if (!/^[0-9a-f]{64}$/.test(input.id)) throw new InvalidArgumentError(`invalid container id ${JSON.stringify(input.id)}`)
  if (!input.rootfs.startsWith('/')) throw new InvalidArgumentError(`rootfs path ${JSON.stringify(input.rootfs)} must be absolute`)

  const uidRanges = host.uidRanges ?? FULL_RANGE
  const gidRanges = host.gidRanges ?? FULL_RANGE
  if (!mapped(user.uid, uidRanges)) throw new InvalidArgumentError(`user ${user.uid} is not mapped in the rootless user namespace (see /etc/subuid)`)
  if (!mapped(user.gid, gidRanges)) throw new InvalidArgumentError(`group ${user.gid} is not mapped in the rootless user namespace (see /etc/subgid)`)

  const net = o.network ?? { mode: 'none' }
  const privileged = o.privileged ?? false
  const ownNetns = hasOwnNetns(net)
  const hostname = checkHostname(o.hostname || (net.mode === 'host' && host.hostname ? host.hostname : input.id.slice(0, 12)))
  const workdir = resolveWorkdir(o.workdir, image.WorkingDir)
  const args = resolveCommand({ image, entrypoint: o.entrypoint, command: o.command, init: o.initPath !== undefined })
  const stopSignal = resolveStopSignal(o.stopSignal, image.StopSignal)

  const capabilities = containerCapabilities({
    privileged,
    capAdd: o.capAdd,
    capDrop: o.capDrop,
    uid: user.uid,
    boundingSet: host.boundingSet,
  })

  const env = containerEnv({
    imageEnv: image.Env,
    envFile: o.envFile,
    env: o.env,
    hostEnv: host.env,
    envHost: o.envHost,
    httpProxy: o.httpProxy,
    home: user.home,
    hostname,
  })

  const extra = (o.mounts ?? []).map(toOciMount)
  if (o.initPath !== undefined) {
    if (!o.initPath.startsWith('/')) throw new InvalidArgumentError(`init path ${JSON.stringify(o.initPath)} must be absolute`)
    extra.push({ destination: INIT_PATH_IN_CONTAINER, type: 'bind', source: o.initPath, options: ['bind', 'ro', 'rprivate'] })
  }
  const defaults = defaultMounts({
    ownNetns,
    privileged,
    ttyGidMapped: mapped(5, gidRanges),
    shmSize: o.shmSize ?? DEFAULT_SHM_SIZE,
    readOnlyTmpfs: (o.readOnly ?? false) && (o.readOnlyTmpfs ?? true),
  })
  const devices = privileged ? privilegedDeviceMounts(host.devices ?? []) : []
  const mounts = mergeMounts(defaults, devices, extra)

  const linux: OciLinux = { namespaces: namespaces(net, o.cgroupns ?? 'host') }
  // podman's default_sysctls; a net.* sysctl needs a network namespace of our own.
  if (ownNetns) linux.sysctl = { 'net.ipv4.ping_group_range': '0 0' }
  const seccomp = o.seccomp ?? 'default'
  if (typeof seccomp === 'object') linux.seccomp = seccomp
  else if (seccomp === 'default' && !privileged) {
    linux.seccomp = defaultSeccompProfile({ capabilities: capabilities.bounding ?? [], arch: host.arch })
  }
  const propagation = rootfsPropagation(mounts)
  if (propagation) linux.rootfsPropagation = propagation
  if (!privileged) {
    linux.maskedPaths = [...MASKED_PATHS]
    // The host's /sys is visible with --network host: hide its kernel knobs.
    if (!ownNetns) linux.maskedPaths.push('/sys/kernel')
    linux.readonlyPaths = [...READONLY_PATHS]
  }

  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    process: {
      user: {
        uid: user.uid,
        gid: user.gid,
        umask: o.umask ?? 0o022,
        ...(user.additionalGids.length > 0 ? { additionalGids: [...user.additionalGids] } : {}),
      },
      args,
      env,
      cwd: workdir.cwd,
      capabilities,
      rlimits: rlimits(host, o.ulimits ?? []),
    },
    root: { path: input.rootfs, ...(o.readOnly ? { readonly: true } : {}) },
    hostname,
    mounts,
    annotations: {
      ...o.annotations,
      'io.container.manager': 'tspod',
      'org.opencontainers.image.stopSignal': String(stopSignal),
      'io.podman.annotations.init': o.initPath !== undefined ? 'TRUE' : 'FALSE',
      'io.podman.annotations.privileged': privileged ? 'TRUE' : 'FALSE',
    },
    linux,
  }
  if (o.tty) spec.process.terminal = true
  if (o.noNewPrivileges) spec.process.noNewPrivileges = true
  return spec
}
