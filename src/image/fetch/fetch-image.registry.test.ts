/**
 * fetchImage against a real registry (Debian's docker-registry, CNCF
 * distribution 2.8) with images built by umoci/GNU tar and pushed by skopeo
 * (test/harness). Expected error texts are podman 4.3's, as measured against
 * the same registry.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { corruptBlob, readStoredBlob, truncateBlob } from '../../../test/harness/faults.js'
import { MULTIARCH_PLATFORMS, PLATFORM_LABEL, pushFixture } from '../../../test/harness/fixtures.js'
import { withRegistry, type RegistryHandle } from '../../../test/harness/registry.js'
import { makeTempDir, removeDir } from '../../../test/harness/tools.js'
import type { Digest } from '../digest.js'
import { parseRegistriesConf, RegistriesConf } from '../registries-conf.js'
import { MediaType } from '../registry/media-types.js'
import { LocalContentStore } from '../store/content.js'
import { fetchImage, type PullProgress } from './fetch-image.js'

const noConf = RegistriesConf.fromFiles([], { mainFile: null })
const anonymous = () => undefined

async function newStore(t: { teardown(fn: () => unknown): void }) {
  const dir = await makeTempDir('fetch-real')
  t.teardown(() => removeDir(dir))
  return new LocalContentStore(join(dir, 'content'))
}
const list = (dir: string) => {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
const blobsIn = (s: LocalContentStore) => list(join(s.root, 'blobs/sha256')).map(h => `sha256:${h}`).sort()
const fileDigest = (path: string) => `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`

/** A pass-through proxy in front of a registry that records request paths (to count blob downloads). */
async function countingProxy(t: { teardown(fn: () => unknown): void }, reg: RegistryHandle) {
  const paths: string[] = []
  const srv = http.createServer((req, res) => {
    paths.push(req.url!)
    const up = http.request({ host: '127.0.0.1', port: reg.port, path: req.url, method: req.method, headers: req.headers }, r => {
      res.writeHead(r.statusCode!, r.headers)
      r.pipe(res)
    })
    up.on('error', err => res.destroy(err))
    req.pipe(up)
  })
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    srv.closeAllConnections()
    srv.close()
  })
  return { host: `127.0.0.1:${(srv.address() as AddressInfo).port}`, paths }
}

t.test('pull by tag and by digest', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'busybox')
  const built = img.built.images[0]!
  const store = await newStore(t)
  const hooked: number[] = []
  const got = await fetchImage(img.reference, { content: store, registries: noConf, auth: anonymous, onLayerCommitted: l => void hooked.push(l.index) })
  t.equal(got.reference.toString(), img.reference)
  t.equal(got.manifestDigest, img.digest)
  t.equal(got.manifestMediaType, MediaType.OciManifest)
  t.equal(got.configDigest, built.configDigest)
  t.same(got.config.config?.Cmd, ['sh'])
  t.same(got.layers.map(l => [l.digest, l.size, l.mediaType, l.diffId]), built.layers.map(l => [l.digest, l.size, l.mediaType, l.diffId]))
  t.same(hooked, [0])
  t.same(blobsIn(store), [img.digest, built.configDigest, ...built.layers.map(l => l.digest)].sort())
  for (const d of blobsIn(store)) t.equal(fileDigest(store.blobPath(d as Digest)), d, `${d} verifies`)
  t.ok(readFileSync(store.blobPath(built.layers[0]!.digest as Digest)).equals(await readStoredBlob(reg, built.layers[0]!.digest)), 'the same bytes as the registry holds')

  const byDigest = await fetchImage(img.digestReference, { content: await newStore(t), registries: noConf, auth: anonymous })
  t.equal(byDigest.manifestDigest, img.digest)
  t.equal(byDigest.reference.toString(), img.digestReference)
  const both = await fetchImage(`${img.reference}@${img.digest}`, { content: await newStore(t), registries: noConf, auth: anonymous })
  t.equal(both.manifestDigest, img.digest, 'tag and digest: pulled by digest')
})

