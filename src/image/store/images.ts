/**
 * Image records: which config, manifest and layer stack an image is, and the
 * names pointing at it. One JSON file (`images.json`) replaced atomically under
 * `images.lock`; readers never lock, since a rename is all-or-nothing.
 * A name belongs to one image at a time: tagging or pulling moves it, and an
 * image left with no names is "dangling" (`<none>` in listings), as in podman.
 */
import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { writeJsonAtomic } from '../../util/atomic.js'
import { withLock } from '../../util/lock.js'
import type { Digest } from '../digest.js'

export interface ImageLayer {
  chainId: Digest
  diffId: Digest
  /** Compressed blob digest and size as the manifest lists them. */
  digest: Digest
  mediaType: string
  compressedSize: number
  /** Uncompressed size. */
  size: number
}

export interface ImageRecord {
  /** Config digest hex: the image ID, as in podman and docker. */
  id: string
  configDigest: Digest
  manifestDigest: Digest
  manifestMediaType: string
  /** Digest of the index/manifest list the manifest was chosen from, if any. */
  indexDigest?: Digest
  /** Fully qualified `registry/repo:tag` names. */
  names: string[]
  /** `registry/repo@sha256:…` digests this image is known by. */
  repoDigests: string[]
  layers: ImageLayer[]
  /** Sum of uncompressed layer sizes plus config size (podman's Size). */
  size: number
  /** `created` from the image config (RFC 3339), if any. */
  created?: string
  /** When this store got the image. */
  added: string
  os: string
  architecture: string
  variant?: string
}

interface ImagesFile {
  version: 1
  images: ImageRecord[]
}

export class ImageStore {
  readonly file: string
  readonly lockFile: string

  constructor(readonly root: string) {
    this.file = join(root, 'images.json')
    this.lockFile = join(root, 'images.lock')
  }

  list(): ImageRecord[] {
    try {
      return (JSON.parse(readFileSync(this.file, 'utf8')) as ImagesFile).images
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
  }

  get(id: string): ImageRecord | undefined {
    return this.list().find(i => i.id === id)
  }

  /**
   * Lock, reload, change, save. `change` gets the current list and returns the
   * new one (or throws to abort without writing).
   */
  async update<T>(change: (images: ImageRecord[]) => { images: ImageRecord[]; result: T }): Promise<T> {
    await mkdir(this.root, { recursive: true, mode: 0o700 })
    return withLock(this.lockFile, async () => {
      const { images, result } = change(this.list())
      const file: ImagesFile = { version: 1, images }
      await writeJsonAtomic(this.file, file)
      return result
    })
  }

  /** Add an image or merge into the existing record; its names move to it. */
  put(record: ImageRecord): Promise<ImageRecord> {
    return this.update(images => {
      const taken = new Set(record.names)
      const others = images
        .filter(i => i.id !== record.id)
        .map(i => ({ ...i, names: i.names.filter(n => !taken.has(n)) }))
      const existing = images.find(i => i.id === record.id)
      const merged: ImageRecord = existing
        ? {
            ...existing,
            names: unique([...existing.names, ...record.names]),
            repoDigests: unique([...existing.repoDigests, ...record.repoDigests]),
          }
        : record
      return { images: [...others, merged], result: merged }
    })
  }
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)]
}
