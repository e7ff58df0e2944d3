/** `container inspect` in podman's shape (libpod's InspectContainerData), from the record and state. */
import type { Engine } from '../engine.js'
import type { ContainerRecord, ContainerState } from '../containers/record.js'
import { GoTime, goMap } from '../../format/template/index.js'
import { containerPaths } from '../containers/paths.js'
import { UNKNOWN_EXIT_CODE } from '../containers/reconcile.js'

const ZERO_TIME = '0001-01-01T00:00:00Z'

function goTime(iso: string | undefined): GoTime {
  return iso ? GoTime.parse(iso) : GoTime.zero()
}

/** podman's State.Status words. */
export function statusWord(state: ContainerState): string {
  switch (state.status) {
    case 'running':
    case 'stopping':
      return 'running'
    case 'exited':
      return 'exited'
    case 'removing':
      return 'removing'
    default:
      return 'created'
  }
}

export function inspectContainer(engine: Engine, record: ContainerRecord, state: ContainerState) {
  const cp = containerPaths(engine.paths, record.id)
  const running = statusWord(state) === 'running'
  const lower = [...record.layers].reverse().map(c => engine.layers.diffDir(c as `sha256:${string}`))
  const network = record.runOptions.network ?? { mode: 'none' }
  return {
    Id: record.id,
    Created: goTime(record.created),
    Path: record.command[0] ?? '',
    Args: record.command.slice(1),
    State: {
      OciVersion: '1.0.2-dev',
      Status: statusWord(state),
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
      Health: { Status: '', FailingStreak: 0, Log: null },
      CheckpointedAt: goTime(undefined),
      RestoredAt: goTime(undefined),
    },
    Image: record.imageId,
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
    Driver: 'overlay',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    EffectiveCaps: null,
    BoundingCaps: null,
    ExecIDs: [],
    GraphDriver: {
      Name: 'overlay',
      Data: goMap({
        LowerDir: lower.join(':'),
        MergedDir: cp.rootfs,
        UpperDir: cp.upperDir,
        WorkDir: cp.workDir,
      }),
    },
    Mounts: [],
    Dependencies: [],
    NetworkSettings: {
      EndpointID: '',
      Gateway: '',
      IPAddress: '',
      IPPrefixLen: 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      MacAddress: '',
      Bridge: '',
      SandboxID: '',
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: goMap({}),
      SandboxKey: '',
    },
    Namespace: '',
    IsInfra: false,
    Config: {
      Hostname: record.runOptions.hostname || record.id.slice(0, 12),
      Domainname: '',
      User: record.user,
      AttachStdin: record.interactive,
      AttachStdout: false,
      AttachStderr: false,
      Tty: record.tty,
      OpenStdin: record.interactive,
      StdinOnce: false,
      Env: record.env,
      Cmd: record.runOptions.command ?? record.imageConfig.Cmd ?? [],
      Image: record.imageName,
      Volumes: null,
      WorkingDir: record.runOptions.workdir || record.imageConfig.WorkingDir || '/',
      Entrypoint: (record.runOptions.entrypoint ?? record.imageConfig.Entrypoint ?? []).join(' '),
      OnBuild: null,
      Labels: goMap({ ...record.labels }),
      Annotations: goMap({ ...(record.runOptions.annotations ?? {}) }),
      StopSignal: record.stopSignal,
      StopTimeout: record.stopTimeout,
      CreateCommand: record.createCommand,
      Umask: '0022',
      Timeout: 0,
      Passwd: true,
    },
    HostConfig: {
      Binds: [],
      CgroupManager: 'cgroupfs',
      CgroupMode: 'host',
      ContainerIDFile: '',
      LogConfig: { Type: 'k8s-file', Config: null, Path: cp.logPath, Tag: '', Size: '0B' },
      NetworkMode: network.mode === 'ns' ? `ns:${network.path}` : network.mode,
      PortBindings: goMap({}),
      RestartPolicy: { Name: record.restartPolicy.name === 'no' ? '' : record.restartPolicy.name, MaximumRetryCount: record.restartPolicy.maximumRetryCount },
      AutoRemove: record.autoRemove,
      CapAdd: record.runOptions.capAdd ?? [],
      CapDrop: record.runOptions.capDrop ?? [],
      Privileged: record.runOptions.privileged ?? false,
      ReadonlyRootfs: record.runOptions.readOnly ?? false,
      SecurityOpt: [
        ...(record.runOptions.noNewPrivileges ? ['no-new-privileges'] : []),
        ...(record.runOptions.seccomp === 'unconfined' ? ['seccomp=unconfined'] : []),
      ],
      Init: record.init,
      Runtime: 'oci',
    },
  }
}

export { ZERO_TIME, UNKNOWN_EXIT_CODE }
