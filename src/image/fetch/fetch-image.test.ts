import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { setLogSink } from '../../util/log.js'
import type { Digest } from '../digest.js'
import { parseDockerReference } from '../reference.js'
import { parseRegistriesConf, RegistriesConf } from '../registries-conf.js'
import { FakeRegistry, json, type PushedImage } from '../registry/fake-registry.js'
import { MediaType } from '../registry/media-types.js'
import { LocalContentStore } from '../store/content.js'
import { fetchImage, type FetchedLayer, type PullProgress } from './fetch-image.js'

const root = mkdtempSync(join(tmpdir(), 'tspod-fetch-'))
t.teardown(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const newStore = () => new LocalContentStore(join(root, `store-${++n}`))
const list = (dir: string) => {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
const blobsIn = (s: LocalContentStore) => list(join(s.root, 'blobs/sha256')).map(h => `sha256:${h}`).sort()
const noConf = RegistriesConf.fromFiles([], { mainFile: null })
const confOf = (text: string) => RegistriesConf.fromFiles([parseRegistriesConf(text, '/test/registries.conf')])
const logged: string[] = []
setLogSink(line => logged.push(line))

async function registry(t: { teardown(fn: () => unknown): void }, opts?: Parameters<typeof FakeRegistry.start>[0]) {
  const reg = await FakeRegistry.start(opts)
  t.teardown(() => reg.close())
  return reg
}

const allDigests = (img: PushedImage) => [img.manifestDigest, img.configDigest, ...img.layers.map(l => l.digest)].sort()

t.test('pull by tag: documents, blobs, events, hooks', async t => {
  const reg = await registry(t)
  const img = reg.addImage('team/app', 'v1', { layerSizes: [150_000, 2_000, 90_000] })
  const store = newStore()
  const events: PullProgress[] = []
  const hooked: FetchedLayer[] = []
  const got = await fetchImage(`${reg.host}/team/app:v1`, {
    content: store,
    registries: noConf,
    onProgress: e => events.push(e),
    onLayerCommitted: (layer, signal) => {
      t.equal(signal.aborted, false)
      t.ok(readFileSync(store.blobPath(layer.digest)).equals(img.layers[layer.index]!.bytes), `layer ${layer.index} is committed when its hook runs`)
      hooked.push(layer)
    },
  })
  t.equal(got.reference.toString(), `${reg.host}/team/app:v1`)
  t.equal(got.source.toString(), `${reg.host}/team/app:v1`)
  t.equal(got.manifestDigest, img.manifestDigest)
  t.equal(got.manifestMediaType, MediaType.OciManifest)
  t.equal(got.configDigest, img.configDigest)
  t.same(got.config.config?.Cmd, ['sh'])
  t.equal(got.index, undefined)
  const expectedLayers = img.layers.map((l, index) => ({ index, digest: l.digest, size: l.size, mediaType: MediaType.OciLayerGzip, diffId: l.diffId }))
  t.same(got.layers, expectedLayers)
  t.same([...hooked].sort((a, b) => a.index - b.index), expectedLayers, 'one hook per layer, with its diffId')
  t.same(blobsIn(store), allDigests(img), 'manifest, config and layers are in the store')
  t.ok(readFileSync(store.blobPath(img.manifestDigest)).equals(img.manifestBytes))
  t.same(list(join(store.root, 'ingest')), [])

  t.same(events[0], { type: 'trying', reference: got.reference })
  for (const [role, digest, size] of [['config', img.configDigest, img.configBytes.length], ...img.layers.map(l => ['layer', l.digest, l.size])] as [string, Digest, number][]) {
    const mine = events.filter(e => 'digest' in e && e.digest === digest)
    t.same(mine[0], { type: 'start', role, digest, size, mediaType: role === 'config' ? MediaType.OciConfig : MediaType.OciLayerGzip })
    t.same(mine.at(-1), { type: 'done', role, digest, size })
    const bytes = mine.filter(e => e.type === 'bytes') as Extract<PullProgress, { type: 'bytes' }>[]
    t.ok(bytes.length >= 1)
    t.equal(bytes.at(-1)!.received, size, `${role} bytes add up`)
  }
})

t.test('a second pull downloads nothing', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1', { layerSizes: [10_000, 20_000] })
  const store = newStore()
  await fetchImage(`${reg.host}/app:v1`, { content: store, registries: noConf })
  const blobRequests = reg.count('/blobs/')
  t.equal(blobRequests, 3, 'config and two layers')
  const events: PullProgress[] = []
  const hooked: number[] = []
  const again = await fetchImage(`${reg.host}/app:v1`, {
    content: store,
    registries: noConf,
    onProgress: e => events.push(e),
    onLayerCommitted: l => void hooked.push(l.index),
  })
  t.equal(reg.count('/blobs/'), blobRequests, 'no blob request the second time')
  t.same(events.filter(e => e.type === 'cached').length, 3)
  t.same(events.filter(e => e.type === 'start' || e.type === 'bytes').length, 0)
  t.same(hooked.sort(), [0, 1], 'hooks run for cached layers too')
  t.equal(again.manifestDigest, img.manifestDigest)
})

t.test('an interrupted pull resumes with what was committed', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1', { layerSizes: [5_000, 6_000, 7_000] })
  const broken = img.layers[2]!.digest
  reg.overrides.push((req, res, path) => (path.endsWith(broken) && reg.count(broken) === 1 ? (res.writeHead(500).end(), true) : false))
  const store = newStore()
  await t.rejects(fetchImage(`${reg.host}/app:v1`, { content: store, registries: noConf, concurrency: 1 }), {
    code: 'unavailable',
    message: `reading blob ${broken}: fetching blob: StatusCode: 500, Internal Server Error`,
  })
  t.notOk(blobsIn(store).includes(broken))
  const before = reg.requests.length
  await fetchImage(`${reg.host}/app:v1`, { content: store, registries: noConf })
  const fetched = reg.requests.slice(before).filter(r => r.path.includes('/blobs/')).map(r => r.path.split('/').pop())
  t.same(fetched, [broken], 'only the missing blob is downloaded')
  t.same(blobsIn(store), allDigests(img))
})

