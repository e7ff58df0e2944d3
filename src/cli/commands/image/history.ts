import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { formatJson, printReport } from '../../output.js'
import { HISTORY_LAYER_FIELDS, HistoryReporter, historyJson, imageHistory } from '../../../engine/views/history.js'
import { readImageConfigFile } from '../../../engine/views/image-inspect.js'
import { isJsonFormat } from '../../../format/report.js'

export class HistoryCommand extends TspodCommand {
  static paths = [['history'], ['image', 'history']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Show history of a specified image',
    details: `
      Displays the history of an image: one row per step of its build, newest first, with the layer size each step added.

      \`--format\` takes a Go template over podman's fields (.ID, .Created, .CreatedAt, .CreatedBy, .Size, .Comment, .Tags), \`table …\` for a header row, or \`json\`.
    `,
    examples: [
      ['History of an image', '$0 history busybox'],
      ['The commands that built it, in full', "$0 history --no-trunc --format '{{.CreatedBy}}' busybox"],
    ],
  })

  format = Option.String('--format', { description: 'Change the output to JSON or a Go template' })
  human = Option.Boolean('-H,--human', true, { description: 'Display sizes and dates in human readable format' })
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'Do not truncate the output' })
  quiet = Option.Boolean('-q,--quiet', false, { description: 'Display the numeric IDs only' })
  image = Option.String({ name: 'IMAGE' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const image = engine.images.get(this.image)
    const layers = imageHistory(image, await readImageConfigFile(engine, image), engine.images.list())
    if (this.format !== undefined && isJsonFormat(this.format)) {
      this.out(layers.length === 0 ? '[]\n' : formatJson(historyJson(layers), { indent: '' }))
      return 0
    }
    const now = Date.now()
    const rows = layers.map(l => new HistoryReporter(l, { human: this.human, noTrunc: this.noTrunc, now }))
    const format = this.quiet ? '{{range .}}{{.ID}}\n{{end -}}' : this.format
    printReport(this.context.stdout, format, rows, {
      name: 'history',
      table: '{{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
      headers: { CreatedBy: 'CREATED BY' },
      fields: HISTORY_LAYER_FIELDS,
    })
    return 0
  }
}
