import { Command, Option } from 'clipanion'
import { readlinkSync } from 'node:fs'
import { TspodCommand } from '../../base.js'
import { formatJson, printReport } from '../../output.js'
import { LIST_CONTAINER_FIELDS, PS_HEADERS, PS_SORT_KEYS, type PsEntry, psJson, psReporters, sortPs } from '../../../engine/views/containers.js'
import { compilePsFilters } from '../../../engine/views/ps-filters.js'
import { directorySize } from '../../../engine/views/container-size.js'
import { hasTable, isJsonFormat } from '../../../format/report.js'
import { InvalidArgumentError } from '../../../engine/errors.js'
import type { Engine } from '../../../engine/engine.js'
import { parseIntFlag } from '../../flags.js'
import { trace } from '../../../util/trace.js'

export class PsCommand extends TspodCommand {
  static paths = [['ps'], ['container', 'ps'], ['container', 'ls'], ['container', 'list']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'List containers',
    details: `
      Prints out information about the containers: the running ones, or all with \`-a\`. A container whose shim died is shown as exited, with the reason in \`inspect\`'s State.Error.

      Filters (\`--filter key=value\`): id and name (regular expressions), status (created, running, exited, …), label (key or key=value; every label given must match), ancestor (image name or ID), exited (an exit code), before and since (a container), until (a time or duration), restart-policy, volume. Several values of one key match any of them; different keys must all match.

      \`--format\` takes a Go template over podman's fields (.ID, .Names, .Image, .Command, .Status, .State, .Created, .CreatedAt, .RunningFor, .Ports, .Labels, .Mounts, .Pid, .ExitCode, …), \`table …\` for a header row, or \`json\`.
    `,
    examples: [
      ['All containers', '$0 ps -a'],
      ['Names and status', "$0 ps -a --format '{{.Names}} {{.Status}}'"],
      ['IDs of exited containers', '$0 ps -aq --filter status=exited'],
      ['Sizes, sorted by name', '$0 ps -a --size --sort names'],
    ],
  })

  all = Option.Boolean('-a,--all', false, { description: 'Show all the containers, default is only running containers' })
  external = Option.Boolean('--external', false, { description: 'Show containers in storage not controlled by tspod (there are none)' })
  filter = Option.Array('-f,--filter', [], { description: 'Filter output based on conditions given' })
  format = Option.String('--format', { description: 'Pretty-print containers to JSON or using a Go template' })
  last = Option.String('-n,--last', { description: 'Print the n last created containers (all states)' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  namespace = Option.Boolean('--ns', false, { description: 'Display namespace information' })
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'Display the extended information' })
  pod = Option.Boolean('-p,--pod', false, { description: 'Print the ID and name of the pod the containers are associated with' })
  quiet = Option.Boolean('-q,--quiet', false, { description: 'Print the numeric IDs of the containers only' })
  noHeading = Option.Boolean('--noheading', false, { description: 'Do not print headers' })
  size = Option.Boolean('-s,--size', false, { description: 'Display the total file sizes' })
  sort = Option.String('--sort', { description: `Sort output by: ${PS_SORT_KEYS.join(', ')}` })
  sync = Option.Boolean('--sync', false, { description: 'Sync container state with OCI runtime (tspod always does)' })

  async run(): Promise<number> {
    const last = this.last === undefined ? -1 : parseIntFlag(this.last, '-n, --last')
    if (last >= 0 && this.latest) throw new InvalidArgumentError('last and latest are mutually exclusive')
    if (this.quiet && (this.size || this.namespace)) throw new InvalidArgumentError('quiet conflicts with size and namespace')
    if (this.size && this.namespace) throw new InvalidArgumentError('size and namespace options conflict')
    if (this.sort !== undefined && !(PS_SORT_KEYS as readonly string[]).includes(this.sort)) {
      throw new InvalidArgumentError(`invalid argument "${this.sort}" for "--sort" flag: "${this.sort}" is not a valid value.  Choose from: "${PS_SORT_KEYS.join(', ')}"`)
    }
    const engine = await this.engine()
    const entries = await this.listContainers(engine, this.latest ? 1 : last)
    trace('ps: listed')
    if (this.size) await addSizes(engine, entries)
    const sorted = this.sort ? sortPs(entries, this.sort) : entries

    if (this.format !== undefined && isJsonFormat(this.format)) {
      this.out(formatJson(psJson(sorted), { indent: '  ', jsoniter: true }))
      return 0
    }
    if (this.quiet && this.format === undefined) {
      this.out(sorted.map(e => `${this.noTrunc ? e.record.id : e.record.id.slice(0, 12)}\n`).join(''))
      return 0
    }
    const rows = psReporters(sorted, { noTrunc: this.noTrunc })
    if (this.namespace) for (const r of rows) Object.assign(r.ListContainer.Namespaces, namespacesOf(r.ListContainer.Pid))
    const userFormat = this.format?.replaceAll('.Namespaces.', '.')
    printReport(this.context.stdout, userFormat, rows, {
      name: 'ps',
      table: this.defaultRow(),
      headers: PS_HEADERS,
      fields: LIST_CONTAINER_FIELDS,
      noHeading: this.noHeading || (userFormat !== undefined && !hasTable(userFormat)),
    })
    trace('ps: printed')
    return 0
  }

  /** pkg/ps GetContainerLists: filtered, oldest first; `-n N` keeps the N newest. */
  private async listContainers(engine: Engine, last: number): Promise<PsEntry[]> {
    const everything: PsEntry[] = await engine.containers.list()
    const { match, hasStatus } = compilePsFilters(this.filter, everything)
    const all = this.all || last > 0 || hasStatus
    let entries = everything.filter(e => match(e) && (all || e.state.status === 'running' || e.state.status === 'stopping'))
    entries.sort((a, b) => Date.parse(a.record.created) - Date.parse(b.record.created))
    if (last > 0) entries = entries.slice(-last)
    return entries
  }

  private defaultRow(): string {
    if (this.namespace) {
      return '{{.ID}}\t{{.Names}}\t{{.Pid}}\t{{.Namespaces.Cgroup}}\t{{.Namespaces.IPC}}\t{{.Namespaces.MNT}}\t{{.Namespaces.NET}}\t{{.Namespaces.PIDNS}}\t{{.Namespaces.User}}\t{{.Namespaces.UTS}}'
    }
    let row = '{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'
    if (this.pod) row += '\t{{.Pod}}\t{{.PodName}}'
    if (this.size) row += '\t{{.Size}}'
    return row
  }
}

/** RW size from the upper dir; the virtual size is the image's layers. */
async function addSizes(engine: Engine, entries: PsEntry[]): Promise<void> {
  const imageSizes = new Map(engine.images.list().map(i => [i.id, i.layers.reduce((n, l) => n + l.size, 0)]))
  await Promise.all(
    entries.map(async e => {
      e.size = { rw: await directorySize(engine.containers.paths(e.record.id).upperDir), rootFs: imageSizes.get(e.record.imageId) ?? 0 }
    }),
  )
}

/** The inode numbers of a running container's namespaces (`--ns`). */
function namespacesOf(pid: number): Record<string, string> {
  const ns = (name: string) => {
    if (pid <= 0) return ''
    try {
      return /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${name}`))?.[1] ?? ''
    } catch {
      return ''
    }
  }
  return { Cgroup: ns('cgroup'), IPC: ns('ipc'), MNT: ns('mnt'), NET: ns('net'), PIDNS: ns('pid'), User: ns('user'), UTS: ns('uts') }
}