t.test('multi-platform index', async t => {
  const reg = await registry(t)
  const amd = reg.addImage('multi', 'amd', { platform: { os: 'linux', architecture: 'amd64' } })
  const arm = reg.addImage('multi', 'arm', { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } })
  const indexDigest = reg.addIndex('multi', 'latest', [
    { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
    { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ])
  const store = newStore()
  const got = await fetchImage(`${reg.host}/multi`, { content: store, registries: noConf, platform: 'linux/arm64' })
  t.equal(got.reference.toString(), `${reg.host}/multi:latest`)
  t.equal(got.manifestDigest, arm.manifestDigest)
  t.equal(got.index?.digest, indexDigest)
  t.equal(got.index?.mediaType, MediaType.OciIndex)
  t.equal(got.index?.manifest.manifests.length, 2)
  t.equal(got.config.architecture, 'arm64')
  t.same(blobsIn(store), [...allDigests(arm), indexDigest].sort(), 'the index is stored too; amd64 blobs are not fetched')

  const byDigest = await fetchImage(parseDockerReference(`${reg.host}/multi@${indexDigest}`), { content: newStore(), registries: noConf, platform: { os: 'linux', architecture: 'amd64' } })
  t.equal(byDigest.manifestDigest, amd.manifestDigest)
  t.equal(byDigest.reference.toString(), `${reg.host}/multi@${indexDigest}`)

  await t.rejects(fetchImage(`${reg.host}/multi`, { content: newStore(), registries: noConf, platform: 'linux/ppc64le' }), {
    code: 'unsupported',
    message: `initializing source docker://${reg.host}/multi:latest: no image found in image index for architecture "ppc64le", variant "", OS "linux"; available platforms: linux/amd64, linux/arm64/v8`,
  })
})

t.test('a single-platform image for another platform is pulled with a warning', async t => {
  const reg = await registry(t)
  reg.addImage('arm', 'v1', { platform: { os: 'linux', architecture: 'arm64' } })
  logged.length = 0
  const got = await fetchImage(`${reg.host}/arm:v1`, { content: newStore(), registries: noConf, platform: 'linux/amd64' })
  t.equal(got.config.architecture, 'arm64')
  t.match(logged.join('\n'), /WARN\[\d+\] image platform \(linux\/arm64\) does not match the expected platform \(linux\/amd64\/v1\)/)
})

t.test('docker schema 2 images and duplicate layers', async t => {
  const reg = await registry(t)
  const img = reg.addImage('dock', 'v1', { mediaType: MediaType.DockerManifest, layerSizes: [3000] })
  const got = await fetchImage(`${reg.host}/dock:v1`, { content: newStore(), registries: noConf })
  t.equal(got.manifestMediaType, MediaType.DockerManifest)
  t.equal(got.layers[0]!.mediaType, MediaType.DockerLayerGzip)

  // The same blob twice (e.g. two identical empty layers): one download, two hooks.
  const layer = img.layers[0]!
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.diffId, layer.diffId] } }))
  const configDigest = reg.addBlob(config)
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciConfig, digest: configDigest, size: config.length },
    layers: [0, 1].map(() => ({ mediaType: MediaType.OciLayerGzip, digest: layer.digest, size: layer.size })),
  }))
  reg.putManifest('dup', 'v1', manifest, MediaType.OciManifest)
  const before = reg.count(layer.digest)
  const hooked: number[] = []
  const dup = await fetchImage(`${reg.host}/dup:v1`, { content: newStore(), registries: noConf, onLayerCommitted: l => void hooked.push(l.index) })
  t.equal(reg.count(layer.digest) - before, 1)
  t.same(hooked.sort(), [0, 1])
  t.same(dup.layers.map(l => l.index), [0, 1])
})

