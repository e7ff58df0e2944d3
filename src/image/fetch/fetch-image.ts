/**
 * Pull an image's documents and blobs into the content store: resolve the
 * name (registries.conf), fetch the manifest (through the index, for this
 * platform), store the manifest and index bytes, then download the config and
 * every layer in parallel (bounded), skipping blobs already committed, so a
 * pull that was interrupted resumes with what it has. Every blob is verified
 * (size and digest) by the content store before it becomes visible.
 *
 * `onLayerCommitted` fires as soon as a layer blob is committed (or found
 * committed) and the config is known, so the caller can unpack layers while
 * others still download. fetchImage settles only after every hook settled.
 */
import { TspodError } from '../../engine/errors.js'
import { log } from '../../util/log.js'
import { authFromFiles, type CredentialSource, type Credentials, fixedCredentials } from '../auth-file.js'
import type { Digest } from '../digest.js'
import type { ImageReference } from '../reference.js'
import { type RegistriesConf, registriesConf } from '../registries-conf.js'
import { RegistryClient, type FetchedManifest } from '../registry/client.js'
import { type ImageConfig, parseImageConfig } from '../registry/image-config.js'
import { assertContainerImage, type Descriptor, type ImageIndex, type ImageManifest } from '../registry/manifest.js'
import { formatPlatform, hostPlatform, parsePlatform, platformScore, type PlatformSpec, selectManifest } from '../registry/platform.js'
import type { ContentStore } from '../store/content.js'

/** podman's default number of parallel blob copies. */
export const DEFAULT_CONCURRENCY = 6

export type BlobRole = 'config' | 'layer'

export type PullProgress =
  /** Short-name resolution, podman's line ("Resolved "x" as an alias (FILE)"). */
  | { type: 'resolved'; description: string }
  /** About to try one candidate ("Trying to pull REF..."). */
  | { type: 'trying'; reference: ImageReference }
  | { type: 'start'; role: BlobRole; digest: Digest; size: number; mediaType: string }
  /** Cumulative bytes received for one blob. */
  | { type: 'bytes'; role: BlobRole; digest: Digest; received: number; size: number }
  | { type: 'done'; role: BlobRole; digest: Digest; size: number }
  /** Already committed in the content store: nothing downloaded. */
  | { type: 'cached'; role: BlobRole; digest: Digest; size: number }

export interface FetchedLayer {
  /** Position in the manifest (0 = bottom layer). */
  readonly index: number
  readonly digest: Digest
  readonly size: number
  readonly mediaType: string
  /** Digest of the uncompressed tar, from the config's rootfs.diff_ids. */
  readonly diffId: Digest
}

export interface FetchedImage {
  /** The name pulled (logical, fully qualified, with its tag and/or digest). */
  readonly reference: ImageReference
  /** Where it really came from, after registries.conf `location` rewriting. */
  readonly source: ImageReference
  readonly manifestDigest: Digest
  readonly manifestMediaType: string
  readonly manifest: ImageManifest
  /** The index the manifest was chosen from, when the name pointed at one. */
  readonly index?: { readonly digest: Digest; readonly mediaType: string; readonly manifest: ImageIndex }
  readonly configDigest: Digest
  readonly config: ImageConfig
  readonly layers: readonly FetchedLayer[]
}

export interface FetchImageOptions {
  content: ContentStore
  /** `os/arch[/variant]` or a parsed platform; default: this host. */
  platform?: PlatformSpec | string
  /** See RegistryClient: undefined follows registries.conf and the loopback rule. */
  tlsVerify?: boolean
  /** Fixed credentials (--creds) or a lookup; default: the auth files (REGISTRY_AUTH_FILE, …). */
  auth?: CredentialSource | Credentials
  /** Default: the user's registries.conf, read once per process. */
  registries?: RegistriesConf
  onProgress?: (event: PullProgress) => void
  /** `signal` aborts when the pull fails or is cancelled, so an unpack can stop early. */
  onLayerCommitted?: (layer: FetchedLayer, signal: AbortSignal, config: ImageConfig) => void | Promise<void>
  /** Parallel blob downloads; default 6. */
  concurrency?: number
  signal?: AbortSignal
  timeoutMs?: number
}

