import { trace } from '../../util/trace.js'
/**
 * `pull`: download every blob into the content store, verifying it, and
 * unpack each layer *while* it downloads — the bytes go to the blob file and
 * to the unpacker (see unpacker.ts) at once. A layer is committed only when
 * both its blob digest and its diff ID check out; then the image is recorded.
 *
 * The pull holds the layer lock shared from start to finish; garbage
 * collection takes it exclusively, so it never deletes a layer a pull is
 * about to use.
 */
import { existsSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Engine } from '../engine.js'
import { TspodError } from '../errors.js'
import { chainIds, type Digest } from '../../image/digest.js'
import { fetchImage } from '../../image/fetch/fetch-image.js'
import type { ImageConfig } from '../../image/registry/image-config.js'
import type { ContentStore, ContentWriter } from '../../image/store/content.js'
import type { ImageLayer, ImageRecord } from '../../image/store/images.js'
import type { LayerRecord } from '../../image/store/layers.js'
import { acquireLock } from '../../util/lock.js'
import type { ImageReference } from '../../image/reference.js'
import { log } from '../../util/log.js'
import type { Credentials } from '../../image/auth-file.js'
import type { PullProgress } from '../../image/fetch/fetch-image.js'
import { openUnpacker, type LayerFeed, type Unpacker } from './unpacker.js'
import { removeDebris } from './gc.js'

export interface PullOptions {
  /** `os/arch[/variant]`; default: this host. */
  platform?: string
  tlsVerify?: boolean
  /** `--creds user:password`. */
  credentials?: Credentials
  onProgress?: (event: PullEvent) => void
  signal?: AbortSignal
}

export type PullEvent = PullProgress | { type: 'unpacked'; digest: Digest } | { type: 'writing-manifest' }

export interface PullReport {
  image: ImageRecord
  /** The fully qualified name pulled. */
  name: string
}

/** One layer's unpack: following its download, or from the stored blob. */
interface Unpacking {
  staging: string
  result: Promise<{ diffId: Digest; size: number }>
}

/** Announce download progress to the unpacker every this many bytes. */
const GROW_STEP = 1 << 20

export async function pullImage(engine: Engine, name: string, options: PullOptions = {}): Promise<PullReport> {
  // Started first: the worker's start-up overlaps the registry round trips.
  const unpacker = await openUnpacker(() => engine.userNamespace(), engine.paths.runRoot)
  trace('pull: unpacker opened')
  const lock = await acquireLock(engine.layers.lockFile, { shared: true })
  const unpacking = new Map<Digest, Unpacking>()
  // Layer blobs about to be downloaded (from the `start` event): their writers are teed to an unpacker.
  const streamed = new Map<Digest, string>()
  try {
    const content = followedContentStore(engine.content, (digest, size, writer) => {
      const mediaType = streamed.get(digest)
      if (mediaType === undefined || unpacking.has(digest)) return writer
      const { unpack, feed } = startUnpack(engine, unpacker, digest, writer.ingestPath, size, mediaType)
      unpacking.set(digest, unpack)
      return announcingWriter(writer, feed, d => engine.content.blobPath(d))
    })
    const fetched = await fetchImage(name, {
      content,
      platform: options.platform,
      tlsVerify: options.tlsVerify,
      auth: options.credentials,
      signal: options.signal,
      onProgress: event => {
        if (event.type === 'start' || event.type === 'done') trace(`pull: ${event.type} ${event.role} ${event.digest.slice(7, 15)}`)
        if (event.type === 'start' && event.role === 'layer') streamed.set(event.digest, event.mediaType)
        options.onProgress?.(event)
      },
      onLayerCommitted: async (layer, _signal, config) => {
        // A blob that was already stored was not streamed: unpack it from the file, unless the layer exists.
        if (unpacking.has(layer.digest) || engine.layers.has(chainOf(config, layer.index))) return
        const { unpack, feed } = startUnpack(engine, unpacker, layer.digest, engine.content.blobPath(layer.digest), layer.size, layer.mediaType)
        feed.grow(layer.size)
        feed.moved(engine.content.blobPath(layer.digest))
        unpacking.set(layer.digest, unpack)
      },
    })
    const chains = chainIds(fetched.config.rootfs.diff_ids)
    const layers: ImageLayer[] = []
    for (const [i, desc] of fetched.layers.entries()) {
      const size = await commitLayer(engine, unpacker, fetched.config, i, desc.digest, unpacking.get(desc.digest))
      options.onProgress?.({ type: 'unpacked', digest: desc.digest })
      layers.push({ chainId: chains[i]!, diffId: desc.diffId, digest: desc.digest, mediaType: desc.mediaType, compressedSize: desc.size, size })
    }
    trace('pull: committed')
    options.onProgress?.({ type: 'writing-manifest' })
    const configSize = (await engine.content.info(fetched.configDigest))?.size ?? 0
    const ref = fetched.reference
    const record: ImageRecord = {
      id: fetched.configDigest.slice('sha256:'.length),
      configDigest: fetched.configDigest,
      manifestDigest: fetched.manifestDigest,
      manifestMediaType: fetched.manifestMediaType,
      ...(fetched.index ? { indexDigest: fetched.index.digest } : {}),
      names: [recordedName(ref)],
      repoDigests: [...(fetched.index ? [`${ref.name}@${fetched.index.digest}`] : []), `${ref.name}@${fetched.manifestDigest}`],
      layers,
      size: layers.reduce((sum, l) => sum + l.size, configSize),
      ...(fetched.config.created ? { created: fetched.config.created } : {}),
      added: new Date().toISOString(),
      os: fetched.config.os,
      architecture: fetched.config.architecture,
      ...(fetched.config.variant ? { variant: fetched.config.variant } : {}),
    }
    return { image: await engine.imageStore.put(record), name: ref.toString() }
  } finally {
    // Whatever was not committed is removed: failed unpacks, and in a failed
    // pull also the ones that succeeded (committed ones were renamed away).
    await Promise.all([...unpacking.values()].map(u => u.result.catch(() => {})))
    const left = [...unpacking.values()].map(u => u.staging).filter(p => existsSync(p))
    await unpacker.remove(left).catch(() => {})
    await unpacker.close()
    await lock.release()
    // What an earlier pull killed half-way left (it never became visible).
    await removeDebris(engine).catch(err => log.debug(`removing debris of interrupted pulls: ${(err as Error).message}`))
  }
}

