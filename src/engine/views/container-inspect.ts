/**
 * `container inspect` in podman 4.3's shape (libpod/define
 * InspectContainerData): Go field names for templates (`{{.ID}}`,
 * `{{.State.ExitCode}}`, `{{.Config.DomainName}}`), podman's JSON names and
 * omitempty rules for `--format json`, values from the record, the state and
 * (once the container has started) the OCI spec in its bundle.
 */
import { readFileSync } from 'node:fs'
import type { Engine } from '../engine.js'
import type { ContainerRecord, ContainerState } from '../containers/record.js'
import { GoTime, goMap } from '../../format/template/index.js'
import { containerPaths } from '../containers/paths.js'
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES, mergeCapabilities } from '../../runtime/spec/caps.js'
import { DEFAULT_SHM_SIZE } from '../../runtime/spec/mounts.js'
import type { OciSpec } from '../../runtime/spec/types.js'
import { embed, nilMap, nilSlice, stringMap, tagged } from './go-values.js'
import { statusWord } from './status.js'

export { statusWord }

function goTime(iso: string | undefined): GoTime {
  return iso ? GoTime.parse(iso) : GoTime.zero()
}

/** runtime-tools' default bounding set: podman reports CapAdd/CapDrop relative to it. */
const OCI_DEFAULT_BOUNDING = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
]

/** The spec the last start wrote, if the run root still has it. */
function readSpec(path: string): OciSpec | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as OciSpec
  } catch {
    return undefined
  }
}

/** libpod's cGroupPath: the longest unnamed cgroup path of the container's init, while it runs. */
function cgroupPath(pid: number): string {
  if (pid <= 0) return ''
  let text = ''
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
  } catch {
    return ''
  }
  let longest = ''
  for (const line of text.split('\n')) {
    const fields = line.split(':')
    if (fields.length !== 3 || fields[1]!.includes('=')) continue
    if (fields[2]!.length > longest.length) longest = fields[2]!
  }
  return longest
}

const isRootUser = (user: string) => user === '' || /^(0|root)(:|$)/.test(user)

function capabilities(record: ContainerRecord, spec: OciSpec | undefined): { effective: string[]; bounding: string[] } {
  const caps = spec?.process.capabilities
  if (caps) return { effective: caps.effective ?? [], bounding: caps.bounding ?? [] }
  const o = record.runOptions
  const bounding = o.privileged ? [...ALL_CAPABILITIES] : mergeCapabilities(DEFAULT_CAPABILITIES, o.capAdd ?? [], o.capDrop ?? [])
  const effective = isRootUser(record.user) ? bounding : mergeCapabilities([], o.capAdd ?? [], [])
  return { effective, bounding }
}

/** InspectNetworkSettings embeds InspectBasicNetworkConfig: its fields are promoted. */
const BASIC_NETWORK_FIELDS = ['EndpointID', 'Gateway', 'IPAddress', 'IPPrefixLen', 'SecondaryIPAddresses', 'IPv6Gateway', 'GlobalIPv6Address', 'GlobalIPv6PrefixLen', 'SecondaryIPv6Addresses', 'MacAddress', 'AdditionalMacAddresses'] as const

class InspectNetworkSettings {
  readonly InspectBasicNetworkConfig = tagged(
    'define.InspectBasicNetworkConfig',
    {
      EndpointID: '',
      Gateway: '',
      IPAddress: '',
      IPPrefixLen: 0,
      SecondaryIPAddresses: nilSlice(),
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      SecondaryIPv6Addresses: nilSlice(),
      MacAddress: '',
      AdditionalMacAddresses: nilSlice(),
    },
    { SecondaryIPAddresses: ',omitempty', SecondaryIPv6Addresses: ',omitempty', AdditionalMacAddresses: 'AdditionalMACAddresses,omitempty' },
  )
  readonly Bridge = ''
  readonly SandboxID = ''
  readonly HairpinMode = false
  readonly LinkLocalIPv6Address = ''
  readonly LinkLocalIPv6PrefixLen = 0
  readonly Ports = goMap({}, nilSlice(), 'map[string][]define.InspectHostPort')
  readonly SandboxKey = ''
  readonly Networks = nilMap()

  toJSON(): unknown {
    const basic = (this.InspectBasicNetworkConfig as unknown as { toJSON(): object }).toJSON()
    const { InspectBasicNetworkConfig: _embedded, Networks: _omitted, ...rest } = this
    return { ...basic, ...rest }
  }
}
embed(InspectNetworkSettings, 'InspectBasicNetworkConfig', BASIC_NETWORK_FIELDS, '*define.InspectNetworkSettings')

function networkMode(record: ContainerRecord): string {
  const n = record.runOptions.network ?? { mode: 'none' }
  return n.mode === 'ns' ? `ns:${n.path}` : n.mode
}