/**
 * Pull `name` (as typed, resolved through registries.conf; or a parsed
 * reference, used as is) into `opts.content`. With several candidates (search
 * registries) each is tried in turn, as podman does.
 */
export async function fetchImage(name: string | ImageReference, opts: FetchImageOptions): Promise<FetchedImage> {
  const registries = opts.registries ?? registriesConf()
  let candidates: readonly ImageReference[]
  if (typeof name === 'string') {
    const resolution = registries.resolve(name)
    if (resolution.description) opts.onProgress?.({ type: 'resolved', description: resolution.description })
    candidates = resolution.candidates
  } else {
    candidates = [name.withDefaultTag()]
  }
  const errors: unknown[] = []
  for (const ref of candidates) {
    opts.onProgress?.({ type: 'trying', reference: ref })
    try {
      return await fetchFrom(ref, registries, opts)
    } catch (err) {
      if (opts.signal?.aborted) throw err
      errors.push(err)
    }
  }
  if (errors.length === 1) throw errors[0]
  const messages = errors.map(e => (e instanceof Error ? e.message : String(e)))
  const codes = errors.map(e => (e instanceof TspodError ? e.code : 'internal'))
  const code = codes.find(c => c !== 'not-found') ?? 'not-found'
  throw new TspodError(code, `${errors.length} errors occurred while pulling: ${messages.map(m => `* ${m}`).join('; ')}`, { cause: errors[0] })
}

function credentialSource(auth: FetchImageOptions['auth']): CredentialSource {
  if (auth === undefined) return authFromFiles()
  return typeof auth === 'function' ? auth : fixedCredentials(auth)
}

/** Errors before any blob moves read "initializing source docker://REF: …", as in podman. */
function initializing(err: unknown, ref: ImageReference): unknown {
  if (!(err instanceof TspodError)) return err
  return new TspodError(err.code, `initializing source docker://${ref.familiar()}: ${err.message}`, { cause: err })
}

async function fetchFrom(ref: ImageReference, registries: RegistriesConf, opts: FetchImageOptions): Promise<FetchedImage> {
  const { reference: source, insecure } = registries.pullSource(ref)
  const want = typeof opts.platform === 'string' ? parsePlatform(opts.platform) : (opts.platform ?? hostPlatform())
  const client = new RegistryClient(source.domain, {
    tlsVerify: opts.tlsVerify,
    insecure,
    auth: credentialSource(opts.auth),
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
  })

  let top: FetchedManifest
  let image: FetchedManifest
  try {
    top = await client.getManifest(source.path, source.manifestReference)
    image = top
    if (top.manifest.kind === 'index') {
      const chosen = selectManifest(top.manifest, want)
      image = await client.getManifest(source.path, chosen.digest)
      if (image.manifest.kind !== 'manifest') {
        throw new TspodError('unsupported', `manifest ${chosen.digest} for ${formatPlatform(want)} is itself an index; nested indexes are not supported`)
      }
    }
    assertContainerImage(image.manifest as ImageManifest)
  } catch (err) {
    throw initializing(err, source)
  }
  const manifest = image.manifest as ImageManifest
  const index = top.manifest.kind === 'index' ? { digest: top.digest, mediaType: top.mediaType, manifest: top.manifest } : undefined

  // The image record points at these, so they are stored before any layer.
  await storeBytes(opts.content, image.digest, image.bytes)
  if (index) await storeBytes(opts.content, top.digest, top.bytes)

  const { config, layers } = await downloadBlobs(client, source, manifest, opts)
  if (!index && platformScore(config, want) === undefined) {
    log.warn(`image platform (${formatPlatform(config)}) does not match the expected platform (${formatPlatform(want)})`)
  }
  return {
    reference: ref,
    source,
    manifestDigest: image.digest,
    manifestMediaType: image.mediaType,
    manifest,
    ...(index ? { index } : {}),
    configDigest: manifest.config.digest,
    config,
    layers,
  }
}

