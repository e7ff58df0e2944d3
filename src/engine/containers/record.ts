/**
 * What a container is, on disk. `container.json` holds what was decided at
 * create time and never changes afterwards; `state.json` holds what changes
 * while it lives (written by the CLI and by the shim, always under the
 * container's lock, always replaced atomically).
 */
import type { OciImageConfig } from '../../runtime/spec/types.js'
import type { RunOptions } from '../../runtime/spec/build.js'
import type { StorageDriverName } from '../../storage/driver.js'

export type ContainerStatus = 'created' | 'running' | 'stopping' | 'exited' | 'removing'

export type RestartPolicyName = 'no' | 'on-failure' | 'always' | 'unless-stopped'

export interface RestartPolicy {
  name: RestartPolicyName
  /** For on-failure: how many restarts at most (0 = unlimited). */
  maximumRetryCount: number
}

export interface ContainerRecord {
  id: string
  name: string
  /** RFC 3339 with nanoseconds. */
  created: string
  imageId: string
  /** The image name as resolved when the container was created. */
  imageName: string
  /** Chain IDs of the image's layers, bottom first (the overlay lower stack). */
  layers: string[]
  /** How its root is made, for good (absent in records from before drivers: overlay). */
  storageDriver?: StorageDriverName
  /** The image config the container was made from. */
  imageConfig: OciImageConfig
  /** The run flags, parsed; the OCI spec is built from them at every start. */
  runOptions: RunOptions
  /** `-u` as given, or the image's USER; resolved against the image at start. */
  user: string
  /** `--init`: run tspod's init as PID 1. */
  init: boolean
  /** `-i`: keep stdin open (the shim holds a pipe to it). */
  interactive: boolean
  tty: boolean
  autoRemove: boolean
  restartPolicy: RestartPolicy
  /** `--runtime` as given, or empty for the default. */
  runtime: string
  labels: Record<string, string>
  stopSignal: number
  /** Seconds `stop` waits before SIGKILL. */
  stopTimeout: number
  /** Derived at create, for listings and inspect: the process argv and env. */
  command: string[]
  env: string[]
  /** The command line that created it (for systemd units). */
  createCommand: string[]
}

export interface ContainerState {
  status: ContainerStatus
  /** Host pid of the container's init process while running. */
  pid?: number
  pidStartTicks?: number
  /** Host pid of the shim that owns the container's stdio. */
  shimPid?: number
  /** Start time (/proc/PID/stat field 22) to tell a reused pid from ours. */
  shimStartTicks?: number
  startedAt?: string
  finishedAt?: string
  exitCode?: number
  /** Why the container ended abnormally or could not start. */
  error?: string
  restartCount: number
  /** Set by stop/kill so restart policies do not fight the user. */
  stoppedByUser?: boolean
}

export function initialState(): ContainerState {
  return { status: 'created', restartCount: 0 }
}