function inspectMounts(record: ContainerRecord) {
  return (record.runOptions.mounts ?? [])
    .filter(m => m.type === 'bind')
    .map(m =>
      tagged(
        'define.InspectMount',
        {
          Type: 'bind',
          Name: '',
          Source: m.type === 'bind' ? m.source : '',
          Destination: m.destination,
          Driver: '',
          Mode: '',
          Options: ['rbind'],
          RW: !m.readonly && !(m.options ?? []).includes('ro'),
          Propagation: (m.options ?? []).find(o => /^r?(private|shared|slave|unbindable)$/.test(o)) ?? 'rprivate',
        },
        { Name: ',omitempty' },
      ),
    )
}

export function inspectContainer(engine: Engine, record: ContainerRecord, state: ContainerState, image?: { manifestDigest: string }) {
  const cp = containerPaths(engine.paths, record.id)
  const spec = readSpec(`${cp.bundleDir}/config.json`)
  const word = statusWord(state)
  const running = word === 'running'
  const lower = [...record.layers].reverse().map(c => engine.layers.diffDir(c as `sha256:${string}`))
  const caps = capabilities(record, spec)
  const o = record.runOptions
  const defaultBounding = new Set(o.privileged ? ALL_CAPABILITIES : OCI_DEFAULT_BOUNDING)
  const capAdd = caps.bounding.filter(c => !defaultBounding.has(c))
  const capDrop = [...defaultBounding].filter(c => !caps.bounding.includes(c)).sort()
  const rlimits = spec?.process.rlimits ?? o.ulimits ?? []
  const mounts = inspectMounts(record)

  const stateData = tagged(
    '*define.InspectContainerState',
    {
      OciVersion: spec?.ociVersion ?? '1.0.2-dev',
      Status: word,
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: running ? (state.pid ?? 0) : 0,
      ConmonPid: running ? (state.shimPid ?? 0) : 0,
      ExitCode: state.exitCode ?? 0,
      Error: state.error ?? '',
      StartedAt: goTime(state.startedAt),
      FinishedAt: goTime(state.finishedAt),
      Health: tagged('define.HealthCheckResults', { Status: '', FailingStreak: 0, Log: nilSlice() }),
      Checkpointed: false,
      CgroupPath: running ? cgroupPath(state.pid ?? 0) : '',
      CheckpointedAt: GoTime.zero(),
      RestoredAt: GoTime.zero(),
      CheckpointLog: '',
      CheckpointPath: '',
      RestoreLog: '',
      Restored: false,
    },
    {
      ConmonPid: ',omitempty', Checkpointed: ',omitempty', CgroupPath: ',omitempty', CheckpointLog: ',omitempty',
      CheckpointPath: ',omitempty', RestoreLog: ',omitempty', Restored: ',omitempty',
    },
  )

  const config = tagged(
    '*define.InspectContainerConfig',
    {
      Hostname: o.hostname || record.id.slice(0, 12),
      DomainName: '',
      User: record.user,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: record.tty,
      OpenStdin: record.interactive,
      StdinOnce: false,
      Env: record.env,
      Cmd: o.command ?? record.imageConfig.Cmd ?? nilSlice<string>(),
      Image: record.imageName,
      Volumes: nilMap(),
      WorkingDir: o.workdir || record.imageConfig.WorkingDir || '/',
      Entrypoint: (o.entrypoint ?? record.imageConfig.Entrypoint ?? []).join(' '),
      OnBuild: null,
      Labels: stringMap(record.labels),
      Annotations: stringMap(o.annotations),
      StopSignal: record.stopSignal,
      HealthcheckOnFailureAction: 'none',
      CreateCommand: record.createCommand,
      Timezone: '',
      SystemdMode: false,
      Umask: (o.umask ?? 0o022).toString(8).padStart(4, '0'),
      Timeout: 0,
      StopTimeout: record.stopTimeout,
      Passwd: true,
      ChrootDirs: nilSlice<string>(),
      SdNotifyMode: 'container',
      SdNotifySocket: '',
    },
    {
      DomainName: 'Domainname', HealthcheckOnFailureAction: ',omitempty', CreateCommand: ',omitempty', Timezone: ',omitempty',
      SystemdMode: ',omitempty', Umask: ',omitempty', ChrootDirs: ',omitempty', SdNotifyMode: 'sdNotifyMode,omitempty',
      SdNotifySocket: 'sdNotifySocket,omitempty',
    },
  )

  const hostConfig = tagged(
    '*define.InspectContainerHostConfig',
    {
      Binds: mounts.map(m => `${m.Source}:${m.Destination}:${m.RW ? 'rw' : 'ro'},${m.Propagation},rbind`),
      CgroupManager: 'cgroupfs',
      CgroupMode: o.cgroupns === 'private' ? 'private' : 'host',
      ContainerIDFile: '',
      LogConfig: tagged('*define.InspectLogConfig', { Type: 'k8s-file', Config: nilMap(), Path: cp.logPath, Tag: '', Size: '0B' }),
      NetworkMode: networkMode(record),
      PortBindings: goMap({}, nilSlice(), 'map[string][]define.InspectHostPort'),
      RestartPolicy: tagged('*define.InspectRestartPolicy', {
        Name: record.restartPolicy.name === 'no' ? '' : record.restartPolicy.name,
        MaximumRetryCount: record.restartPolicy.maximumRetryCount,
      }),
      AutoRemove: record.autoRemove,
      VolumeDriver: '',
      VolumesFrom: nilSlice<string>(),
      CapAdd: capAdd,
      CapDrop: capDrop,
      Dns: [] as string[],
      DnsOptions: [] as string[],
      DnsSearch: [] as string[],
      ExtraHosts: [] as string[],
      GroupAdd: [] as string[],
      IpcMode: 'shareable',
      Cgroup: '',
      Cgroups: 'default',
      Links: nilSlice<string>(),
      OomScoreAdj: 0,
      PidMode: 'private',
      Privileged: o.privileged ?? false,
      PublishAllPorts: false,
      ReadonlyRootfs: o.readOnly ?? false,
      SecurityOpt: [...(o.noNewPrivileges ? ['no-new-privileges'] : []), ...(o.seccomp === 'unconfined' ? ['seccomp=unconfined'] : [])],
      Tmpfs: goMap(
        Object.fromEntries((o.mounts ?? []).filter(m => m.type === 'tmpfs').map(m => [m.destination, ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup', ...(m.options ?? [])].join(',')])),
        '',
        'map[string]string',
      ),
      UTSMode: 'private',
      UsernsMode: '',
      IDMappings: null,
      ShmSize: o.shmSize ?? DEFAULT_SHM_SIZE,
      Runtime: 'oci',
      ConsoleSize: [0, 0],
      Isolation: '',
      CpuShares: 0,
      Memory: 0,
      NanoCpus: 0,
      CgroupParent: '',
      BlkioWeight: 0,
      BlkioWeightDevice: null,
      BlkioDeviceReadBps: null,
      BlkioDeviceWriteBps: null,
      BlkioDeviceReadIOps: null,
      BlkioDeviceWriteIOps: null,
      CpuPeriod: 0,
      CpuQuota: 0,
      CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0,
      CpusetCpus: '',
      CpusetMems: '',
      Devices: [] as unknown[],
      DiskQuota: 0,
      KernelMemory: 0,
      MemoryReservation: 0,
      MemorySwap: 0,
      MemorySwappiness: 0,
      OomKillDisable: false,
      Init: record.init,
      PidsLimit: 0,
      Ulimits: rlimits.map(r => ({ Name: r.type, Soft: r.soft, Hard: r.hard })),
      CpuCount: 0,
      CpuPercent: 0,
      IOMaximumIOps: 0,
      IOMaximumBandwidth: 0,
      CgroupConf: nilMap(),
    },
    { CgroupManager: ',omitempty', IDMappings: ',omitempty', Init: ',omitempty' },
  )

  return tagged(
    '*define.InspectContainerData',
    {
      ID: record.id,
      Created: goTime(record.created),
      Path: record.command[0] ?? '',
      Args: record.command.slice(1),
      State: stateData,
      Image: record.imageId,
      ImageDigest: image?.manifestDigest ?? '',
      ImageName: record.imageName,
      Rootfs: '',
      Pod: '',
      ResolvConfPath: '',
      HostnamePath: '',
      HostsPath: '',
      StaticDir: cp.dir,
      OCIConfigPath: `${cp.bundleDir}/config.json`,
      OCIRuntime: record.runtime || 'runc',
      ConmonPidFile: cp.shimPidFile,
      PidFile: `${cp.bundleDir}/container.pid`,
      Name: record.name,
      RestartCount: state.restartCount,
      Driver: record.storageDriver ?? 'overlay',
      MountLabel: '',
      ProcessLabel: '',
      AppArmorProfile: '',
      EffectiveCaps: caps.effective,
      BoundingCaps: caps.bounding,
      ExecIDs: [] as string[],
      GraphDriver: tagged('*define.DriverData', {
        Name: record.storageDriver ?? 'overlay',
        Data: goMap({ LowerDir: lower.join(':'), MergedDir: cp.rootfs, UpperDir: cp.upperDir, WorkDir: cp.workDir }, '', 'map[string]string'),
      }),
      SizeRw: null as number | null,
      SizeRootFs: 0,
      Mounts: mounts,
      Dependencies: [] as string[],
      NetworkSettings: new InspectNetworkSettings(),
      Namespace: '',
      IsInfra: false,
      IsService: false,
      Config: config,
      HostConfig: hostConfig,
    },
    { ID: 'Id', OCIConfigPath: ',omitempty', OCIRuntime: ',omitempty', SizeRw: ',omitempty', SizeRootFs: ',omitempty' },
  )
}
