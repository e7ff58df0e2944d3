/**
 * Containers, as the CLI and library see them: one method per verb, one
 * options object in, reports out. Bulk verbs (rm, stop, kill) return one
 * report per target with its own error, as podman prints them.
 */
import type { Engine } from '../engine.js'
import { TspodError } from '../errors.js'
import type { ContainerRecord, ContainerState } from './record.js'
import { createContainer, type CreateOptions } from './create.js'
import { startContainer, type StartOptions, type StartReport } from './start.js'
import { killContainer, stopContainer, waitForExitRecorded } from './stop.js'
import { removeContainer, removeContainerDebris } from './remove.js'
import { execInContainer, type ExecOptions } from './exec.js'
import { isLive, reconcile } from './reconcile.js'
import { containerPaths } from './paths.js'
import { readExitCode } from './exit-codes.js'
import { isSameProcessAlive } from '../../util/proc.js'

export interface ContainerEntry {
  record: ContainerRecord
  state: ContainerState
}

/** The outcome for one target of a bulk verb. */
export interface TargetReport {
  /** What the user typed (or the id, for --all/--latest). */
  input: string
  id?: string
  error?: TspodError
}

export class ContainerService {
  constructor(private readonly engine: Engine) {}

  private get store() {
    return this.engine.containerStore
  }

  /** Every container with its reconciled state, newest first. */
  async list(): Promise<ContainerEntry[]> {
    const entries = await this.store.list()
    const out: ContainerEntry[] = []
    for (const e of entries) out.push({ record: e.record, state: await reconcile(this.store, e.record, e.state) })
    return out.sort((a, b) => b.record.created.localeCompare(a.record.created))
  }

  lookup(ref: string): Promise<ContainerRecord> {
    return this.store.lookup(ref)
  }

  async get(ref: string): Promise<ContainerEntry> {
    const record = await this.store.lookup(ref)
    return { record, state: await reconcile(this.store, record, this.store.state(record.id)) }
  }

  /** The most recently created container (`--latest`). */
  async latest(): Promise<ContainerRecord> {
    const [newest] = await this.list()
    if (!newest) throw new TspodError('not-found', 'no containers to use with --latest: no such container')
    return newest.record
  }

  create(options: CreateOptions): Promise<ContainerRecord> {
    return createContainer(this.engine, options)
  }

  async start(ref: string, options: StartOptions = {}): Promise<StartReport> {
    return startContainer(this.engine, await this.store.lookup(ref), options)
  }

  async stop(ref: string, timeoutSeconds?: number): Promise<ContainerRecord> {
    const record = await this.store.lookup(ref)
    await stopContainer(this.engine, record, timeoutSeconds)
    return record
  }

  async kill(ref: string, signal?: string): Promise<ContainerRecord> {
    const record = await this.store.lookup(ref)
    await killContainer(this.engine, record, signal)
    return record
  }

  async remove(ref: string, options: { force?: boolean } = {}): Promise<ContainerRecord> {
    const record = await this.store.lookup(ref)
    await removeContainer(this.engine, record, options)
    return record
  }

  async restart(ref: string, timeoutSeconds?: number): Promise<ContainerRecord> {
    const record = await this.store.lookup(ref)
    await stopContainer(this.engine, record, timeoutSeconds)
    await startContainer(this.engine, record)
    return record
  }

  /** Blocks until the container is not running; its exit code. */
  async wait(ref: string): Promise<number> {
    const record = await this.store.lookup(ref)
    const state = await waitForExitRecorded(this.engine, record)
    // Removed meanwhile (--rm): its shim left the exit code behind.
    if (!this.store.record(record.id)) return readExitCode(this.engine.paths.runRoot, record.id) ?? state.exitCode ?? 0
    return state.exitCode ?? 0
  }

  async exec(ref: string, options: ExecOptions): Promise<number> {
    return execInContainer(this.engine, await this.store.lookup(ref), options)
  }

  /** Remove every container that is not running; the ids removed. */
  async prune(): Promise<TargetReport[]> {
    const reports: TargetReport[] = []
    for (const { record, state } of await this.list()) {
      // Running, or between two runs of its restart policy.
      if (isLive(state) || isSameProcessAlive(state.shimPid, state.shimStartTicks)) continue
      try {
        await removeContainer(this.engine, record)
        reports.push({ input: record.id, id: record.id })
      } catch (err) {
        reports.push({ input: record.id, id: record.id, error: asTspodError(err) })
      }
    }
    await removeContainerDebris(this.engine)
    return reports
  }

  /** Ids of containers made from an image (for rmi). */
  async usingImage(imageId: string): Promise<string[]> {
    return (await this.store.list()).filter(e => e.record.imageId === imageId).map(e => e.record.id)
  }

  paths(id: string) {
    return containerPaths(this.engine.paths, id)
  }

  /** Apply `verb` to each target, collecting one report per target. */
  async each(inputs: string[], verb: (ref: string) => Promise<ContainerRecord>): Promise<TargetReport[]> {
    const reports: TargetReport[] = []
    for (const input of inputs) {
      try {
        const record = await verb(input)
        reports.push({ input, id: record.id })
      } catch (err) {
        reports.push({ input, error: asTspodError(err) })
      }
    }
    return reports
  }
}

export function asTspodError(err: unknown): TspodError {
  return err instanceof TspodError ? err : new TspodError('internal', err instanceof Error ? err.message : String(err))
}