/**
 * The name a pull gives its image, as podman records it: `repo:tag`, or
 * `repo@digest` when pulled by digest. With tag *and* digest the digest was
 * pulled and the tag is dropped: the registry's tag may point at other content.
 */
function recordedName(ref: ImageReference): string {
  if (ref.digest !== undefined) return ref.nameOnly().withDigest(ref.digest).toString()
  return ref.nameOnly().withTag(ref.tag ?? 'latest').toString()
}

function chainOf(config: ImageConfig, index: number): Digest {
  return chainIds(config.rootfs.diff_ids.slice(0, index + 1))[index]!
}

function startUnpack(
  engine: Engine,
  unpacker: Unpacker,
  digest: Digest,
  path: string,
  size: number,
  mediaType: string,
): { unpack: Unpacking; feed: LayerFeed } {
  const staging = join(engine.layers.dir, `.staging-${digest.slice(7, 19)}-${process.pid}-${Math.random().toString(16).slice(2, 10)}`)
  const feed = unpacker.unpack(path, size, mediaType, join(staging, 'diff'))
  const result = feed.result.then(r => {
    for (const warning of r.warnings) log.warn(warning)
    return { diffId: r.diffId, size: r.size }
  })
  result.catch(() => {}) // awaited by commitLayer; failures also clean up in pullImage
  return { unpack: { staging, result }, feed }
}

/**
 * Make layer `index` part of the layer store (its diff ID checked against the
 * config); returns its uncompressed size. A layer another pull committed
 * first is kept and ours dropped.
 */
async function commitLayer(engine: Engine, unpacker: Unpacker, config: ImageConfig, index: number, blobDigest: Digest, unpacking: Unpacking | undefined): Promise<number> {
  const chainId = chainOf(config, index)
  const existing = engine.layers.get(chainId)
  if (!unpacking) {
    if (existing) return existing.size
    throw new Error(`internal: layer ${index} (${blobDigest}) was neither stored nor unpacked`)
  }
  const { diffId, size } = await unpacking.result
  const expected = config.rootfs.diff_ids[index]!
  if (diffId !== expected) {
    throw new TspodError('data-loss', `layer ${index} (${blobDigest}): diff ID mismatch: the config says ${expected}, the layer is ${diffId}`)
  }
  if (existing) {
    await unpacker.remove([unpacking.staging])
    return existing.size
  }
  const receipt: LayerRecord = { chainId, diffId, blobDigest, size, created: new Date().toISOString() }
  await writeFile(join(unpacking.staging, 'layer.json'), JSON.stringify(receipt, null, 2) + '\n')
  try {
    await rename(unpacking.staging, engine.layers.layerDir(chainId))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err
    await unpacker.remove([unpacking.staging])
  }
  return size
}

/** A content store whose writers can be wrapped (to let an unpacker follow a download). */
function followedContentStore(store: ContentStore, wrap: (digest: Digest, size: number, writer: ContentWriter) => ContentWriter): ContentStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'writer') {
        return async (digest: Digest, size: number) => wrap(digest, size, await target.writer(digest, size))
      }
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** Tells the unpacker how far the blob file has grown, every GROW_STEP bytes and at the end. */
function announcingWriter(writer: ContentWriter, feed: LayerFeed, blobPath: (digest: Digest) => string): ContentWriter {
  let announced = 0
  return {
    get written() {
      return writer.written
    },
    ingestPath: writer.ingestPath,
    async write(chunk: Uint8Array) {
      await writer.write(chunk)
      if (writer.written - announced >= GROW_STEP) feed.grow((announced = writer.written))
    },
    async commit() {
      feed.grow(writer.written)
      const info = await writer.commit()
      feed.moved(blobPath(info.digest))
      return info
    },
    async abort() {
      feed.fail(new TspodError('unavailable', 'the download failed'))
      await writer.abort()
    },
  }
}