t.test('multi-arch: OCI index and Docker manifest list', async t => {
  const reg = await withRegistry(t)
  for (const fixture of ['multiarch', 'multiarch-docker'] as const) {
    const img = await pushFixture(reg, fixture)
    for (const [i, p] of MULTIARCH_PLATFORMS.entries()) {
      const store = await newStore(t)
      const platform = `${p.platform.os}/${p.platform.architecture}${p.platform.variant ? `/${p.platform.variant}` : ''}`
      const got = await fetchImage(img.reference, { content: store, registries: noConf, auth: anonymous, platform })
      t.equal(got.index?.digest, img.digest, `${fixture} ${platform}: index digest`)
      t.equal(got.index?.mediaType, fixture === 'multiarch' ? MediaType.OciIndex : MediaType.DockerManifestList)
      t.equal(got.config.architecture, p.platform.architecture)
      t.same(got.config.config?.Labels, { [PLATFORM_LABEL]: p.label }, `${fixture} ${platform}: the right image`)
      if (fixture === 'multiarch') t.equal(got.manifestDigest, img.built.images[i]!.digest)
      t.ok(blobsIn(store).includes(img.digest), 'the index is stored')
    }
    await t.rejects(fetchImage(img.reference, { content: await newStore(t), registries: noConf, auth: anonymous, platform: 'linux/s390x' }), {
      code: 'unsupported',
      message: `initializing source docker://${img.reference}: no image found in image index for architecture "s390x", variant "", OS "linux"; available platforms: linux/amd64, linux/arm64/v8`,
    })
  }
})

t.test('a second pull reuses every committed blob', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'layers')
  const proxy = await countingProxy(t, reg)
  const ref = `${proxy.host}/${img.repo}:${img.tag}`
  const store = await newStore(t)
  const first = await fetchImage(ref, { content: store, registries: noConf, auth: anonymous })
  const blobGets = () => proxy.paths.filter(p => p.includes('/blobs/')).length
  t.equal(blobGets(), first.layers.length + 1, 'config and every layer once')
  const events: PullProgress[] = []
  const second = await fetchImage(ref, { content: store, registries: noConf, auth: anonymous, onProgress: e => events.push(e) })
  t.equal(blobGets(), first.layers.length + 1, 'no blob downloaded the second time')
  t.equal(events.filter(e => e.type === 'cached').length, first.layers.length + 1)
  t.equal(second.manifestDigest, first.manifestDigest)
})

t.test('a corrupted blob: digest mismatch, nothing committed', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'busybox')
  const layer = img.built.images[0]!.layers[0]!
  await corruptBlob(reg, layer.digest)
  const store = await newStore(t)
  await t.rejects(fetchImage(img.reference, { content: store, registries: noConf, auth: anonymous }), {
    code: 'data-loss',
    message: new RegExp(`^reading blob ${layer.digest}: blob digest mismatch: expected ${layer.digest}, got sha256:[0-9a-f]{64}$`),
  })
  t.notOk(blobsIn(store).includes(layer.digest), 'the layer is not committed')
  t.same(list(join(store.root, 'ingest')), [], 'no partial file left')
})

t.test('a truncated blob', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'busybox')
  const layer = img.built.images[0]!.layers[0]!
  await truncateBlob(reg, layer.digest, 1000)
  const store = await newStore(t)
  await t.rejects(fetchImage(img.reference, { content: store, registries: noConf, auth: anonymous }), {
    code: 'data-loss',
    message: `reading blob ${layer.digest}: blob ${layer.digest} is truncated: got 1000 of ${layer.size} bytes`,
  })
  t.notOk(blobsIn(store).includes(layer.digest))
  t.same(list(join(store.root, 'ingest')), [])
})

