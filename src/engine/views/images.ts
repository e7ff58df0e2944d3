/**
 * Images as `podman images` shows them (podman 4.3): ImageSummary
 * (pkg/domain/entities) per image, and imageReporter rows — one per
 * repository:tag, `<none>` for an untagged image — that embed it. The
 * reporter's methods shadow summary fields: `{{.ID}}` is the short ID,
 * `{{.Created}}` "2 years ago", `{{.Size}}` "2.13 MB", `{{.History}}` the
 * names history joined by ", ".
 */
import type { ImageRecord } from '../../image/store/images.js'
import { parseNormalizedReference } from '../../image/reference.js'
import { GoTime } from '../../format/template/index.js'
import { humanDuration } from '../../format/human-time.js'
import { imageSize } from '../../format/units.js'
import { embed, stringMap, tagged } from './go-values.js'

/** ImageSummary's fields, in declaration order (headers come from them and the reporter's own two). */
export const IMAGE_SUMMARY_FIELDS = [
  'ID', 'ParentId', 'RepoTags', 'RepoDigests', 'Created', 'Size', 'SharedSize', 'VirtualSize', 'Labels', 'Containers',
  'ReadOnly', 'Dangling', 'Names', 'Digest', 'History',
] as const
export const IMAGE_REPORTER_FIELDS = ['Repository', 'Tag', ...IMAGE_SUMMARY_FIELDS] as const
export const IMAGE_HEADERS: Record<string, string> = { ID: 'IMAGE ID', ReadOnly: 'R/O' }

export interface ImageFacts {
  /** The config's Labels. */
  labels?: Record<string, string>
  /** How many containers use the image. */
  containers?: number
}

/** Seconds since the epoch of the image's creation (config `created`, else when it was stored). */
export function createdSeconds(image: ImageRecord): number {
  const t = Date.parse(image.created ?? image.added)
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000)
}

export type ImageSummary = ReturnType<typeof imageSummary>

/** entities.ImageSummary */
export function imageSummary(image: ImageRecord, facts: ImageFacts = {}) {
  return tagged(
    'entities.ImageSummary',
    {
      ID: image.id,
      ParentId: '',
      RepoTags: image.names,
      RepoDigests: repoDigests(image),
      Created: createdSeconds(image),
      Size: image.size,
      SharedSize: 0,
      VirtualSize: image.size,
      Labels: stringMap(facts.labels),
      Containers: facts.containers ?? 0,
      ReadOnly: false,
      Dangling: image.names.length === 0,
      Names: image.names,
      Digest: image.indexDigest ?? image.manifestDigest,
      // podman's names history, newest first; tspod keeps only current names.
      History: [...image.names].reverse(),
    },
    { ID: 'Id', ReadOnly: ',omitempty', Dangling: ',omitempty', Names: ',omitempty', Digest: ',omitempty', History: ',omitempty' },
  )
}

/** cmd/podman/images/list.go imageReporter. */
export class ImageReporter {
  readonly Repository: string
  readonly Tag: string
  readonly ImageSummary: ImageSummary
  readonly #noTrunc: boolean
  readonly #now: number

  constructor(repository: string, tag: string, summary: ImageSummary, opts: { noTrunc?: boolean; now?: number } = {}) {
    this.Repository = repository
    this.Tag = tag
    this.ImageSummary = summary
    this.#noTrunc = opts.noTrunc ?? false
    this.#now = opts.now ?? Date.now()
  }

  get ID(): string {
    const id = this.ImageSummary.ID
    return !this.#noTrunc && id.length >= 12 ? id.slice(0, 12) : `sha256:${id}`
  }
  get Created(): string {
    return `${humanDuration(this.#now - this.ImageSummary.Created * 1000)} ago`
  }
  get Size(): string {
    return imageSize(this.ImageSummary.Size)
  }
  get History(): string {
    return this.ImageSummary.History.join(', ')
  }
  get CreatedAt(): string {
    return new GoTime(this.ImageSummary.Created, 0, 'UTC').toString()
  }
  get CreatedSince(): string {
    return this.Created
  }
  get CreatedTime(): string {
    return this.CreatedAt
  }
  // *ImageSummary's methods: rows are addressable slice elements, so templates reach them.
  get Id(): string {
    return this.ImageSummary.ID
  }
  get IsReadOnly(): boolean {
    return this.ImageSummary.ReadOnly
  }
  get IsDangling(): boolean {
    return this.ImageSummary.Dangling
  }
  toJSON(): unknown {
    const summary = (this.ImageSummary as unknown as { toJSON(): object }).toJSON()
    return { ...(this.Repository ? { repository: this.Repository } : {}), ...(this.Tag ? { tag: this.Tag } : {}), ...summary }
  }
}
embed(ImageReporter, 'ImageSummary', IMAGE_SUMMARY_FIELDS, 'images.imageReporter')

