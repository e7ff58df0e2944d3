/**
 * `info` in podman 4.3's shape (libpod/define Info): Go field names for
 * templates (`{{.Store.GraphRoot}}`, `{{.Host.CgroupsVersion}}`), podman's
 * JSON tags (`store.graphRoot`, `host.cgroupVersion`) for `--format json`
 * and the default YAML.
 */
import { readFileSync, statfsSync } from 'node:fs'
import { arch, cpus, hostname, release, userInfo } from 'node:os'
import type { Engine } from '../engine.js'
import { findRuntime, lookPath, programVersion } from '../../runtime/driver/runtime.js'
import { DEFAULT_CAPABILITIES } from '../../runtime/spec/caps.js'
import { distPath } from '../../util/dist.js'
import { goMap } from '../../format/template/index.js'
import { VERSION } from '../../version.js'
import { goArch, versionData } from './version.js'
import { nilSlice, tagged } from './go-values.js'
import { graphDetails } from '../../storage/status.js'

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function osRelease(): { Distribution: string; Version: string; Codename: string } {
  const text = readText('/etc/os-release')
  const get = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? ''
  return { Distribution: get('ID') || 'unknown', Version: get('VERSION_ID') || 'unknown', Codename: get('VERSION_CODENAME') }
}

function cgroupVersion(): string {
  return readText('/sys/fs/cgroup/cgroup.controllers') !== '' || readText('/proc/self/cgroup').trim() === '0::/' ? 'v2' : 'v1'
}

/** /proc/meminfo in bytes. */
function memInfo(): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of readText('/proc/meminfo').matchAll(/^(\w+):\s+(\d+)(?: kB)?$/gm)) out[m[1]!] = Number(m[2]) * 1024
  return out
}

/** podman's statToPercent: the "cpu" line of /proc/stat, since boot. */
function cpuUtilization() {
  const f = readText('/proc/stat').split('\n')[0]!.trim().split(/\s+/)
  const [user, system, idle] = [Number(f[1]), Number(f[3]), Number(f[4])]
  const total = user + system + idle || 1
  const pct = (n: number) => Math.round((n / total) * 100 * 100) / 100
  return tagged('*define.CPUUsage', { UserPercent: pct(user), SystemPercent: pct(system), IdlePercent: pct(idle) }, {
    UserPercent: 'userPercent', SystemPercent: 'systemPercent', IdlePercent: 'idlePercent',
  })
}

/** "1h 21m 9.00s (Approximately 0.04 days)" as podman formats /proc/uptime. */
export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds)
  const hours = Math.floor(s / 3600)
  const text = `${hours}h ${Math.round((s % 3600) / 60)}m ${(s % 60).toFixed(2)}s`
  return hours > 0 ? `${text} (Approximately ${(hours / 24).toFixed(2)} days)` : text
}

/** Size and use of the file system holding the graph root (podman's GraphRootAllocated/Used). */
function fsUsage(path: string): { allocated: number; used: number } {
  try {
    const st = statfsSync(path)
    return { allocated: st.bsize * st.blocks, used: st.bsize * (st.blocks - st.bfree) }
  } catch {
    return { allocated: 0, used: 0 }
  }
}

const idMap = (m: { containerId: number; hostId: number; size: number }) =>
  tagged('idtools.IDMap', { ContainerID: m.containerId, HostID: m.hostId, Size: m.size }, { ContainerID: 'container_id', HostID: 'host_id', Size: 'size' })