t.test('unknown tag, unknown repository, registry gone: podman wording', async t => {
  const reg = await withRegistry(t)
  await pushFixture(reg, 'busybox')
  const h = reg.host
  const pull = async (name: string) => fetchImage(name, { content: await newStore(t), registries: noConf, auth: anonymous })
  await t.rejects(pull(`${h}/busybox:nope`), {
    code: 'not-found',
    message: `initializing source docker://${h}/busybox:nope: reading manifest nope in ${h}/busybox: manifest unknown: manifest unknown`,
  })
  await t.rejects(pull(`${h}/nope:latest`), {
    code: 'not-found',
    message: `initializing source docker://${h}/nope:latest: reading manifest latest in ${h}/nope: manifest unknown: manifest unknown`,
  })
  const zero = `sha256:${'0'.repeat(64)}`
  await t.rejects(pull(`${h}/busybox@${zero}`), {
    code: 'not-found',
    message: `initializing source docker://${h}/busybox@${zero}: reading manifest ${zero} in ${h}/busybox: manifest unknown: manifest unknown`,
  })
  await reg.stop()
  await t.rejects(pull(`${h}/busybox`), {
    code: 'unavailable',
    message: `initializing source docker://${h}/busybox:latest: pinging container registry ${h}: Get "http://${h}/v2/": dial tcp ${h}: connect: connection refused`,
  })
})

t.test('basic auth: right and wrong password', async t => {
  const reg = await withRegistry(t, { auth: 'basic' })
  const img = await pushFixture(reg, 'busybox')
  const got = await fetchImage(img.reference, { content: await newStore(t), registries: noConf, auth: reg.credentials })
  t.equal(got.manifestDigest, img.digest)
  await t.rejects(fetchImage(img.reference, { content: await newStore(t), registries: noConf, auth: { username: reg.credentials!.username, password: 'wrong' } }), {
    code: 'unauthorized',
    message: `initializing source docker://${img.reference}: reading manifest latest in ${reg.host}/busybox: unauthorized: authentication required`,
  })
  await t.rejects(fetchImage(img.reference, { content: await newStore(t), registries: noConf, auth: anonymous }), {
    code: 'unauthorized',
    message: /unauthorized: authentication required$/,
  })
})

t.test('token auth: credentials, wrong password, anonymous', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const img = await pushFixture(reg, 'busybox')
  const reader = reg.users.find(u => u.username === 'reader')!
  const got = await fetchImage(img.reference, { content: await newStore(t), registries: noConf, auth: { username: reader.username, password: reader.password } })
  t.equal(got.manifestDigest, img.digest)
  t.ok(reg.token!.requests.length > 0, 'tokens came from the token server')
  await t.rejects(fetchImage(img.reference, { content: await newStore(t), registries: noConf, auth: { username: reader.username, password: 'wrong' } }), {
    code: 'unauthorized',
    message: new RegExp(`^initializing source docker://${img.reference}: unable to retrieve auth token: invalid username/password: `),
  })
  await t.rejects(fetchImage(img.reference, { content: await newStore(t), registries: noConf, auth: anonymous }), { code: 'unauthorized' })
})

t.test('concurrent pulls of one image into one store', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'layers')
  const store = await newStore(t)
  const results = await Promise.all([1, 2, 3].map(() => fetchImage(img.reference, { content: store, registries: noConf, auth: anonymous })))
  const built = img.built.images[0]!
  for (const r of results) t.equal(r.manifestDigest, img.digest)
  t.same(blobsIn(store), [img.digest, built.configDigest, ...new Set(built.layers.map(l => l.digest))].sort(), 'one copy of each blob')
  for (const d of blobsIn(store)) t.equal(fileDigest(store.blobPath(d as Digest)), d, `${d} is intact`)
  t.same(list(join(store.root, 'ingest')), [], 'no temp files left')
})

t.test('short-name resolution against a real registry', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'busybox')
  const conf = RegistriesConf.fromFiles([
    parseRegistriesConf(`unqualified-search-registries = ["${reg.host}"]\n[aliases]\n"bb" = "${reg.host}/busybox"\n`, '/test/registries.conf'),
  ])
  const got = await fetchImage('busybox', { content: await newStore(t), registries: conf, auth: anonymous })
  t.equal(got.reference.toString(), img.reference)
  const aliased = await fetchImage('bb', { content: await newStore(t), registries: conf, auth: anonymous })
  t.equal(aliased.manifestDigest, img.digest)
  t.equal(aliased.reference.toString(), img.reference)
})
