/**
 * Fixture images for e2e tests, built by independent tools — GNU tar (layer
 * tarballs with exact owners/modes), tar-stream (hostile layers GNU tar would
 * sanitise), umoci (OCI layouts and configs) — and pushed with skopeo:
 *
 *   const reg = await withRegistry(t)
 *   const img = await pushFixture(reg, 'layers')     // img.reference = '127.0.0.1:PORT/layers:latest'
 *   // assert against LAYERS_FACTS
 *
 * Builds are reproducible and cached per test run (fixtures/cache.ts); a push
 * into the same registry/repo/tag happens once per process.
 *
 * Fixtures: busybox, layers, multiarch (OCI index), multiarch-docker (Docker
 * manifest list), evil-dotdot, evil-abs, evil-symlink, evil-hardlink.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RegistryTarget } from './registry.js'
import { run } from './tools.js'
import { cached, fixtureCacheRoot } from './fixtures/cache.js'
import { BUSYBOX_CONFIG, busyboxLayerEntries } from './fixtures/busybox.js'
import { buildImage, type LayerRecipe } from './fixtures/image-builder.js'
import { HOSTILE_NAMES, hostileLayerTar, type HostileName } from './fixtures/hostile.js'
import { LAYERS_CONFIG, LAYERS_LAYERS } from './fixtures/layers.js'
import { MULTIARCH_PLATFORMS, PLATFORM_LABEL, platformLayer } from './fixtures/multiarch.js'
import {
  addIndex,
  descriptorOf,
  gc,
  hostArchitecture,
  imageAt,
  initLayout,
  MEDIA_TYPES,
  readImage,
  type ImageInfo,
} from './fixtures/oci-layout.js'
import { removeDir } from './tools.js'

export { BUSYBOX_FACTS, BUSYBOX_PASSWD, BUSYBOX_GROUP, BUSYBOX_PATH, REQUIRED_APPLETS } from './fixtures/busybox.js'
export { LAYERS_FACTS, LAYERS_PASSWD, LAYERS_GROUP, LAYERS_LABELS, APP_UID, APP_GID, NOBODY, PINNED_MTIME } from './fixtures/layers.js'
export { MULTIARCH_PLATFORMS, PLATFORM_FILE, PLATFORM_LABEL, type PlatformFacts } from './fixtures/multiarch.js'
export { HOSTILE_FACTS, HOSTILE_NAMES, type HostileFacts, type HostileName } from './fixtures/hostile.js'
export type { FsFact, ImageFacts, ConfigFacts } from './fixtures/facts.js'
export { MEDIA_TYPES, hostArchitecture, type ImageInfo, type LayerInfo, type Platform, type ImageConfig } from './fixtures/oci-layout.js'
export { FIXTURE_MTIME } from './fixtures/tar-layer.js'

export type FixtureName = 'busybox' | 'layers' | 'multiarch' | 'multiarch-docker' | HostileName
export const FIXTURE_NAMES: readonly FixtureName[] = ['busybox', 'layers', 'multiarch', 'multiarch-docker', ...HOSTILE_NAMES]

export interface BuiltFixture {
  name: FixtureName
  /** OCI image layout directory (read-only: shared by the whole test run). */
  layout: string
  /** Tag of the fixture inside the layout. */
  tag: string
  /** `oci:LAYOUT:TAG`, for skopeo and umoci. */
  reference: string
  /** Digest, media type and size of the top manifest (an index for multiarch). */
  digest: string
  mediaType: string
  size: number
  /** One per platform manifest (a single entry for single-platform images). */
  images: ImageInfo[]
}

export interface PushedFixture {
  name: FixtureName
  host: string
  repo: string
  tag: string
  /** `HOST/REPO:TAG` */
  reference: string
  /** `HOST/REPO@DIGEST` */
  digestReference: string
  /** Digest of the top manifest as stored in the registry (differs from built.digest for multiarch-docker). */
  digest: string
  mediaType: string
  built: BuiltFixture
}

const linux = (architecture = hostArchitecture()) => ({ os: 'linux', architecture })

async function busyboxLayer(): Promise<LayerRecipe> {
  return { createdBy: 'tspod fixture busybox: /bin/busybox and applet symlinks (GNU tar)', entries: await busyboxLayerEntries() }
}