/** tokenRepoTag: repository and tag of a stored name. */
export function repoTag(name: string): [string, string] {
  if (name === '<none>:<none>') return ['<none>', '<none>']
  try {
    const ref = parseNormalizedReference(name)
    return [ref.name, ref.tag ?? '<none>']
  } catch {
    return ['<none>', '<none>']
  }
}

/** sortImages: a row per tagged name (or one `<none>` row), as podman lists them. */
export function imageReporters(summary: ImageSummary, opts: { noTrunc?: boolean; now?: number } = {}): ImageReporter[] {
  if (summary.RepoTags.length === 0) return [new ImageReporter('<none>', '<none>', summary, opts)]
  const tagged: ImageReporter[] = []
  const untagged: ImageReporter[] = []
  for (const name of summary.RepoTags) {
    const [repo, tag] = repoTag(name)
    ;(tag === '<none>' ? untagged : tagged).push(new ImageReporter(repo, tag, summary, opts))
  }
  return tagged.length > 0 ? tagged : untagged.slice(0, 1)
}

export const IMAGE_SORT_KEYS = ['created', 'id', 'repository', 'size', 'tag'] as const

/** sortFunc: newest first by default. */
export function sortImageRows(rows: ImageReporter[], key: string): ImageReporter[] {
  const cmp = <T>(f: (r: ImageReporter) => T) => (a: ImageReporter, b: ImageReporter) => {
    const x = f(a)
    const y = f(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  const compare: Record<string, (a: ImageReporter, b: ImageReporter) => number> = {
    id: cmp(r => r.ID),
    repository: cmp(r => r.Repository),
    size: cmp(r => r.ImageSummary.Size),
    tag: cmp(r => r.Tag),
    created: (a, b) => b.ImageSummary.Created - a.ImageSummary.Created,
  }
  return [...rows].sort(compare[key] ?? compare.created)
}

/** `images --format json`: each row's summary with RepoTags nil, Created in seconds and CreatedAt in RFC 3339. */
export function imagesJson(rows: readonly ImageReporter[]): unknown[] {
  return rows.map(r => {
    const fields = (r.ImageSummary as unknown as { toJSON(): Record<string, unknown> }).toJSON()
    const { Created: _c, ...rest } = fields
    const created = new GoTime(r.ImageSummary.Created, 0, 'UTC')
    return { ...rest, RepoTags: null, Created: r.ImageSummary.Created, CreatedAt: created.toJSON() }
  })
}

/** podman's default `images` row (lsFormatFromFlags). */
export function imagesTableFormat(opts: { digests?: boolean; history?: boolean } = {}): string {
  const row = ['{{if .Repository}}{{.Repository}}{{else}}<none>{{end}}', '{{if .Tag}}{{.Tag}}{{else}}<none>{{end}}']
  if (opts.digests) row.push('{{.Digest}}')
  row.push('{{.ID}}', '{{.Created}}', '{{.Size}}')
  if (opts.history) row.push('{{if .History}}{{.History}}{{else}}<none>{{end}}')
  return row.join('\t')
}


/**
 * libimage RepoDigests: every repository the image is named in, with every
 * digest it is known by (manifest, index), sorted; an image without names
 * keeps the digests it was pulled by.
 */
export function repoDigests(image: ImageRecord): string[] {
  if (image.names.length === 0) return [...image.repoDigests]
  const digests = [...new Set([image.manifestDigest, ...(image.indexDigest ? [image.indexDigest] : []), ...image.repoDigests.map(d => d.slice(d.indexOf('@') + 1))])]
  const out = new Set<string>()
  for (const name of image.names) {
    const [repo] = repoTag(name)
    if (repo === '<none>') continue
    for (const d of digests) out.add(`${repo}@${d}`)
  }
  return [...out].sort()
}
