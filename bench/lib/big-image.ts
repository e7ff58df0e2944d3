/**
 * The `big` benchmark image: N layers (default 5 × 21 MiB = 105 MiB) of
 * incompressible bytes, one file per layer (/big/layer-I.bin). The bytes are
 * an AES-256-CTR keystream keyed by sha256(`SEED:I`), so the same seed gives
 * the same image, byte for byte and digest for digest — cached in
 * ~/.cache/tspod-bench (XDG_CACHE_HOME) across runs, built only once.
 *
 *   const img = await buildBigImage()                       // OCI layout
 *   const pushed = await pushBigImage({ host: '127.0.0.1:5000' })
 *
 * CLI: node bench/lib/push-big-image.mjs HOST[/REPO[:TAG]] [options]
 */
import { createCipheriv, createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { cachedIn } from '../../test/harness/fixtures/cache.js'
import { buildImage } from '../../test/harness/fixtures/image-builder.js'
import { gc, hostArchitecture, initLayout, readImage, type ImageInfo } from '../../test/harness/fixtures/oci-layout.js'
import { pushOciLayout } from '../../test/harness/fixtures.js'
import type { RegistryTarget } from '../../test/harness/registry.js'
import { removeDir } from '../../test/harness/tools.js'

export interface BigImageOptions {
  /** Default 'tspod-bench'. */
  seed?: string
  /** Default 5. */
  layers?: number
  /** Bytes of payload per layer; default 21 MiB. */
  layerBytes?: number
  /** Default $XDG_CACHE_HOME/tspod-bench or ~/.cache/tspod-bench. */
  cacheDir?: string
}

export interface BigImage {
  seed: string
  layout: string
  tag: string
  /** oci:LAYOUT:TAG */
  reference: string
  digest: string
  /** Payload bytes over all layers (compressed size is about the same). */
  payloadBytes: number
  image: ImageInfo
}

export const BIG_DEFAULTS = { seed: 'tspod-bench', layers: 5, layerBytes: 21 * 1024 * 1024 } as const

export function defaultBenchCache(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tspod-bench')
}

/** Writes `bytes` of the deterministic stream for (seed, index) to `path`. */
export async function writePayload(path: string, seed: string, index: number, bytes: number): Promise<void> {
  const key = createHash('sha256').update(`${seed}:${index}`).digest()
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16))
  const out = createWriteStream(path)
  const zeros = Buffer.alloc(1024 * 1024)
  for (let left = bytes; left > 0; left -= zeros.length) {
    const chunk = cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left))
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

export async function buildBigImage(options: BigImageOptions = {}): Promise<BigImage> {
  const seed = options.seed ?? BIG_DEFAULTS.seed
  const count = options.layers ?? BIG_DEFAULTS.layers
  const layerBytes = options.layerBytes ?? BIG_DEFAULTS.layerBytes
  const base = options.cacheDir ?? defaultBenchCache()
  await mkdir(base, { recursive: true })
  const key = `big-${createHash('sha256').update(seed).digest('hex').slice(0, 12)}-${count}x${layerBytes}`
  const { meta } = await cachedIn<BigImage>(base, key, async dir => {
    const layout = join(dir, 'layout')
    const scratch = join(dir, 'scratch')
    await mkdir(scratch, { recursive: true })
    await initLayout(layout)
    const layers = []
    for (let i = 0; i < count; i++) {
      const payload = join(scratch, `payload-${i}`)
      await writePayload(payload, seed, i, layerBytes)
      layers.push({
        createdBy: `tspod bench big image: layer ${i + 1}/${count}, ${layerBytes} bytes from seed ${JSON.stringify(seed)}`,
        entries: [
          { path: 'big', type: 'dir' as const, mode: 0o755 },
          { path: `big/layer-${i + 1}.bin`, type: 'copy' as const, mode: 0o644, from: payload },
        ],
      })
    }
    await buildImage({
      layout,
      tag: 'big',
      platform: { os: 'linux', architecture: hostArchitecture() },
      layers,
      config: { cmd: ['/big/layer-1.bin'], labels: { 'org.tspod.bench.seed': seed } },
      scratch,
    })
    await gc(layout)
    await removeDir(scratch)
    const image = await readImage(layout, 'big')
    return { seed, layout, tag: 'big', reference: `oci:${layout}:big`, digest: image.digest, payloadBytes: count * layerBytes, image }
  })
  return meta
}

/** Builds (or reuses) the image and pushes it as HOST/REPO:TAG (default big:latest). */
export async function pushBigImage(
  target: RegistryTarget,
  options: BigImageOptions & { repo?: string; tag?: string } = {},
): Promise<{ reference: string; digest: string; image: BigImage }> {
  const image = await buildBigImage(options)
  const reference = `${target.host}/${options.repo ?? 'big'}:${options.tag ?? 'latest'}`
  const digest = await pushOciLayout(target, image.reference, reference)
  return { reference, digest, image }
}
