import t from 'tap'
import { createHash } from 'node:crypto'
import { MEDIA_TYPES, MULTIARCH_PLATFORMS, PLATFORM_FILE, PLATFORM_LABEL, pushFixture } from './fixtures.js'
import { pullWithSkopeo, skopeoInspect } from './inspect.js'
import { withRegistry } from './registry.js'
import { makeTempDir, removeDir } from './tools.js'

interface IndexDoc {
  mediaType: string
  manifests: { mediaType: string; digest: string; platform: { os: string; architecture: string; variant?: string } }[]
}

t.test('multiarch: an OCI index over linux/amd64 and linux/arm64/v8', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'multiarch')
  t.equal(img.mediaType, MEDIA_TYPES.ociIndex)
  t.equal(img.digest, img.built.digest, 'index pushed byte for byte')
  const raw = (await skopeoInspect(reg, img.reference, 'raw')) as unknown as IndexDoc
  t.equal(raw.mediaType, MEDIA_TYPES.ociIndex)
  t.same(raw.manifests.map(m => m.platform), MULTIARCH_PLATFORMS.map(p => p.platform))
  t.same(raw.manifests.map(m => m.digest), img.built.images.map(i => i.digest))

  for (const p of MULTIARCH_PLATFORMS) {
    const platform = { arch: p.platform.architecture, variant: p.platform.variant }
    const config = await skopeoInspect(reg, img.reference, 'config', platform)
    t.equal(config.architecture, p.platform.architecture, `${p.label}: config architecture`)
    t.same((config.config as { Labels: Record<string, string> }).Labels, { [PLATFORM_LABEL]: p.label }, `${p.label}: label`)
    const dir = await makeTempDir('multiarch')
    t.teardown(() => removeDir(dir))
    const pulled = await pullWithSkopeo(reg, img.reference, dir, platform)
    const layers = await pulled.layers()
    t.equal(layers.length, 2)
    const marker = layers[1]!.find(e => '/' + e.name === PLATFORM_FILE)
    t.equal(marker?.content, p.content, `${p.label}: ${PLATFORM_FILE}`)
  }
})

t.test('multiarch-docker: the same content as a Docker manifest list', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const img = await pushFixture(reg, 'multiarch-docker')
  t.equal(img.mediaType, MEDIA_TYPES.dockerList)
  t.not(img.digest, img.built.digest, 'converted, so a different digest')
  const rawText = JSON.stringify(await skopeoInspect(reg, img.reference, 'raw'))
  const raw = JSON.parse(rawText) as IndexDoc
  t.equal(raw.mediaType, MEDIA_TYPES.dockerList)
  t.same(raw.manifests.map(m => m.mediaType), [MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifest])
  t.same(raw.manifests.map(m => m.platform.architecture), ['amd64', 'arm64'])
  // The digest is of the stored bytes: fetch them exactly (token flow by hand).
  const tokenRes = await fetch(`${reg.token!.realm}?service=${reg.token!.service}&scope=repository:multiarch-docker:pull`, {
    headers: { authorization: `Basic ${Buffer.from('tspod:tspod-secret').toString('base64')}` },
  })
  const { token } = (await tokenRes.json()) as { token: string }
  const res = await fetch(`${reg.url}/v2/multiarch-docker/manifests/latest`, {
    headers: { authorization: `Bearer ${token}`, accept: MEDIA_TYPES.dockerList },
  })
  const body = Buffer.from(await res.arrayBuffer())
  t.equal(`sha256:${createHash('sha256').update(body).digest('hex')}`, img.digest)
  t.equal(res.headers.get('docker-content-digest'), img.digest)
})
