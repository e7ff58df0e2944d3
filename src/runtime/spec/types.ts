/**
 * The parts of the OCI runtime spec (config.json, runtime-spec 1.0.2) and of
 * the OCI image config that tspod reads or writes. Field names are the JSON
 * names; optional fields are left out of the JSON when unset, as runc and
 * podman do.
 */

// ---- runtime spec -------------------------------------------------------

export interface OciSpec {
  ociVersion: string
  process: OciProcess
  root: OciRoot
  hostname?: string
  mounts: OciMount[]
  annotations?: Record<string, string>
  linux: OciLinux
}

export interface OciProcess {
  terminal?: boolean
  user: OciUser
  args: string[]
  env: string[]
  cwd: string
  capabilities?: OciCapabilities
  rlimits?: OciRlimit[]
  noNewPrivileges?: boolean
  oomScoreAdj?: number
}

export interface OciUser {
  uid: number
  gid: number
  umask?: number
  additionalGids?: number[]
}

/** Capability names with the CAP_ prefix, e.g. "CAP_CHOWN". */
export interface OciCapabilities {
  bounding?: string[]
  effective?: string[]
  inheritable?: string[]
  permitted?: string[]
  ambient?: string[]
}

export interface OciRlimit {
  /** e.g. "RLIMIT_NOFILE" */
  type: string
  hard: number
  soft: number
}

export interface OciRoot {
  path: string
  readonly?: boolean
}

export interface OciMount {
  destination: string
  type?: string
  source?: string
  options?: string[]
}

export type NamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup'

export interface OciNamespace {
  type: NamespaceType
  /** Join this namespace instead of creating one. */
  path?: string
}

export interface OciIdMapping {
  containerID: number
  hostID: number
  size: number
}

export interface OciDevice {
  type: 'c' | 'b' | 'u' | 'p'
  path: string
  major?: number
  minor?: number
  fileMode?: number
  uid?: number
  gid?: number
}

export interface OciLinux {
  uidMappings?: OciIdMapping[]
  gidMappings?: OciIdMapping[]
  sysctl?: Record<string, string>
  /** Absent: no limits requested (rootless runc then creates no cgroup it cannot). */
  resources?: Record<string, unknown>
  /** Absent on purpose for rootless cgroupfs: runc then ignores cgroup permission errors. */
  cgroupsPath?: string
  namespaces: OciNamespace[]
  devices?: OciDevice[]
  seccomp?: OciSeccomp
  rootfsPropagation?: string
  maskedPaths?: string[]
  readonlyPaths?: string[]
}

export type SeccompAction =
  | 'SCMP_ACT_KILL'
  | 'SCMP_ACT_KILL_PROCESS'
  | 'SCMP_ACT_KILL_THREAD'
  | 'SCMP_ACT_TRAP'
  | 'SCMP_ACT_ERRNO'
  | 'SCMP_ACT_TRACE'
  | 'SCMP_ACT_ALLOW'
  | 'SCMP_ACT_LOG'

export type SeccompOperator =
  | 'SCMP_CMP_NE'
  | 'SCMP_CMP_LT'
  | 'SCMP_CMP_LE'
  | 'SCMP_CMP_EQ'
  | 'SCMP_CMP_GE'
  | 'SCMP_CMP_GT'
  | 'SCMP_CMP_MASKED_EQ'

export interface OciSeccompArg {
  index: number
  value: number
  valueTwo?: number
  op: SeccompOperator
}

export interface OciSyscallRule {
  names: string[]
  action: SeccompAction
  errnoRet?: number
  args?: OciSeccompArg[]
}

export interface OciSeccomp {
  defaultAction: SeccompAction
  defaultErrnoRet?: number
  architectures?: string[]
  flags?: string[]
  syscalls?: OciSyscallRule[]
}

// ---- image config -------------------------------------------------------

/**
 * The `config` object of an OCI image configuration (image-spec
 * config.md); Docker's schema2 uses the same capitalised names.
 * Every field may be missing.
 */
export interface ImageConfig {
  User?: string
  ExposedPorts?: Record<string, Record<string, never>>
  Env?: string[]
  Entrypoint?: string[] | null
  Cmd?: string[] | null
  Volumes?: Record<string, Record<string, never>>
  WorkingDir?: string
  Labels?: Record<string, string>
  StopSignal?: string
}

/** Same type, the name other modules use. */
export type OciImageConfig = ImageConfig

// ---- inputs shared by the helpers ---------------------------------------

/** A range of ids, container side: ids containerID..containerID+size-1 exist. */
export interface IdRange {
  containerID: number
  size: number
}

/** The user a container process runs as, after lookup in the image. */
export interface ResolvedUser {
  uid: number
  gid: number
  /** Supplementary groups, as podman computes them (may include gid). */
  additionalGids: number[]
  /** Home directory from the image's /etc/passwd, when the user has an entry. */
  home?: string
}