t.test('errors name the image as podman does', async t => {
  const reg = await registry(t)
  reg.addImage('app', 'v1')
  const bad = reg.addImage('bad', 'v1', { layerSizes: [100, 200], diffIds: 1 })
  reg.putManifest('helm', 'v1', Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: bad.configDigest, size: bad.configBytes.length },
    layers: [],
  })), MediaType.OciManifest)
  const h = reg.host
  const pull = (name: string) => fetchImage(name, { content: newStore(), registries: noConf })
  await t.rejects(pull(`${h}/app:nope`), { code: 'not-found', message: `initializing source docker://${h}/app:nope: reading manifest nope in ${h}/app: manifest unknown: manifest unknown` })
  await t.rejects(pull(`${h}/ghost`), { code: 'not-found', message: `initializing source docker://${h}/ghost:latest: reading manifest latest in ${h}/ghost: name unknown: repository name not known to registry` })
  await t.rejects(pull(`${h}/bad:v1`), { code: 'data-loss', message: `invalid image ${h}/bad:v1: its config lists 1 layer diff IDs but its manifest has 2 layers` })
  await t.rejects(pull(`${h}/helm:v1`), { code: 'unsupported', message: /not a container image/ })
  await t.rejects(pull('Bad/Name'), { code: 'invalid-argument', message: 'repository name must be lowercase' })
  await reg.close()
  await t.rejects(pull(`${h}/app:v1`), {
    code: 'unavailable',
    message: `initializing source docker://${h}/app:v1: pinging container registry ${h}: Get "http://${h}/v2/": dial tcp ${h}: connect: connection refused`,
  })
})

t.test('short names: aliases, search registries, fallbacks', async t => {
  const one = await registry(t)
  const two = await registry(t)
  const img = two.addImage('busybox', 'latest')
  two.addImage('tools/x', 'v2')
  const conf = confOf(`unqualified-search-registries = ["${one.host}", "${two.host}"]\n[aliases]\n"tool" = "${two.host}/tools/x"\n`)
  const events: PullProgress[] = []
  const got = await fetchImage('busybox', { content: newStore(), registries: conf, onProgress: e => events.push(e) })
  t.equal(got.reference.toString(), `${two.host}/busybox:latest`)
  t.equal(got.manifestDigest, img.manifestDigest)
  t.same(events.filter(e => e.type === 'resolved' || e.type === 'trying').map(e => (e.type === 'resolved' ? e.description : `try ${e.reference}`)), [
    'Resolving "busybox" using unqualified-search registries (/test/registries.conf)',
    `try ${one.host}/busybox:latest`,
    `try ${two.host}/busybox:latest`,
  ])
  t.equal(one.count('/manifests/'), 1, 'the first registry was asked first')

  events.length = 0
  const aliased = await fetchImage('tool:v2', { content: newStore(), registries: conf, onProgress: e => events.push(e) })
  t.equal(aliased.reference.toString(), `${two.host}/tools/x:v2`)
  t.same(events[0], { type: 'resolved', description: 'Resolved "tool" as an alias (/test/registries.conf)' })

  await t.rejects(fetchImage('nothing', { content: newStore(), registries: conf }), {
    code: 'not-found',
    message: `2 errors occurred while pulling: * initializing source docker://${one.host}/nothing:latest: reading manifest latest in ${one.host}/nothing: name unknown: repository name not known to registry; * initializing source docker://${two.host}/nothing:latest: reading manifest latest in ${two.host}/nothing: name unknown: repository name not known to registry`,
  })
  await t.rejects(fetchImage('busybox', { content: newStore(), registries: noConf }), {
    code: 'invalid-argument',
    message: 'short-name "busybox" did not resolve to an alias and no containers-registries.conf(5) was found',
  })
})

t.test('registries.conf: location rewrite, blocked, insecure', async t => {
  const reg = await registry(t)
  const img = reg.addImage('mirror/app', 'v1')
  const conf = confOf(`
[[registry]]
prefix = "logical.example.com/app"
location = "${reg.host}/mirror/app"
[[registry]]
location = "blocked.example.com"
blocked = true
`)
  const got = await fetchImage('logical.example.com/app:v1', { content: newStore(), registries: conf })
  t.equal(got.reference.toString(), 'logical.example.com/app:v1', 'named as asked')
  t.equal(got.source.toString(), `${reg.host}/mirror/app:v1`, 'pulled from the location')
  t.equal(got.manifestDigest, img.manifestDigest)
  await t.rejects(fetchImage('blocked.example.com/x', { content: newStore(), registries: conf }), {
    code: 'permission-denied',
    message: 'registry blocked.example.com is blocked in /test/registries.conf',
  })
})

