/**
 * `info` in podman's shape. Field names are Go's (what templates use:
 * `{{.Store.GraphRoot}}`); `infoJson` renames them to podman's JSON tags.
 */
import { readFileSync } from 'node:fs'
import { arch, cpus, freemem, hostname, release, totalmem, uptime } from 'node:os'
import type { Engine } from '../engine.js'
import { findRuntime } from '../../runtime/driver/runtime.js'
import { lookPath } from '../../runtime/driver/runtime.js'
import { API_VERSION, BUILT, VERSION } from '../../version.js'
import { goArch } from './version.js'

function osRelease(): { distribution: string; version: string; codename: string } {
  try {
    const text = readFileSync('/etc/os-release', 'utf8')
    const get = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? ''
    return { distribution: get('ID'), version: get('VERSION_ID'), codename: get('VERSION_CODENAME') }
  } catch {
    return { distribution: 'unknown', version: '', codename: '' }
  }
}

function cgroupVersion(): string {
  try {
    readFileSync('/sys/fs/cgroup/cgroup.controllers')
    return 'v2'
  } catch {
    return 'v1'
  }
}

export async function systemInfo(engine: Engine) {
  const ns = await engine.userNamespace()
  const runtime = (() => {
    try {
      return findRuntime(undefined)
    } catch {
      return undefined
    }
  })()
  const containers = await engine.containers.list()
  const running = containers.filter(c => c.state.status === 'running').length
  const mapOut = (m: typeof ns.maps.uidMap) => m.map(r => ({ ContainerID: r.containerId, HostID: r.hostId, Size: r.size }))
  const slirp = lookPath('slirp4netns')
  return {
    Host: {
      Arch: goArch(arch()),
      BuildahVersion: '',
      CgroupManager: 'cgroupfs',
      CgroupVersion: cgroupVersion(),
      Conmon: { Package: 'tspod', Path: 'tspod-shim', Version: VERSION },
      CPUs: cpus().length,
      Distribution: { Distribution: osRelease().distribution, Version: osRelease().version, Codename: osRelease().codename },
      Hostname: hostname(),
      IDMappings: { GIDMap: mapOut(ns.maps.gidMap), UIDMap: mapOut(ns.maps.uidMap) },
      Kernel: release(),
      MemFree: freemem(),
      MemTotal: totalmem(),
      NetworkBackend: 'none',
      OCIRuntime: { Name: runtime?.name ?? '', Package: '', Path: runtime?.path ?? '', Version: '' },
      OS: 'linux',
      Security: { Rootless: process.getuid?.() !== 0, SECCOMPEnabled: true, SELinuxEnabled: false, AppArmorEnabled: false },
      Slirp4NetNS: { Executable: slirp ?? '', Package: '', Version: '' },
      Uptime: `${Math.floor(uptime() / 3600)}h ${Math.floor((uptime() % 3600) / 60)}m ${Math.floor(uptime() % 60)}s`,
    },
    Store: {
      ConfigFile: '',
      ContainerStore: { Number: containers.length, Paused: 0, Running: running, Stopped: containers.length - running },
      GraphDriverName: 'overlay',
      GraphOptions: {},
      GraphRoot: engine.paths.root,
      GraphStatus: { 'Native Overlay Diff': 'true', 'Supports d_type': 'true', 'Using metacopy': 'false' },
      ImageStore: { Number: engine.images.list().length },
      RunRoot: engine.paths.runRoot,
      VolumePath: `${engine.paths.root}/volumes`,
    },
    Version: {
      APIVersion: API_VERSION,
      Version: VERSION,
      GoVersion: process.version,
      GitCommit: '',
      BuiltTime: new Date(BUILT * 1000).toUTCString(),
      Built: BUILT,
      OsArch: `linux/${goArch(arch())}`,
      Os: 'linux',
    },
  }
}

/** podman's JSON tags: lower camel case, with its few irregular names. */
const JSON_NAMES: Record<string, string> = {
  CPUs: 'cpus',
  IDMappings: 'idMappings',
  OCIRuntime: 'ociRuntime',
  OS: 'os',
  Slirp4NetNS: 'slirp4netns',
  SECCOMPEnabled: 'seccompEnabled',
  SELinuxEnabled: 'selinuxEnabled',
  ContainerID: 'container_id',
  HostID: 'host_id',
  Size: 'size',
  GIDMap: 'gidmap',
  UIDMap: 'uidmap',
  APIVersion: 'APIVersion',
  Version: 'Version',
  GoVersion: 'GoVersion',
  GitCommit: 'GitCommit',
  BuiltTime: 'BuiltTime',
  Built: 'Built',
  OsArch: 'OsArch',
  Os: 'Os',
}

export function infoJson(value: unknown, inVersion = false): unknown {
  if (Array.isArray(value)) return value.map(v => infoJson(v, inVersion))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const keepGoName = inVersion || k.includes(' ')
    const name = keepGoName ? k : (JSON_NAMES[k] ?? k.charAt(0).toLowerCase() + k.slice(1))
    out[name === 'Version' && !inVersion ? 'version' : name] = infoJson(v, inVersion || k === 'Version')
  }
  return out
}
