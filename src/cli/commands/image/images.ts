import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { printReport } from '../../output.js'
import { IMAGE_FIELDS, imageRows, imageSummary } from '../../../engine/views/images.js'
import { isJsonFormat } from '../../../format/report.js'

export class ImagesCommand extends TspodCommand {
  static paths = [['images'], ['image', 'ls'], ['image', 'list']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'List images in local storage',
    details: `
      Lists every image with each of its names on a row of its own; an image without a name (replaced by a newer pull of its tag) shows as \`<none>\`. \`--format\` takes a Go template (podman's field names: .ID, .Repository, .Tag, .Digest, .Created, .CreatedAt, .Size, .Labels, .Names) or \`json\`.
    `,
    examples: [
      ['List images', '$0 images'],
      ['Only the IDs', '$0 images -q'],
      ['Names and IDs with a template', "$0 images --format '{{.Repository}}:{{.Tag}} {{.ID}}'"],
      ['As JSON', '$0 images --format json'],
    ],
  })

  quiet = Option.Boolean('-q,--quiet', false, { description: 'Display only image IDs' })
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'Do not truncate output' })
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'Do not print column headings' })
  format = Option.String('--format', { description: "Change the output format to JSON or a Go template" })
  all = Option.Boolean('-a,--all', false, { description: 'Show all images (tspod keeps no intermediate images)' })
  filter = Option.Array('-f,--filter', { description: 'Filter output based on conditions provided' })
  reference = Option.String({ required: false, name: 'IMAGE' })

  async run(): Promise<number> {
    const engine = await this.engine()
    let images = engine.images.list().sort((a, b) => (b.created ?? b.added).localeCompare(a.created ?? a.added))
    if (this.reference !== undefined) {
      const ref = this.reference
      const found = engine.images.find(ref)
      images = found ? [found] : []
    }
    const labelsOf = async (id: string) => (await engine.images.config(id)).Labels ?? {}
    if (this.format !== undefined && isJsonFormat(this.format)) {
      const summaries = []
      for (const i of images) summaries.push(imageSummary(i, { labels: await labelsOf(i.id) }))
      printReport(this.context.stdout, this.format, summaries, { name: 'images' })
      return 0
    }
    if (this.quiet) {
      const ids = [...new Set(images.map(i => (this.noTrunc ? `sha256:${i.id}` : i.id.slice(0, 12))))]
      this.out(ids.map(id => `${id}\n`).join(''))
      return 0
    }
    const rows = []
    for (const i of images) rows.push(...imageRows(i, { noTrunc: this.noTrunc, labels: await labelsOf(i.id) }))
    printReport(this.context.stdout, this.format, rows, {
      name: 'images',
      table: '{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Created}}\t{{.Size}}',
      headers: { ID: 'IMAGE ID' },
      fields: IMAGE_FIELDS,
      noHeading: this.noHeading,
    })
    return 0
  }
}