t.test('credentials: fixed, from a lookup, wrong', async t => {
  const reg = await registry(t, { auth: 'token', tokenNeedsCredentials: true, username: 'u', password: 'p' })
  reg.addImage('private', 'v1')
  const ok = await fetchImage(`${reg.host}/private:v1`, { content: newStore(), registries: noConf, auth: { username: 'u', password: 'p' } })
  t.equal(ok.layers.length, 2)
  const viaLookup = await fetchImage(`${reg.host}/private:v1`, {
    content: newStore(),
    registries: noConf,
    auth: (registry, repository) => (registry === reg.host && repository === 'private' ? { username: 'u', password: 'p' } : undefined),
  })
  t.equal(viaLookup.manifestDigest, ok.manifestDigest)
  await t.rejects(fetchImage(`${reg.host}/private:v1`, { content: newStore(), registries: noConf, auth: { username: 'u', password: 'x' } }), {
    code: 'unauthorized',
    message: `initializing source docker://${reg.host}/private:v1: unable to retrieve auth token: invalid username/password: unauthorized: invalid credentials`,
  })
})

t.test('bounded parallel downloads', async t => {
  const reg = await registry(t)
  reg.addImage('wide', 'v1', { layerSizes: [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008] })
  let inFlight = 0
  let peak = 0
  let held: (() => void)[] = []
  let target = 0
  // Hold blob answers until `target` requests wait at once (or a fallback timer fires), then release them.
  reg.overrides.push(async (req, res, path) => {
    if (!path.includes('/blobs/')) return false
    inFlight++
    peak = Math.max(peak, inFlight)
    await new Promise<void>(resolve => {
      held.push(resolve)
      if (held.length >= target) {
        const batch = held
        held = []
        for (const r of batch) r()
      } else setTimeout(resolve, 200)
    })
    inFlight--
    return false
  })
  target = 2
  await fetchImage(`${reg.host}/wide:v1`, { content: newStore(), registries: noConf, concurrency: 2 })
  t.equal(peak, 2, 'concurrency 2')
  peak = 0
  target = 6
  await fetchImage(`${reg.host}/wide:v1`, { content: newStore(), registries: noConf })
  t.equal(peak, 6, 'default concurrency 6 (podman)')
})

t.test('cancellation and failing hooks stop the pull cleanly', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1', { layerSizes: [300_000, 300_000] })
  reg.overrides.push((req, res, path) => {
    if (!path.endsWith(img.layers[1]!.digest)) return false
    res.writeHead(200, { 'Content-Length': img.layers[1]!.size })
    res.write(img.layers[1]!.bytes.subarray(0, 1000)) // then stalls
    return true
  })
  const store = newStore()
  const ac = new AbortController()
  await t.rejects(
    fetchImage(`${reg.host}/app:v1`, {
      content: store,
      registries: noConf,
      signal: ac.signal,
      onProgress: e => {
        if (e.type === 'bytes' && e.digest === img.layers[1]!.digest) ac.abort(new Error('interrupted'))
      },
    }),
    { message: 'interrupted' },
  )
  t.same(list(join(store.root, 'ingest')), [], 'no partial files left')
  t.notOk(blobsIn(store).includes(img.layers[1]!.digest))

  const reg2 = await registry(t)
  reg2.addImage('app', 'v1', { layerSizes: [1000, 2000, 3000] })
  const started = new Set<number>()
  const finished = new Set<number>()
  await t.rejects(
    fetchImage(`${reg2.host}/app:v1`, {
      content: newStore(),
      registries: noConf,
      onLayerCommitted: async layer => {
        started.add(layer.index)
        await new Promise(resolve => setTimeout(resolve, 20))
        finished.add(layer.index)
        if (layer.index === 0) throw new Error('unpack failed')
      },
    }),
    { message: 'unpack failed' },
  )
  t.ok(started.has(0))
  t.same([...finished].sort(), [...started].sort(), 'fetchImage settles only after every started hook settled')
})

t.test('a registry answering 500 for a manifest, then a broken token server', async t => {
  const reg = await registry(t, { auth: 'token' })
  reg.overrides.push((req, res, path) => (path === '/token' ? (json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'down' }] }), true) : false))
  await t.rejects(fetchImage(`${reg.host}/app:v1`, { content: newStore(), registries: noConf, auth: () => undefined }), {
    code: 'unavailable',
    message: `initializing source docker://${reg.host}/app:v1: unable to retrieve auth token: unavailable: down`,
  })
})
