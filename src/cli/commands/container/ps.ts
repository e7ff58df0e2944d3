import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { printReport } from '../../output.js'
import { PS_FIELDS, parsePsFilters, psJson, psRow } from '../../../engine/views/containers.js'
import { isJsonFormat } from '../../../format/report.js'
import { TspodError } from '../../../engine/errors.js'

export class PsCommand extends TspodCommand {
  static paths = [['ps'], ['container', 'ps'], ['container', 'ls'], ['container', 'list']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'List containers',
    details: `
      Running containers, or all with \`-a\`. A container whose shim died is shown as exited, with the reason in \`inspect\`'s State.Error. Filters: id, name (a regular expression), status, label, ancestor, exited, before, since; several values of one key match any, different keys must all match.
    `,
    examples: [
      ['All containers', '$0 ps -a'],
      ['Names and status', "$0 ps -a --format '{{.Names}} {{.Status}}'"],
      ['IDs of exited containers', '$0 ps -aq --filter status=exited'],
    ],
  })

  all = Option.Boolean('-a,--all', false, { description: 'Show all the containers, default is only running containers' })
  quiet = Option.Boolean('-q,--quiet', false, { description: 'Print the numeric IDs of the containers only' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  last = Option.String('-n,--last', { description: 'Print the n last created containers (all states)' })
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'Display the extended information' })
  noHeading = Option.Boolean('--noheading', false, { description: 'Do not print headers' })
  filter = Option.Array('-f,--filter', [], { description: 'Filter output based on conditions given' })
  format = Option.String('--format', { description: 'Pretty-print containers to JSON or using a Go template' })
  size = Option.Boolean('-s,--size', false, { description: 'Display the total file sizes' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const match = parsePsFilters(this.filter)
    let entries = await engine.containers.list()
    const everything = entries
    if (!this.all && !this.latest && this.last === undefined && this.filter.length === 0) {
      entries = entries.filter(e => e.state.status === 'running' || e.state.status === 'stopping')
    }
    entries = entries.filter(e => match(e, everything))
    if (this.latest) entries = entries.slice(0, 1)
    if (this.last !== undefined) {
      const n = Number(this.last)
      if (!Number.isInteger(n)) throw new TspodError('invalid-argument', `invalid argument "${this.last}" for "-n, --last" flag`)
      if (n >= 0) entries = entries.slice(0, n)
    }
    if (this.quiet && this.format === undefined) {
      this.out(entries.map(e => `${this.noTrunc ? e.record.id : e.record.id.slice(0, 12)}\n`).join(''))
      return 0
    }
    if (this.format !== undefined && isJsonFormat(this.format)) {
      printReport(this.context.stdout, this.format, entries.map(psJson), { json: { indent: '  ' } })
      return 0
    }
    const rows = entries.map(e => psRow(e, { noTrunc: this.noTrunc }))
    printReport(this.context.stdout, this.format, rows, {
      name: 'ps',
      table: '{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Created}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
      headers: { ID: 'CONTAINER ID', Created: 'CREATED' },
      fields: PS_FIELDS,
      noHeading: this.noHeading,
    })
    return 0
  }
}