async function fixtureOf(name: FixtureName, layout: string, tag: string): Promise<BuiltFixture> {
  const d = await descriptorOf(layout, tag)
  let images: ImageInfo[]
  if (d.mediaType === MEDIA_TYPES.ociIndex) {
    const index = JSON.parse(await readFile(join(layout, 'blobs/sha256', d.digest.slice(7)), 'utf8')) as { manifests: typeof d[] }
    images = await Promise.all(index.manifests.map(m => imageAt(layout, m)))
  } else {
    images = [await readImage(layout, tag)]
  }
  return { name, layout, tag, reference: `oci:${layout}:${tag}`, digest: d.digest, mediaType: d.mediaType, size: d.size, images }
}

/** Builds into `dir/layout` with scratch space in `dir/scratch` (removed). */
async function buildInto(dir: string, name: FixtureName, make: (layout: string, scratch: string) => Promise<string>): Promise<BuiltFixture> {
  const layout = join(dir, 'layout')
  const scratch = join(dir, 'scratch')
  await mkdir(scratch, { recursive: true })
  await initLayout(layout)
  const tag = await make(layout, scratch)
  await gc(layout)
  await removeDir(scratch)
  return fixtureOf(name, layout, tag)
}

const recipes: Record<Exclude<FixtureName, 'multiarch-docker'>, (layout: string, scratch: string) => Promise<string>> = {
  async busybox(layout, scratch) {
    await buildImage({ layout, tag: 'busybox', platform: linux(), layers: [await busyboxLayer()], config: BUSYBOX_CONFIG, scratch })
    return 'busybox'
  },
  async layers(layout, scratch) {
    await buildImage({
      layout,
      tag: 'layers',
      platform: linux(),
      layers: [await busyboxLayer(), ...LAYERS_LAYERS],
      config: { ...LAYERS_CONFIG, env: [...BUSYBOX_CONFIG.env, ...(LAYERS_CONFIG.env ?? [])] },
      scratch,
    })
    return 'layers'
  },
  async multiarch(layout, scratch) {
    const base = await busyboxLayer()
    const descriptors = []
    for (const p of MULTIARCH_PLATFORMS) {
      const image = await buildImage({
        layout,
        tag: p.tag,
        platform: { os: p.platform.os, architecture: p.platform.architecture },
        layers: [base, { createdBy: `tspod fixture multiarch: ${p.label} marker (GNU tar)`, entries: platformLayer(p) }],
        config: { ...BUSYBOX_CONFIG, labels: { [PLATFORM_LABEL]: p.label } },
        scratch,
      })
      descriptors.push({ mediaType: image.mediaType, digest: image.digest, size: image.size, platform: p.platform })
    }
    await addIndex(layout, 'multiarch', descriptors)
    return 'multiarch'
  },
  ...(Object.fromEntries(
    HOSTILE_NAMES.map(name => [
      name,
      async (layout: string, scratch: string) => {
        await buildImage({
          layout,
          tag: name,
          platform: linux(),
          layers: [{ createdBy: `tspod fixture ${name} (tar-stream)`, tar: await hostileLayerTar(name) }],
          config: { cmd: ['/harmless'] },
          scratch,
        })
        return name
      },
    ]),
  ) as Record<HostileName, (layout: string, scratch: string) => Promise<string>>),
}

/** Builds (or takes from the run's cache) the OCI layout of a fixture. */
export async function buildFixture(name: FixtureName): Promise<BuiltFixture> {
  const source = name === 'multiarch-docker' ? 'multiarch' : name
  const recipe = recipes[source]
  if (!recipe) throw new Error(`unknown fixture ${name}`)
  const { meta } = await cached(`fixture-${source}`, dir => buildInto(dir, source, recipe))
  return { ...meta, name }
}

