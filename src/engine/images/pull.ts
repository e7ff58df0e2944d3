/**
 * `pull`: download into the content store (verified), unpack each layer that
 * is not already in the layer store while the others still download, commit
 * the layers, then record the image under the image lock.
 *
 * A pull holds the layer lock shared from start to finish; garbage collection
 * takes it exclusively, so it never deletes a layer a pull is about to use.
 */
import { join } from 'node:path'
import { rename, writeFile } from 'node:fs/promises'
import type { Engine } from '../engine.js'
import { chainIds, type Digest } from '../../image/digest.js'
import { fetchImage, type PullProgress } from '../../image/fetch/fetch-image.js'
import type { ImageConfig } from '../../image/registry/image-config.js'
import type { Credentials } from '../../image/auth-file.js'
import type { ImageLayer, ImageRecord } from '../../image/store/images.js'
import type { LayerRecord } from '../../image/store/layers.js'
import { acquireLock } from '../../util/lock.js'
import { log } from '../../util/log.js'
import { UnpackWorker } from './unpack-worker.js'

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

export function layersLockPath(engine: Engine): string {
  return join(engine.paths.root, 'layers.lock')
}

export async function pullImage(engine: Engine, name: string, options: PullOptions = {}): Promise<PullReport> {
  const lock = await acquireLock(layersLockPath(engine), { shared: true })
  const worker = new UnpackWorker(() => engine.userNamespace())
  const unpacks = new Map<number, Promise<{ size: number }>>()
  try {
    const fetched = await fetchImage(name, {
      content: engine.content,
      platform: options.platform,
      tlsVerify: options.tlsVerify,
      auth: options.credentials,
      signal: options.signal,
      onProgress: options.onProgress,
      onLayerCommitted: (layer, _signal, config) => {
        const p = ensureLayer(engine, worker, config, layer.index, layer.digest, layer.mediaType, options)
        unpacks.set(layer.index, p)
        return p.then(() => {})
      },
    })
    const diffIds = fetched.config.rootfs.diff_ids
    const chains = chainIds(diffIds)
    const layers: ImageLayer[] = []
    for (const [i, desc] of fetched.layers.entries()) {
      const { size } = await (unpacks.get(i) ??
        ensureLayer(engine, worker, fetched.config, i, desc.digest, desc.mediaType, options))
      layers.push({
        chainId: chains[i]!,
        diffId: desc.diffId,
        digest: desc.digest,
        mediaType: desc.mediaType,
        compressedSize: desc.size,
        size,
      })
    }
    options.onProgress?.({ type: 'writing-manifest' })
    const configSize = (await engine.content.info(fetched.configDigest))?.size ?? 0
    const ref = fetched.reference
    const record: ImageRecord = {
      id: fetched.configDigest.slice('sha256:'.length),
      configDigest: fetched.configDigest,
      manifestDigest: fetched.manifestDigest,
      manifestMediaType: fetched.manifestMediaType,
      ...(fetched.index ? { indexDigest: fetched.index.digest } : {}),
      names: ref.tag !== undefined ? [ref.nameOnly().withTag(ref.tag).toString()] : [],
      repoDigests: [
        ...(fetched.index ? [`${ref.name}@${fetched.index.digest}`] : []),
        `${ref.name}@${fetched.manifestDigest}`,
      ],
      layers,
      size: layers.reduce((sum, l) => sum + l.size, configSize),
      ...(fetched.config.created ? { created: fetched.config.created } : {}),
      added: new Date().toISOString(),
      os: fetched.config.os,
      architecture: fetched.config.architecture,
      ...(fetched.config.variant ? { variant: fetched.config.variant } : {}),
    }
    const image = await engine.imageStore.put(record)
    return { image, name: ref.toString() }
  } finally {
    await Promise.allSettled(unpacks.values())
    await worker.close()
    await lock.release()
  }
}

/** Unpack layer `index` unless the layer store has it; returns its uncompressed size. */
async function ensureLayer(
  engine: Engine,
  worker: UnpackWorker,
  config: ImageConfig,
  index: number,
  blobDigest: Digest,
  mediaType: string,
  options: PullOptions,
): Promise<{ size: number }> {
  const diffId = config.rootfs.diff_ids[index]!
  const chainId = chainIds(config.rootfs.diff_ids.slice(0, index + 1))[index]!
  const existing = engine.layers.get(chainId)
  if (existing) return { size: existing.size }
  const staging = await engine.layers.stagingDir(chainId)
  try {
    const result = await worker.unpack({ blob: engine.content.blobPath(blobDigest), mediaType, dest: join(staging, 'diff'), diffId })
    for (const warning of result.warnings ?? []) log.warn(warning)
    const receipt: LayerRecord = {
      chainId,
      diffId,
      blobDigest,
      size: result.size ?? 0,
      created: new Date().toISOString(),
    }
    await writeFile(join(staging, 'layer.json'), JSON.stringify(receipt, null, 2) + '\n')
    try {
      await rename(staging, engine.layers.layerDir(chainId))
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      // Another pull committed the same layer first: keep theirs.
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err
      await worker.remove([staging])
    }
    options.onProgress?.({ type: 'unpacked', digest: blobDigest })
    return { size: receipt.size }
  } catch (err) {
    await worker.remove([staging]).catch(() => {})
    throw err
  }
}
