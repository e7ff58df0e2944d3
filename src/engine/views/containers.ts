/**
 * Containers as `ps` shows them, in podman 4.3's shapes: ListContainer
 * (pkg/domain/entities) is the data, psReporter (cmd/podman/containers/ps.go)
 * the row templates see — it embeds ListContainer, and its methods shadow
 * fields of the same name, so `{{.ID}}` is the short ID, `{{.Names}}` a
 * string, `{{.Created}}` the time.Time, `{{.State}}` "Up 3 seconds ago".
 * `ps --format json` prints ListContainer with podman's few adjustments.
 */
import type { ContainerRecord, ContainerState } from '../containers/record.js'
import { GoTime } from '../../format/template/index.js'
import { humanDuration } from '../../format/human-time.js'
import { humanSizeWithPrecision } from '../../format/units.js'
import { goTitle } from '../../format/template/podman-funcs.js'
import { statusWord } from './status.js'
import { embed, nilSlice, stringMap, tagged } from './go-values.js'
import { log } from '../../util/log.js'

export interface PsEntry {
  record: ContainerRecord
  state: ContainerState
  /** With `ps --size`: bytes in the container's upper dir, and the image's. */
  size?: { rw: number; rootFs: number }
}

/** Unix seconds of Go's zero time: what podman shows for "never". */
export const ZERO_UNIX = -62135596800

const unixSeconds = (iso: string | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : ZERO_UNIX)

/** ListContainer's fields in declaration order: `table` headers come from them, even with no rows. */
export const LIST_CONTAINER_FIELDS = [
  'AutoRemove', 'Command', 'Created', 'CreatedAt', 'Exited', 'ExitedAt', 'ExitCode', 'ID', 'Image', 'ImageID', 'IsInfra',
  'Labels', 'Mounts', 'Names', 'Namespaces', 'Networks', 'Pid', 'Pod', 'PodName', 'Ports', 'Size', 'StartedAt', 'State',
  'Status',
] as const

/** report.Headers overrides from podman's createPsOut. */
export const PS_HEADERS: Record<string, string> = {
  Cgroup: 'cgroupns',
  CreatedHuman: 'created',
  ID: 'container id',
  IPC: 'ipc',
  MNT: 'mnt',
  NET: 'net',
  Networks: 'networks',
  PIDNS: 'pidns',
  Pod: 'pod id',
  PodName: 'podname',
  RunningFor: 'running for',
  UTS: 'uts',
  User: 'userns',
}

export type ListContainer = ReturnType<typeof listContainer>

/** Container paths a user mounted (podman's ctr.UserVolumes(): bind mounts and tmpfs). */
function userVolumes(record: ContainerRecord): string[] {
  return (record.runOptions.mounts ?? []).map(m => m.destination)
}

/** entities.ListContainer for one container. */
export function listContainer(e: PsEntry) {
  const { record, state } = e
  const word = statusWord(state)
  const namespaces = tagged('entities.ListContainerNamespaces', { MNT: '', Cgroup: '', IPC: '', NET: '', PIDNS: '', UTS: '', User: '' }, {
    MNT: 'Mnt,omitempty', Cgroup: 'Cgroup,omitempty', IPC: 'Ipc,omitempty', NET: 'Net,omitempty',
    PIDNS: 'Pidns,omitempty', UTS: 'Uts,omitempty', User: 'User,omitempty',
  })
  return tagged(
    'entities.ListContainer',
    {
      AutoRemove: record.autoRemove,
      // libpod's config.Command: the command part, without the entrypoint.
      Command: record.runOptions.command ?? record.imageConfig.Cmd ?? [],
      Created: GoTime.parse(record.created),
      CreatedAt: '',
      Exited: word === 'exited',
      ExitedAt: unixSeconds(state.finishedAt),
      ExitCode: state.exitCode ?? 0,
      ID: record.id,
      Image: record.imageName,
      ImageID: record.imageId,
      IsInfra: false,
      Labels: stringMap(record.labels),
      Mounts: userVolumes(record),
      Names: [record.name],
      Namespaces: namespaces,
      Networks: [] as string[],
      Pid: word === 'running' ? (state.pid ?? 0) : 0,
      Pod: '',
      PodName: '',
      Ports: nilSlice<never>(),
      Size: e.size ? tagged('define.ContainerSize', { RootFsSize: e.size.rootFs, RwSize: e.size.rw }, { RootFsSize: 'rootFsSize', RwSize: 'rwSize' }) : null,
      StartedAt: unixSeconds(state.startedAt),
      State: word,
      Status: '',
    },
    { ID: 'Id' },
  )
}

/** Milliseconds since `unixSec` (podman's StartedAt/ExitedAt are whole seconds). */
const sinceUnix = (unixSec: number, now: number) => now - unixSec * 1000

/**
 * cmd/podman/containers/ps.go's psReporter: ListContainer plus the methods
 * templates call. `now` fixes the clock for one listing.
 */
export class PsReporter {
  readonly ListContainer: ListContainer
  readonly #noTrunc: boolean
  readonly #now: number

  constructor(lc: ListContainer, opts: { noTrunc?: boolean; now?: number } = {}) {
    this.ListContainer = lc
    this.#noTrunc = opts.noTrunc ?? false
    this.#now = opts.now ?? Date.now()
  }