export async function systemInfo(engine: Engine) {
  const ns = await engine.userNamespace()
  let runtime: { name: string; path: string } | undefined
  try {
    runtime = findRuntime(undefined)
  } catch {
    runtime = undefined
  }
  const containers = await engine.containers.list()
  const running = containers.filter(c => c.state.status === 'running' || c.state.status === 'stopping').length
  const mem = memInfo()
  const slirp = lookPath('slirp4netns')
  const [runtimeVersion, slirpVersion] = await Promise.all([runtime ? programVersion(runtime.path) : '', slirp ? programVersion(slirp) : ''])
  const storage = await engine.storageSelection()
  const graph = await graphDetails(storage, engine.paths.root)
  const distro = osRelease()
  const uptime = Number(readText('/proc/uptime').split(' ')[0]) || 0
  const usage = fsUsage(engine.paths.root)

  const host = tagged(
    '*define.HostInfo',
    {
      Arch: goArch(arch()),
      BuildahVersion: '',
      CgroupManager: 'cgroupfs',
      CgroupsVersion: cgroupVersion(),
      CgroupControllers: [] as string[],
      Conmon: tagged('*define.ConmonInfo', { Package: 'tspod', Path: distPath('shim.cjs'), Version: `tspod-shim version ${VERSION}` }, { Package: 'package', Path: 'path', Version: 'version' }),
      CPUs: cpus().length,
      CPUUtilization: cpuUtilization(),
      Distribution: tagged('define.DistributionInfo', { Distribution: distro.Distribution, Variant: '', Version: distro.Version, Codename: distro.Codename }, {
        Distribution: 'distribution', Variant: 'variant,omitempty', Version: 'version', Codename: 'codename,omitempty',
      }),
      EventLogger: 'none',
      Hostname: hostname(),
      IDMappings: tagged('define.IDMappings', { GIDMap: ns.maps.gidMap.map(idMap), UIDMap: ns.maps.uidMap.map(idMap) }, { GIDMap: 'gidmap', UIDMap: 'uidmap' }),
      Kernel: release(),
      LogDriver: 'k8s-file',
      MemFree: mem.MemFree ?? 0,
      MemTotal: mem.MemTotal ?? 0,
      NetworkBackend: 'none',
      OCIRuntime: tagged('*define.OCIRuntimeInfo', { Name: runtime?.name ?? '', Package: '', Path: runtime?.path ?? '', Version: runtimeVersion }, {
        Name: 'name', Package: 'package', Path: 'path', Version: 'version',
      }),
      OS: 'linux',
      RemoteSocket: null,
      RuntimeInfo: null,
      ServiceIsRemote: false,
      Security: tagged(
        'define.SecurityInfo',
        {
          AppArmorEnabled: false,
          DefaultCapabilities: DEFAULT_CAPABILITIES.join(','),
          Rootless: userInfo().uid !== 0,
          SECCOMPEnabled: true,
          SECCOMPProfilePath: '',
          SELinuxEnabled: false,
        },
        {
          AppArmorEnabled: 'apparmorEnabled', DefaultCapabilities: 'capabilities', Rootless: 'rootless', SECCOMPEnabled: 'seccompEnabled',
          SECCOMPProfilePath: 'seccompProfilePath', SELinuxEnabled: 'selinuxEnabled',
        },
      ),
      Slirp4NetNS: tagged('define.SlirpInfo', { Executable: slirp ?? '', Package: '', Version: slirpVersion }, { Executable: 'executable', Package: 'package', Version: 'version' }),
      SwapFree: mem.SwapFree ?? 0,
      SwapTotal: mem.SwapTotal ?? 0,
      Uptime: formatUptime(uptime),
      Linkmode: 'dynamic',
    },
    {
      Arch: 'arch', BuildahVersion: 'buildahVersion', CgroupManager: 'cgroupManager', CgroupsVersion: 'cgroupVersion',
      CgroupControllers: 'cgroupControllers', Conmon: 'conmon', CPUs: 'cpus', CPUUtilization: 'cpuUtilization',
      Distribution: 'distribution', EventLogger: 'eventLogger', Hostname: 'hostname', IDMappings: 'idMappings,omitempty',
      Kernel: 'kernel', LogDriver: 'logDriver', MemFree: 'memFree', MemTotal: 'memTotal', NetworkBackend: 'networkBackend',
      OCIRuntime: 'ociRuntime', OS: 'os', RemoteSocket: 'remoteSocket,omitempty', RuntimeInfo: 'runtimeInfo,omitempty',
      ServiceIsRemote: 'serviceIsRemote', Security: 'security', Slirp4NetNS: 'slirp4netns,omitempty', SwapFree: 'swapFree',
      SwapTotal: 'swapTotal', Uptime: 'uptime', Linkmode: 'linkmode',
    },
  )

  const store = tagged(
    '*define.StoreInfo',
    {
      ConfigFile: '',
      ContainerStore: tagged('define.ContainerStore', { Number: containers.length, Paused: 0, Running: running, Stopped: containers.length - running }, {
        Number: 'number', Paused: 'paused', Running: 'running', Stopped: 'stopped',
      }),
      GraphDriverName: storage.driver,
      GraphOptions: goMap(graph.GraphOptions),
      GraphRoot: engine.paths.root,
      GraphRootAllocated: usage.allocated,
      GraphRootUsed: usage.used,
      GraphStatus: goMap(graph.GraphStatus, '', 'map[string]string'),
      ImageCopyTmpDir: process.env.TMPDIR || '/var/tmp',
      ImageStore: tagged('define.ImageStore', { Number: engine.images.list().length }, { Number: 'number' }),
      RunRoot: engine.paths.runRoot,
      VolumePath: `${engine.paths.root}/volumes`,
    },
    {
      ConfigFile: 'configFile', ContainerStore: 'containerStore', GraphDriverName: 'graphDriverName', GraphOptions: 'graphOptions',
      GraphRoot: 'graphRoot', GraphRootAllocated: 'graphRootAllocated', GraphRootUsed: 'graphRootUsed', GraphStatus: 'graphStatus',
      ImageCopyTmpDir: 'imageCopyTmpDir', ImageStore: 'imageStore', RunRoot: 'runRoot', VolumePath: 'volumePath',
    },
  )

  return tagged(
    '*define.Info',
    {
      Host: host,
      Store: store,
      Registries: goMap({}),
      Plugins: tagged('define.Plugins', { Volume: [] as string[], Network: [] as string[], Log: ['k8s-file'], Authorization: nilSlice<string>() }, {
        Volume: 'volume', Network: 'network', Log: 'log', Authorization: 'authorization',
      }),
      Version: versionData('define.Version'),
    },
    { Host: 'host', Store: 'store', Registries: 'registries', Plugins: 'plugins', Version: 'version' },
  )
}
