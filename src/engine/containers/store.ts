/**
 * Container records on disk, under `containers/ID/`. Creation and removal
 * take the store lock (names and ids stay unique however many tspod processes
 * run at once); state changes take the container's own lock: lock, reload,
 * check, change, save — readers need no lock since every write is a rename.
 */
import { mkdir, rename } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeJsonAtomic } from '../../util/atomic.js'
import { withLock } from '../../util/lock.js'
import { InvalidArgumentError, NameInUseError, NoSuchContainerError, TspodError } from '../errors.js'
import { initialState, type ContainerRecord, type ContainerState } from './record.js'
import { readdirOrEmpty } from '../../util/fs.js'
import { builtin } from '../../util/builtin.js'

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

export interface ContainerEntry {
  record: ContainerRecord
  state: ContainerState
}

export class ContainerStore {
  readonly dir: string
  constructor(root: string) {
    this.dir = join(root, 'containers')
  }

  containerDir(id: string): string {
    return join(this.dir, id)
  }

  private lockPath(): string {
    return join(this.dir, 'containers.lock')
  }

  /** Ids of every container with a committed record. */
  async ids(): Promise<string[]> {
    return (await readdirOrEmpty(this.dir)).filter(n => /^[a-f0-9]{64}$/.test(n))
  }

  record(id: string): ContainerRecord | undefined {
    return readJson<ContainerRecord>(join(this.containerDir(id), 'container.json'))
  }

  state(id: string): ContainerState {
    return readJson<ContainerState>(join(this.containerDir(id), 'state.json')) ?? initialState()
  }

  async list(): Promise<ContainerEntry[]> {
    const out: ContainerEntry[] = []
    for (const id of await this.ids()) {
      const record = this.record(id)
      if (record) out.push({ record, state: this.state(id) })
    }
    return out
  }

  /** Find by full id, unique id prefix, or name (podman's order). */
  async lookup(ref: string): Promise<ContainerRecord> {
    const ids = await this.ids()
    if (ids.includes(ref)) return this.record(ref) ?? notFound(ref)
    const records = ids.map(id => this.record(id)).filter((r): r is ContainerRecord => r !== undefined)
    const byName = records.find(r => r.name === ref)
    if (byName) return byName
    if (/^[a-f0-9]+$/.test(ref)) {
      const matches = records.filter(r => r.id.startsWith(ref))
      if (matches.length === 1) return matches[0]!
      if (matches.length > 1) {
        throw new TspodError('invalid-argument', `more than one result for container "${ref}": container already exists`)
      }
    }
    return notFound(ref)
  }

  /**
   * Commit a new record with a unique name (given or generated). The directory
   * is prepared under a temporary name and renamed into place, so a crash
   * never leaves a half-written container behind.
   */
  async create(make: (id: string, name: string) => ContainerRecord, requestedName?: string): Promise<ContainerRecord> {
    if (requestedName !== undefined && !NAME_RE.test(requestedName)) {
      throw new InvalidArgumentError(`container name "${requestedName}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument`)
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    // Only creation needs randomness (the shim, which loads this module too, never does).
    const { randomBytes } = builtin<typeof import('node:crypto')>('node:crypto')
    const { randomName } = await import('./names.js')
    return withLock(this.lockPath(), async () => {
      const existing = await this.list()
      const ids = new Set(existing.map(e => e.record.id))
      const names = new Map(existing.map(e => [e.record.name, e.record.id]))
      if (requestedName !== undefined && names.has(requestedName)) {
        throw new NameInUseError(requestedName, names.get(requestedName)!)
      }
      let id: string
      do id = randomBytes(32).toString('hex')
      while (ids.has(id))
      let name = requestedName
      while (name === undefined || names.has(name)) name = randomName()
      const record = make(id, name)
      const staging = join(this.dir, `.creating-${id}`)
      await mkdir(staging, { mode: 0o700 })
      await writeJsonAtomic(join(staging, 'container.json'), record)
      await writeJsonAtomic(join(staging, 'state.json'), initialState())
      await rename(staging, this.containerDir(id))
      return record
    })
  }

  /** Lock the container, reload its state, apply `change`, save, return the new state. */
  async updateState(id: string, change: (state: ContainerState, record: ContainerRecord) => ContainerState): Promise<ContainerState> {
    return withLock(join(this.containerDir(id), 'lock'), async () => {
      const record = this.record(id)
      if (!record) throw new NoSuchContainerError(id)
      const next = change(this.state(id), record)
      // Run state is reconciled with the processes on every read: no fsync needed.
      await writeJsonAtomic(join(this.containerDir(id), 'state.json'), next, { durable: false })
      return next
    })
  }

  /** Run `fn` holding the container's lock (for multi-step transitions). */
  withContainerLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return withLock(join(this.containerDir(id), 'lock'), fn)
  }

  /**
   * Take the record out of the store: renamed aside first (so it vanishes from
   * listings at once and a name can be reused), then `removeTree` deletes the
   * files, some of which belong to subordinate ids.
   */
  async remove(id: string, removeTree: (path: string) => Promise<void>): Promise<void> {
    const graveyard = join(this.dir, `.removing-${id}`)
    await withLock(this.lockPath(), async () => {
      await rename(this.containerDir(id), graveyard)
    })
    await removeTree(graveyard)
  }

  /**
   * Leftovers of interrupted creates and removals, to delete. Listed under the
   * store lock, so no create is in progress; a removal may be (the tree is
   * renamed aside first), and deleting the same tree twice is harmless.
   */
  async takeDebris(): Promise<string[]> {
    return withLock(this.lockPath(), async () =>
      (await readdirOrEmpty(this.dir)).filter(n => n.startsWith('.creating-') || n.startsWith('.removing-')).map(n => join(this.dir, n)),
    )
  }
}

function notFound(ref: string): never {
  throw new NoSuchContainerError(ref)
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
