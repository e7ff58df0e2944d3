/**
 * Images as podman shows them: `images` rows (one per name, `<none>` for a
 * dangling image) with podman's template field names, and the summary JSON
 * of `images --format json`.
 */
import type { ImageRecord } from '../../image/store/images.js'
import { GoTime, goMap, goStruct } from '../../format/template/index.js'
import { imageSize } from '../../format/units.js'
import { secondsAgo } from '../../format/human-time.js'

export interface ImageRow {
  ID: string
  Repository: string
  Tag: string
  Digest: string
  Created: string
  CreatedSince: string
  CreatedAt: string
  CreatedTime: GoTime
  Size: string
  VirtualSize: string
  Labels: Map<string, string>
  Names: string[]
  Containers: number
  ReadOnly: boolean
  Dangling: boolean
  History: string[]
}

/** The fields of an `images` row, for headers when there are no rows. */
export const IMAGE_FIELDS = [
  'ID', 'Repository', 'Tag', 'Digest', 'Created', 'CreatedSince', 'CreatedAt', 'CreatedTime', 'Size', 'VirtualSize',
  'Labels', 'Names', 'Containers', 'ReadOnly', 'Dangling', 'History',
] as const

function createdMs(image: ImageRecord): number {
  const t = Date.parse(image.created ?? image.added)
  return Number.isNaN(t) ? 0 : t
}

function splitName(name: string): { repository: string; tag: string } {
  const at = name.lastIndexOf(':')
  const slash = name.lastIndexOf('/')
  return at > slash ? { repository: name.slice(0, at), tag: name.slice(at + 1) } : { repository: name, tag: '<none>' }
}

/** One row per name (podman lists each repo:tag), `<none>`/`<none>` for dangling images. */
export function imageRows(
  image: ImageRecord,
  opts: { noTrunc?: boolean; labels?: Record<string, string>; containers?: number; now?: number } = {},
): ImageRow[] {
  const created = createdMs(image)
  const names = image.names.length > 0 ? image.names : ['<none>:<none>']
  return names.map(name => {
    const { repository, tag } = name === '<none>:<none>' ? { repository: '<none>', tag: '<none>' } : splitName(name)
    const row: ImageRow = {
      ID: opts.noTrunc ? `sha256:${image.id}` : image.id.slice(0, 12),
      Repository: repository,
      Tag: tag,
      Digest: image.indexDigest ?? image.manifestDigest,
      Created: secondsAgo(created, opts.now),
      CreatedSince: secondsAgo(created, opts.now),
      CreatedAt: GoTime.fromDate(Math.floor(created / 1000) * 1000).toString(),
      CreatedTime: GoTime.fromDate(created),
      Size: imageSize(image.size),
      VirtualSize: imageSize(image.size),
      Labels: new Map(Object.entries(opts.labels ?? {})),
      Names: image.names,
      Containers: opts.containers ?? 0,
      ReadOnly: false,
      Dangling: image.names.length === 0,
      History: image.names,
    }
    return goStruct('images.imageReporter', row)
  })
}

/** podman's entities.ImageSummary (`images --format json`). */
export function imageSummary(image: ImageRecord, opts: { labels?: Record<string, string>; containers?: number } = {}) {
  const created = createdMs(image)
  return {
    Id: image.id,
    ParentId: '',
    RepoTags: image.names,
    RepoDigests: image.repoDigests,
    Size: image.size,
    SharedSize: 0,
    VirtualSize: image.size,
    Labels: goMap({ ...(opts.labels ?? {}) }),
    Containers: opts.containers ?? 0,
    Names: image.names,
    Digest: image.indexDigest ?? image.manifestDigest,
    History: image.names,
    Created: Math.floor(created / 1000),
    CreatedAt: new Date(created).toISOString(),
  }
}
