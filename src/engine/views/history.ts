/**
 * `history` in podman 4.3's shape: one entry per history item of the image
 * config, newest first (libimage Image.History), each with the layer it
 * made (its uncompressed size), the image ID on the top entry and on any
 * layer that is another image's top, `<missing>` elsewhere — and the
 * historyReporter row that templates see (`.ID`, `.Created`, `.CreatedBy`,
 * `.Size`, `.Comment`, `.Tags`, `.CreatedAt`, `.CreatedSince`).
 */
import type { ImageRecord } from '../../image/store/images.js'
import type { ImageConfig as OciConfigFile } from '../../image/registry/image-config.js'
import { GoTime } from '../../format/template/index.js'
import { humanDuration } from '../../format/human-time.js'
import { imageSize } from '../../format/units.js'
import { embed, tagged } from './go-values.js'

export const HISTORY_LAYER_FIELDS = ['ID', 'Created', 'CreatedBy', 'Tags', 'Size', 'Comment'] as const

export type HistoryLayer = ReturnType<typeof historyLayer>

function historyLayer(l: { id: string; created: GoTime; createdBy: string; tags: string[]; size: number; comment: string }) {
  return tagged(
    'entities.ImageHistoryLayer',
    { ID: l.id, Created: l.created, CreatedBy: l.createdBy, Tags: l.tags, Size: l.size, Comment: l.comment },
    { ID: 'id', Created: 'created,omitempty', CreatedBy: ',omitempty', Tags: 'tags,omitempty', Size: 'size', Comment: 'comment,omitempty' },
  )
}

/** The history of `image`; `images` are all local images (a layer that tops another image gets its ID). */
export function imageHistory(image: ImageRecord, config: OciConfigFile, images: readonly ImageRecord[]): HistoryLayer[] {
  const topOf = new Map<string, string>()
  for (const i of images) {
    const top = i.layers[i.layers.length - 1]
    if (top && !topOf.has(top.chainId)) topOf.set(top.chainId, i.id)
  }
  const used = new Set<string>()
  const entries = config.history ?? []
  let layerIndex = image.layers.length - 1
  const out: HistoryLayer[] = []
  for (let x = entries.length - 1; x >= 0; x--) {
    const h = entries[x]!
    let id = x === entries.length - 1 ? image.id : '<missing>'
    let size = 0
    const layer = layerIndex >= 0 ? image.layers[layerIndex] : undefined
    if (layer) {
      if (!h.empty_layer) size = layer.size
      const owner = topOf.get(layer.chainId)
      if (owner && !used.has(owner)) {
        id = owner
        used.add(owner)
      }
      if (!h.empty_layer) layerIndex--
    }
    let created = GoTime.zero()
    try {
      if (h.created) created = GoTime.parse(h.created)
    } catch {}
    out.push(historyLayer({ id, created, createdBy: h.created_by ?? '', tags: [], size, comment: h.comment ?? '' }))
  }
  return out
}

/** cmd/podman/images/history.go historyReporter. */
export class HistoryReporter {
  readonly ImageHistoryLayer: HistoryLayer
  readonly #opts: { human: boolean; noTrunc: boolean; now: number }

  constructor(layer: HistoryLayer, opts: { human?: boolean; noTrunc?: boolean; now?: number } = {}) {
    this.ImageHistoryLayer = layer
    this.#opts = { human: opts.human ?? true, noTrunc: opts.noTrunc ?? false, now: opts.now ?? Date.now() }
  }

  get Created(): string {
    const c = this.ImageHistoryLayer.Created
    return this.#opts.human ? `${humanDuration(this.#opts.now - c.valueOf())} ago` : c.Format('2006-01-02T15:04:05Z07:00')
  }
  get Size(): string {
    return imageSize(this.ImageHistoryLayer.Size)
  }
  get CreatedBy(): string {
    const by = this.ImageHistoryLayer.CreatedBy
    return !this.#opts.noTrunc && by.length > 45 ? `${by.slice(0, 42)}...` : by
  }
  get ID(): string {
    const id = this.ImageHistoryLayer.ID
    return !this.#opts.noTrunc && id.length >= 12 ? id.slice(0, 12) : id
  }
  get CreatedAt(): string {
    return new GoTime(Math.floor(this.ImageHistoryLayer.Created.valueOf() / 1000), 0, 'UTC').toString()
  }
  get CreatedSince(): string {
    return this.Created
  }
  toJSON(): unknown {
    return this.ImageHistoryLayer
  }
}
embed(HistoryReporter, 'ImageHistoryLayer', HISTORY_LAYER_FIELDS, 'images.historyReporter')

/** `history --format json`: compact, each layer with an extra RFC 3339 "Created". */
export function historyJson(layers: readonly HistoryLayer[]): unknown[] {
  return layers.map(l => ({ ...(l as unknown as { toJSON(): object }).toJSON(), Created: l.Created.Format('2006-01-02T15:04:05Z07:00') }))
}
