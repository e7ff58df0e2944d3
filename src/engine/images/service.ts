/**
 * Images, as the CLI and library see them: list, look up, tag, remove, pull.
 * Each method takes one options object and returns reports; the stores below
 * do the file work.
 */
import type { Engine } from '../engine.js'
import type { ImageRecord } from '../../image/store/images.js'
import { parseLocalName } from '../../image/reference.js'
import { findImage, getImage, matchingName } from './lookup.js'
import { TspodError } from '../errors.js'
import type { ImageConfig } from '../../runtime/spec/types.js'
import { collectGarbage } from './gc.js'
import type { PullOptions, PullReport } from './pull.js'

export interface RemoveImagesOptions {
  force?: boolean
  all?: boolean
  /** Ids of containers using each image, provided by the container service. */
  usedBy?: (imageId: string) => Promise<string[]>
  /** Removes containers (for `rmi -f` of an image in use). */
  removeContainers?: (ids: string[]) => Promise<void>
}

/** One line of `rmi` output: podman prints Untagged/Deleted lines per image. */
export interface RemoveImageReport {
  input: string
  untagged: string[]
  deleted?: string
  error?: TspodError
}

/** rmi's exit status 2 (podman's storage.ErrImageUsedByContainer). */
export class ImageInUseError extends TspodError {
  constructor(readonly containerId: string) {
    super('failed-precondition', `image used by ${containerId}: image is in use by a container: consider listing external containers and force-removing image`)
  }
}

export class ImageService {
  constructor(private readonly engine: Engine) {}

  list(): ImageRecord[] {
    return this.engine.imageStore.list()
  }

  find(input: string): ImageRecord | undefined {
    return findImage(this.list(), input)
  }

  get(input: string): ImageRecord {
    return getImage(this.list(), input)
  }

  /** The `config` section of an image's configuration (Env, Cmd, Labels, ...). */
  async config(input: string): Promise<ImageConfig> {
    const image = this.get(input)
    const doc = JSON.parse((await this.engine.content.read(image.configDigest)).toString('utf8')) as { config?: ImageConfig }
    return doc.config ?? {}
  }

  /** Registry code is only loaded by commands that pull. */
  async pull(name: string, options: PullOptions = {}): Promise<PullReport> {
    const { pullImage } = await import('./pull.js')
    return pullImage(this.engine, name, options)
  }

  /** Add `target` as a name of the image `source` refers to (moving it from any other image). */
  async tag(source: string, targets: string[]): Promise<void> {
    const names = targets.map(t => parseLocalName(t))
    for (const n of names) {
      if (n.digest) throw new TspodError('invalid-argument', `tag ${n.toString()}: tag by digest not supported`)
    }
    const full = names.map(n => n.toString())
    await this.engine.imageStore.update(images => {
      const image = getImage(images, source)
      const taken = new Set(full)
      const next = images.map(i =>
        i.id === image.id
          ? { ...i, names: [...new Set([...i.names, ...full])] }
          : { ...i, names: i.names.filter(n => !taken.has(n)) },
      )
      return { images: next, result: undefined }
    })
  }

  /** Remove names; with none given, every name of the image (podman's `untag`). */
  async untag(input: string, targets: string[]): Promise<void> {
    await this.engine.imageStore.update(images => {
      const image = getImage(images, input)
      const drop = new Set(
        targets.length === 0
          ? image.names
          : targets.map(t => {
              const name = matchingName(image, t) ?? parseLocalName(t).toString()
              if (!image.names.includes(name)) throw new TspodError('not-found', `${name}: tag not known`)
              return name
            }),
      )
      const next = images.map(i => (i.id === image.id ? { ...i, names: i.names.filter(n => !drop.has(n)) } : i))
      return { images: next, result: undefined }
    })
  }

  /**
   * `rmi`: by name, an image with other names only loses that name; by ID, or
   * its last name, it is deleted with the layers nothing else uses. Images in
   * use by containers need `force`, which removes those containers too.
   */
  async remove(inputs: string[], options: RemoveImagesOptions = {}): Promise<RemoveImageReport[]> {
    const targets = options.all ? this.list().map(i => i.id) : inputs
    const reports: RemoveImageReport[] = []
    for (const input of targets) {
      const report: RemoveImageReport = { input, untagged: [] }
      reports.push(report)
      try {
        const image = this.get(input)
        // podman's order: a name of an image that has others is only untagged
        // (containers or -f notwithstanding); by ID, several names need -f;
        // then containers using it need -f, which removes them too.
        const byName = matchingName(image, input)
        if (!options.all && byName !== undefined && image.names.length > 1) {
          await this.untag(image.id, [byName])
          report.untagged.push(byName)
          continue
        }
        if (byName === undefined && image.names.length > 1 && !options.force && !options.all) {
          throw new TspodError(
            'failed-precondition',
            `unable to delete image "${image.id}" by ID with more than one tag ([${image.names.join(' ')}]): please force removal`,
          )
        }
        const users = (await options.usedBy?.(image.id)) ?? []
        if (users.length > 0 && !options.force) {
          throw new ImageInUseError(users[0]!)
        }
        if (users.length > 0) await options.removeContainers?.(users)
        await this.engine.imageStore.update(images => {
          const current = images.find(i => i.id === image.id)
          if (current) report.untagged.push(...current.names)
          return { images: images.filter(i => i.id !== image.id), result: undefined }
        })
        report.deleted = image.id
      } catch (err) {
        report.error = err instanceof TspodError ? err : new TspodError('internal', String((err as Error)?.message ?? err))
      }
    }
    if (reports.some(r => r.deleted)) await collectGarbage(this.engine)
    return reports
  }

  async close(): Promise<void> {}
}
