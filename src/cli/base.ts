/**
 * What every tspod command shares: the global flags (`--root`, `--runroot`,
 * `--log-level`, `--storage-driver`, accepted before or after the command
 * name as podman does), the engine it talks to, and podman's error
 * convention: one `Error: …` line on stderr and exit status 125 for tspod's
 * own failures.
 */
import { Command, Option, type BaseContext } from 'clipanion'
import type { Engine } from '../engine/engine.js'
import type { PendingShim } from '../engine/containers/shim-launcher.js'
import { describeError, TspodError } from '../engine/errors.js'
import { LOG_LEVELS, setLogLevel, type LogLevel } from '../util/log.js'
import { parseStorageDriver } from '../storage/driver.js'

export interface GlobalFlags {
  root?: string
  runRoot?: string
  logLevel?: string
  storageDriver?: string
}

export interface TspodContext extends BaseContext {
  /** Global flags given before the command name. */
  globals: GlobalFlags
  /** A shim main.ts started before the command was even loaded (run, start). */
  pendingShim?: PendingShim
}

export abstract class TspodCommand extends Command<TspodContext> {
  root = Option.String('--root', { hidden: true, description: 'Path to the graph root directory' })
  runRoot = Option.String('--runroot', { hidden: true, description: 'Path to the run root directory' })
  logLevel = Option.String('--log-level', { hidden: true, description: 'Log messages at and above this level' })
  storageDriver = Option.String('--storage-driver', { hidden: true, description: 'Storage driver for new containers (overlay, fuse-overlayfs, vfs)' })

  private engineInstance?: Engine

  /** The command's work; returns the exit status (default 0). */
  abstract run(): Promise<number | void>

  async execute(): Promise<number> {
    try {
      this.applyGlobalFlags()
      return (await this.run()) ?? 0
    } catch (err) {
      return this.fail(err)
    } finally {
      this.context.pendingShim?.cancel()
      await this.engineInstance?.close()
    }
  }

  /** The log level takes effect; a bad storage driver name fails every command at once, as podman's does. */
  protected applyGlobalFlags(): void {
    const level = this.logLevel ?? this.context.globals.logLevel
    if (level !== undefined) setLogLevel(parseLogLevel(level))
    const driver = this.requestedStorageDriver()
    if (driver !== undefined) parseStorageDriver(driver)
  }

  /** Report an error podman's way and return its exit status. */
  protected fail(err: unknown): number {
    this.context.stderr.write(`Error: ${describeError(err)}\n`)
    if (process.env.TSPOD_DEBUG_STACK && err instanceof Error) this.context.stderr.write(`${err.stack}\n`)
    return err instanceof TspodError ? err.exitCode : 125
  }

  protected async engine(): Promise<Engine> {
    if (!this.engineInstance) {
      const { openEngine } = await import('../engine/engine.js')
      this.engineInstance = await openEngine({
        root: this.root ?? this.context.globals.root,
        runRoot: this.runRoot ?? this.context.globals.runRoot,
        pendingShim: this.context.pendingShim,
        storageDriver: this.requestedStorageDriver(),
      })
    }
    return this.engineInstance
  }

  /** `--storage-driver`, else podman's STORAGE_DRIVER variable; undefined: detect. */
  private requestedStorageDriver(): string | undefined {
    return this.storageDriver ?? this.context.globals.storageDriver ?? (process.env.STORAGE_DRIVER || undefined)
  }

  protected out(text: string): void {
    this.context.stdout.write(text)
  }

  protected err(text: string): void {
    this.context.stderr.write(text)
  }
}

export function parseLogLevel(value: string): LogLevel {
  const level = (value === 'warning' ? 'warn' : value) as LogLevel
  if (!LOG_LEVELS.includes(level)) {
    throw new TspodError('invalid-argument', `log-level "${value}" not supported, choose from ${LOG_LEVELS.join(', ')}`)
  }
  return level
}
