/**
 * What the CLI tells a shim when it starts one (passed as JSON in argv), and
 * what the shim answers on its report pipe (fd 3, newline-delimited JSON, as
 * conmon's sync pipe). Shared by both sides; nothing else crosses.
 */
import type { RootfsSpec } from '../storage/driver.js'

export interface ShimConfig {
  containerId: string
  /** Graph and run roots, so the shim can update the container's state and remove it. */
  graphRoot: string
  runRoot: string
  /** OCI bundle directory holding config.json. */
  bundleDir: string
  runtime: { name: string; path: string; stateRoot: string }
  /** The root to mount (by its storage driver) at the spec's root before the start, unmounted after the exit. */
  rootfs: RootfsSpec
  /** Directories to create in the mounted root first (a missing WORKDIR), with their owner. */
  createDirs: { path: string; uid: number; gid: number }[]
  logPath: string
  /** Unix socket for attach/resize/signal clients. */
  socketPath: string
  /** The shim writes its pid here (systemd's PIDFile=). */
  pidFile: string
  tty: boolean
  /** `-i`: keep the container's stdin open for attach clients. */
  stdin: boolean
  /**
   * An attached CLI will connect right after the start: keep output for it, and
   * after the exit wait (a bounded time) for it before the shim goes away.
   */
  expectAttach: boolean
  restartPolicy: { name: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maximumRetryCount: number }
  /** `--rm`: remove the container when it exits for good. */
  autoRemove: boolean
  /**
   * tspod-shimlaunch already mounted the root and started the runtime for
   * the first run (the CLI sent it the launch message): the shim adopts it.
   */
  prelaunched?: boolean
}

export type ShimReport =
  | { type: 'started'; pid: number }
  | { type: 'error'; message: string; exitCode: number }

/** fd of the report pipe in the shim. */
export const REPORT_FD = 3

/** argv[2] of a shim started ahead of its container: the config comes on stdin. */
export const STDIN_CONFIG = '--config-from-stdin'

/** Set by tspod-shimlaunch: the pid of its launcher child (see native-bindings/shimlaunch.c). */
export const LAUNCHER_PID_ENV = 'TSPOD_LAUNCHER_PID'
/** The shim's ends of the pipes tspod-shimlaunch made for the container. */
export const LAUNCHED_STDOUT_FD = 5
export const LAUNCHED_STDERR_FD = 6
export const LAUNCHED_STDIN_FD = 7