  get ImageID(): string {
    return this.#noTrunc ? this.ListContainer.ImageID : this.ListContainer.ImageID.slice(0, 12)
  }
  get ID(): string {
    return this.#noTrunc ? this.ListContainer.ID : this.ListContainer.ID.slice(0, 12)
  }
  get Pod(): string {
    return this.#noTrunc ? this.ListContainer.Pod : this.ListContainer.Pod.slice(0, 12)
  }
  /** "Up 3 seconds ago", "Exited (7) 2 minutes ago", "Created" (podman 4.3 keeps the "ago"). */
  get State(): string {
    const lc = this.ListContainer
    switch (lc.State) {
      case 'running':
        return `Up ${humanDuration(sinceUnix(lc.StartedAt, this.#now))} ago`
      case 'exited':
      case 'stopped':
        return `Exited (${lc.ExitCode}) ${humanDuration(sinceUnix(lc.ExitedAt, this.#now))} ago`
      default:
        return goTitle(lc.State)
    }
  }
  get Status(): string {
    const hc = this.ListContainer.Status
    return hc !== '' ? `${this.State} (${hc})` : this.State
  }
  get RunningFor(): string {
    return this.CreatedHuman
  }
  get Command(): string {
    const command = this.ListContainer.Command.join(' ')
    return !this.#noTrunc && Buffer.byteLength(command) > 17 ? Buffer.from(command).subarray(0, 17).toString() + '...' : command
  }
  /** "RW (virtual ROOTFS)"; without --size podman logs an error and prints nothing. */
  get Size(): string {
    const size = this.ListContainer.Size
    if (size === null) {
      log.error('Size format requires --size option')
      return ''
    }
    return `${humanSizeWithPrecision(size.RwSize, 3)} (virtual ${humanSizeWithPrecision(size.RootFsSize, 3)})`
  }
  get Names(): string {
    return this.ListContainer.Names[0] ?? ''
  }
  get Networks(): string {
    return this.ListContainer.Networks.join(',')
  }
  get Ports(): string {
    return ''
  }
  get CreatedAt(): string {
    return this.ListContainer.Created.toString()
  }
  get CreatedHuman(): string {
    return `${humanDuration(this.#now - this.ListContainer.Created.valueOf())} ago`
  }
  get Cgroup(): string {
    return this.ListContainer.Namespaces.Cgroup
  }
  get IPC(): string {
    return this.ListContainer.Namespaces.IPC
  }
  get MNT(): string {
    return this.ListContainer.Namespaces.MNT
  }
  get NET(): string {
    return this.ListContainer.Namespaces.NET
  }
  get PIDNS(): string {
    return this.ListContainer.Namespaces.PIDNS
  }
  get User(): string {
    return this.ListContainer.Namespaces.User
  }
  get UTS(): string {
    return this.ListContainer.Namespaces.UTS
  }
  // ListContainer's own methods, promoted.
  get CGROUPNS(): string {
    return this.ListContainer.Namespaces.Cgroup
  }
  get USERNS(): string {
    return this.ListContainer.Namespaces.User
  }
  /** Go encodes the embedded struct's fields in place. */
  toJSON(): unknown {
    return this.ListContainer
  }
}
embed(PsReporter, 'ListContainer', LIST_CONTAINER_FIELDS, 'containers.psReporter')

export function psReporters(entries: readonly PsEntry[], opts: { noTrunc?: boolean; now?: number } = {}): PsReporter[] {
  const now = opts.now ?? Date.now()
  return entries.map(e => new PsReporter(listContainer(e), { noTrunc: opts.noTrunc, now }))
}

/** `ps --format json`: ListContainer with CreatedAt and Status filled in, and Created as Unix seconds after it all. */
export function psJson(entries: readonly PsEntry[], now = Date.now()): unknown[] {
  return entries.map(e => {
    const lc = listContainer(e)
    const r = new PsReporter(lc, { now })
    const fields = (lc as unknown as { toJSON(): Record<string, unknown> }).toJSON()
    const { Created: _dominated, ...rest } = fields
    return { ...rest, CreatedAt: r.CreatedHuman, Status: r.Status, Created: Math.floor(lc.Created.valueOf() / 1000) }
  })
}

export const PS_SORT_KEYS = ['command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status'] as const

/** entities.SortPsOutput (a stable sort: Go's is not, but ties come out in created order here). */
export function sortPs(entries: PsEntry[], key: string): PsEntry[] {
  const by = <T>(f: (e: PsEntry) => T) => (a: PsEntry, b: PsEntry) => {
    const x = f(a)
    const y = f(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  const compare: Record<string, (a: PsEntry, b: PsEntry) => number> = {
    id: by(e => e.record.id),
    image: by(e => e.record.imageName),
    command: by(e => (e.record.runOptions.command ?? e.record.imageConfig.Cmd ?? []).join(' ')),
    runningfor: by(e => unixSeconds(e.state.startedAt)),
    status: by(e => statusWord(e.state)),
    size: (a, b) => (a.size && b.size ? a.size.rootFs - b.size.rootFs : 0),
    names: by(e => e.record.name),
    created: by(e => Date.parse(e.record.created)),
  }
  return [...entries].sort(compare[key])
}
