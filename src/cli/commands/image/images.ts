import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { formatJson, printReport } from '../../output.js'
import {
  IMAGE_HEADERS, IMAGE_REPORTER_FIELDS, imageReporters, imageSummary, imagesJson, imagesTableFormat, sortImageRows, type ImageReporter,
} from '../../../engine/views/images.js'
import { compileImageFilters } from '../../../engine/views/image-filters.js'
import { hasTable, isJsonFormat } from '../../../format/report.js'
import { InvalidArgumentError } from '../../../engine/errors.js'

const SORT_KEYS = ['created', 'id', 'repository', 'size', 'tag']

export class ImagesCommand extends TspodCommand {
  static paths = [['images'], ['image', 'ls'], ['image', 'list']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'List images in local storage',
    details: `
      Lists every image with each of its names on a row of its own; an image without a name (replaced by a newer pull of its tag) shows as \`<none>\`.

      Filters (\`--filter key=value\`, or \`key!=value\` to negate): reference (a name, with \`*\` globs), dangling, label, before, since, until, id, containers. Several values of one key match any of them; different keys must all match.

      \`--format\` takes a Go template over podman's fields (.ID, .Repository, .Tag, .Digest, .Created, .CreatedAt, .Size, .Labels, .Names, .Containers, …), \`table …\` for a header row, or \`json\`.
    `,
    examples: [
      ['List images', '$0 images'],
      ['Only the IDs', '$0 images -q'],
      ['Names and IDs with a template', "$0 images --format '{{.Repository}}:{{.Tag}} {{.ID}}'"],
      ['Untagged images', '$0 images --filter dangling=true'],
      ['As JSON', '$0 images --format json'],
    ],
  })

  all = Option.Boolean('-a,--all', false, { description: 'Show all images (tspod keeps no intermediate images)' })
  filter = Option.Array('-f,--filter', [], { description: 'Filter output based on conditions provided' })
  format = Option.String('--format', { description: 'Change the output format to JSON or a Go template' })
  digests = Option.Boolean('--digests', false, { description: 'Show digests' })
  noHeading = Option.Boolean('-n,--noheading', false, { description: 'Do not print column headings' })
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'Do not truncate output' })
  quiet = Option.Boolean('-q,--quiet', false, { description: 'Display only image IDs' })
  sort = Option.String('--sort', { description: `Sort by ${SORT_KEYS.join(', ')} (default created)` })
  history = Option.Boolean('--history', false, { description: 'Display the image name history' })
  reference = Option.String({ required: false, name: 'IMAGE' })

  async run(): Promise<number> {
    if (this.filter.length > 0 && this.reference !== undefined) throw new InvalidArgumentError('cannot specify an image and a filter(s)')
    if (this.sort !== undefined && !SORT_KEYS.includes(this.sort)) {
      throw new InvalidArgumentError(`"${this.sort}" is not a valid field for sorting. Choose from: ${SORT_KEYS.join(', ')}`)
    }
    const filters = this.reference !== undefined ? [`reference=${this.reference}`] : this.filter
    const engine = await this.engine()
    const images = engine.images.list()
    // Labels cost a read per image, container counts one per container: only when the output or a filter may use them.
    const mayShow = (field: string) => this.format !== undefined && (isJsonFormat(this.format) || new RegExp(`\\b(${field}|ImageSummary)\\b|[{\\s(]\\.\\s*-?[})]`).test(this.format))
    const needLabels = mayShow('Labels') || filters.some(f => /^label!?=/.test(f))
    const needUsers = mayShow('Containers') || filters.some(f => /^containers!?=/.test(f))
    const users = new Map<string, number>()
    if (needUsers) for (const c of await engine.containerStore.list()) users.set(c.record.imageId, (users.get(c.record.imageId) ?? 0) + 1)
    const subjects = await Promise.all(
      images.map(async image => ({ image, labels: needLabels ? ((await engine.images.config(image.id)).Labels ?? {}) : {}, containers: users.get(image.id) ?? 0 })),
    )
    const match = compileImageFilters(filters, { lookup: ref => engine.images.get(ref) })
    let rows: ImageReporter[] = []
    const now = Date.now()
    for (const s of subjects.filter(match)) {
      rows.push(...imageReporters(imageSummary(s.image, { labels: s.labels, containers: s.containers }), { noTrunc: this.noTrunc, now }))
    }
    rows = sortImageRows(rows, this.sort ?? 'created')

    if (this.format !== undefined && isJsonFormat(this.format)) {
      this.out(formatJson(imagesJson(rows), { indent: '    ', jsoniter: true }))
      return 0
    }
    if (this.quiet) {
      this.out([...new Set(rows.map(r => r.ID))].map(id => `${id}\n`).join(''))
      return 0
    }
    printReport(this.context.stdout, this.format, rows, {
      name: 'images',
      table: imagesTableFormat({ digests: this.digests, history: this.history }),
      headers: IMAGE_HEADERS,
      fields: IMAGE_REPORTER_FIELDS,
      noHeading: this.noHeading || (this.format !== undefined && !hasTable(this.format)),
    })
    return 0
  }
}