let skopeoSetup: Promise<{ env: Record<string, string>; policy: string; dir: string }> | undefined
/** skopeo with its own policy, registries.conf and HOME, so user config never leaks in. */
function skopeoEnv(): Promise<{ env: Record<string, string>; policy: string; dir: string }> {
  skopeoSetup ??= (async () => {
    const dir = join(fixtureCacheRoot(), `skopeo-${process.pid}`)
    const policy = join(dir, 'policy.json')
    const registries = join(dir, 'registries.conf')
    await mkdir(join(dir, 'home'), { recursive: true })
    await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }))
    await writeFile(registries, 'unqualified-search-registries = []\n')
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(dir, 'home'),
      TMPDIR: tmpdir(),
      CONTAINERS_REGISTRIES_CONF: registries,
      REGISTRY_AUTH_FILE: join(dir, 'no-auth.json'),
    }
    return { env, policy, dir }
  })()
  return skopeoSetup
}

/** Flags for skopeo to reach `target` (plain HTTP, its credentials if it has any). */
export function skopeoTargetFlags(target: RegistryTarget, side: 'src' | 'dest'): string[] {
  const flags = [`--${side}-tls-verify=false`]
  if (target.credentials) flags.push(`--${side}-creds`, `${target.credentials.username}:${target.credentials.password}`)
  else flags.push(`--${side}-no-creds`)
  return flags
}

/** Runs skopeo in the harness's isolated environment. */
export async function skopeo(args: string[]): Promise<string> {
  const { env, policy } = await skopeoEnv()
  const { stdout } = await run('skopeo', ['--policy', policy, ...args], { env, extendEnv: false })
  return stdout
}

const pushes = new WeakMap<object, Map<string, Promise<PushedFixture>>>()

/**
 * Pushes a fixture into a registry as HOST/REPO:TAG (default REPO = the
 * fixture name, TAG = 'latest'), with the target's credentials if it has any.
 */
export function pushFixture(target: RegistryTarget, name: FixtureName, options: { repo?: string; tag?: string } = {}): Promise<PushedFixture> {
  const repo = options.repo ?? name
  const tag = options.tag ?? 'latest'
  let memo = pushes.get(target)
  if (!memo) pushes.set(target, (memo = new Map()))
  const key = `${name}|${repo}|${tag}`
  let p = memo.get(key)
  if (!p) {
    p = pushOnce(target, name, repo, tag)
    memo.set(key, p)
    p.catch(() => memo!.delete(key))
  }
  return p
}

async function pushOnce(target: RegistryTarget, name: FixtureName, repo: string, tag: string): Promise<PushedFixture> {
  const built = await buildFixture(name)
  const docker = name === 'multiarch-docker'
  const reference = `${target.host}/${repo}:${tag}`
  const digest = await pushOciLayout(target, built.reference, reference, { format: docker ? 'v2s2' : 'oci' })
  const single = built.mediaType !== MEDIA_TYPES.ociIndex
  const mediaType = docker ? MEDIA_TYPES.dockerList : single ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.ociIndex
  return { name, host: target.host, repo, tag, reference, digestReference: `${target.host}/${repo}@${digest}`, digest, mediaType, built }
}

/**
 * `skopeo copy --all oci:LAYOUT:TAG docker://REFERENCE`: 'oci' keeps every
 * byte (--preserve-digests), 'v2s2' converts to Docker schema 2 manifests and
 * lists. Returns the digest of the top manifest as stored.
 */
export async function pushOciLayout(target: RegistryTarget, ociReference: string, reference: string, options: { format?: 'oci' | 'v2s2' } = {}): Promise<string> {
  const digestFile = join((await skopeoEnv()).dir, `digest-${Math.random().toString(36).slice(2)}`)
  await skopeo([
    'copy', '--quiet', '--all',
    ...(options.format === 'v2s2' ? ['--format', 'v2s2'] : ['--preserve-digests']),
    ...skopeoTargetFlags(target, 'dest'),
    '--digestfile', digestFile,
    ociReference, `docker://${reference}`,
  ])
  const digest = (await readFile(digestFile, 'utf8')).trim()
  await removeDir(digestFile)
  return digest
}

/** Several fixtures at once, keyed by name. */
export async function pushFixtures<N extends FixtureName>(target: RegistryTarget, names: readonly N[]): Promise<Record<N, PushedFixture>> {
  const pushed = await Promise.all(names.map(n => pushFixture(target, n)))
  return Object.fromEntries(pushed.map(p => [p.name, p])) as Record<N, PushedFixture>
}