async function storeBytes(content: ContentStore, digest: Digest, bytes: Buffer): Promise<void> {
  if ((await content.info(digest))?.size === bytes.length) return
  const w = await content.writer(digest, bytes.length)
  try {
    await w.write(bytes)
  } catch (err) {
    await w.abort()
    throw err
  }
  await w.commit()
}

interface Job {
  role: BlobRole
  desc: Descriptor
  /** Manifest positions using this blob (a layer may appear twice). */
  layerIndexes: number[]
}

/** A promise with its settle functions outside (the config gates the layer hooks). */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => {}) // observed through `promise`; never an unhandled rejection
  return { promise, resolve, reject }
}

async function downloadBlobs(
  client: RegistryClient,
  source: ImageReference,
  manifest: ImageManifest,
  opts: FetchImageOptions,
): Promise<{ config: ImageConfig; layers: FetchedLayer[] }> {
  const { content } = opts
  const emit = opts.onProgress ?? (() => {})
  const jobs: Job[] = [{ role: 'config', desc: manifest.config, layerIndexes: [] }]
  const byDigest = new Map<string, Job>()
  manifest.layers.forEach((desc, i) => {
    const existing = byDigest.get(desc.digest)
    if (existing) return void existing.layerIndexes.push(i)
    const job: Job = { role: 'layer', desc, layerIndexes: [i] }
    byDigest.set(desc.digest, job)
    jobs.push(job)
  })

  // One failure stops the others; the caller's signal stops everything.
  const stop = new AbortController()
  const onOuterAbort = () => stop.abort(opts.signal!.reason)
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true })
  const configReady = deferred<ImageConfig>()
  const hooks: Promise<void>[] = []
  let firstError: unknown
  const fail = (err: unknown) => {
    if (firstError === undefined) firstError = err
    configReady.reject(err)
    if (!stop.signal.aborted) stop.abort(err)
  }

  const layerOf = (i: number, config: ImageConfig): FetchedLayer => {
    const d = manifest.layers[i]!
    return { index: i, digest: d.digest, size: d.size, mediaType: d.mediaType, diffId: config.rootfs.diff_ids[i]! }
  }

  const runJob = async (job: Job) => {
    const { digest, size, mediaType } = job.desc
    const have = await content.info(digest)
    if (have?.size === size) {
      emit({ type: 'cached', role: job.role, digest, size })
    } else {
      emit({ type: 'start', role: job.role, digest, size, mediaType })
      let received = 0
      const writer = await content.writer(digest, size)
      await client.fetchBlob(source.path, job.desc, writer, {
        signal: stop.signal,
        onBytes: n => emit({ type: 'bytes', role: job.role, digest, received: (received += n), size }),
      })
      emit({ type: 'done', role: job.role, digest, size })
    }
    if (job.role === 'config') {
      const config = parseImageConfig(await content.read(digest), `image config ${digest}`)
      if (config.rootfs.diff_ids.length !== manifest.layers.length) {
        throw new TspodError(
          'data-loss',
          `invalid image ${source}: its config lists ${config.rootfs.diff_ids.length} layer diff IDs but its manifest has ${manifest.layers.length} layers`,
        )
      }
      configReady.resolve(config)
    } else if (opts.onLayerCommitted) {
      const hook = opts.onLayerCommitted
      for (const i of job.layerIndexes) {
        const p = configReady.promise.then(config => hook(layerOf(i, config), stop.signal, config))
        p.catch(fail)
        hooks.push(p)
      }
    }
  }

  let next = 0
  const worker = async () => {
    while (next < jobs.length && !stop.signal.aborted) {
      const job = jobs[next++]!
      try {
        await runJob(job)
      } catch (err) {
        fail(err)
      }
    }
  }
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY))
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker))
  // Hooks registered while the last downloads finished are awaited too.
  await Promise.allSettled(hooks)
  opts.signal?.removeEventListener('abort', onOuterAbort)
  if (opts.signal?.aborted) throw opts.signal.reason
  if (firstError !== undefined) throw firstError
  const config = await configReady.promise
  return { config, layers: manifest.layers.map((_, i) => layerOf(i, config)) }
}
