import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { fixedCredentials } from '../auth-file.js'
import type { Digest } from '../digest.js'
import { LocalContentStore } from '../store/content.js'
import { apiHost, endpointsFor, RegistryClient } from './client.js'
import { FakeRegistry, json } from './fake-registry.js'
import { MediaType } from './media-types.js'

const root = mkdtempSync(join(tmpdir(), 'tspod-client-'))
t.teardown(() => rmSync(root, { recursive: true, force: true }))
let storeCount = 0
const newStore = () => new LocalContentStore(join(root, `store-${++storeCount}`))
const committed = (store: LocalContentStore) => {
  try {
    return readdirSync(join(store.root, 'blobs/sha256'))
  } catch {
    return []
  }
}
const ingestLeft = (store: LocalContentStore) => {
  try {
    return readdirSync(join(store.root, 'ingest'))
  } catch {
    return []
  }
}

async function registry(t: Tap, opts?: Parameters<typeof FakeRegistry.start>[0]) {
  const reg = await FakeRegistry.start(opts)
  t.teardown(() => reg.close())
  return reg
}
type Tap = { teardown(fn: () => unknown): void }

t.test('scheme rules', async t => {
  t.same(endpointsFor('quay.io', {}), [{ scheme: 'https', verify: true }])
  t.same(endpointsFor('127.0.0.1:5000', {}), [
    { scheme: 'http', verify: false },
    { scheme: 'https', verify: false },
  ])
  t.same(endpointsFor('localhost', {}).map(e => e.scheme), ['http', 'https'])
  t.same(endpointsFor('[::1]:5000', {}).map(e => e.scheme), ['http', 'https'])
  t.same(endpointsFor('127.0.0.1:5000', { tlsVerify: true }), [{ scheme: 'https', verify: true }], '--tls-verify=true wins over loopback')
  t.same(endpointsFor('quay.io', { insecure: true }), [
    { scheme: 'https', verify: false },
    { scheme: 'http', verify: false },
  ])
  t.same(endpointsFor('quay.io', { tlsVerify: false }).map(e => e.verify), [false, false])
  t.same(endpointsFor('quay.io', { insecure: true, tlsVerify: true }), [{ scheme: 'https', verify: true }])
  t.equal(apiHost('docker.io'), 'registry-1.docker.io')
  t.equal(apiHost('quay.io'), 'quay.io')
})

t.test('manifest by tag: digest from the bytes, not the header', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1')
  reg.overrides.push((req, res, path) => {
    if (!path.endsWith('/manifests/v1')) return false
    res.writeHead(200, { 'Content-Type': MediaType.OciManifest, 'Docker-Content-Digest': 'sha256:' + '0'.repeat(64) })
    res.end(img.manifestBytes)
    return true
  })
  const client = new RegistryClient(reg.host)
  const m = await client.getManifest('app', 'v1')
  t.equal(m.digest, img.manifestDigest)
  t.equal(m.mediaType, MediaType.OciManifest)
  t.equal(m.manifest.kind, 'manifest')
  t.ok(m.bytes.equals(img.manifestBytes))
  const accept = reg.requests.find(r => r.path.endsWith('/manifests/v1'))!.accept!
  for (const type of [MediaType.OciManifest, MediaType.DockerManifest, MediaType.OciIndex, MediaType.DockerManifestList]) {
    t.ok(accept.includes(type), `Accept lists ${type}`)
  }
  t.equal(reg.count('/v2/'), 2, 'one ping, one manifest')
  await client.getManifest('app', img.manifestDigest)
  t.equal(reg.requests.filter(r => r.path === '/v2/').length, 1, 'the ping is remembered')
})

t.test('manifest by digest is verified', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1')
  const other = reg.addImage('app', 'v2')
  // The registry answers the v1 digest with v2's bytes.
  reg.manifests.set(`app\n${img.manifestDigest}`, { bytes: other.manifestBytes, contentType: MediaType.OciManifest })
  const client = new RegistryClient(reg.host)
  await t.rejects(client.getManifest('app', img.manifestDigest), {
    code: 'data-loss',
    message: `reading manifest ${img.manifestDigest} in ${reg.host}/app: manifest digest mismatch: expected ${img.manifestDigest}, got ${other.manifestDigest}`,
  })
})

t.test('manifest errors map to codes with podman wording', async t => {
  const reg = await registry(t)
  reg.addImage('app', 'v1')
  reg.putManifest('old', 'v1', Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'old', tag: 'v1', fsLayers: [] })), MediaType.DockerSchema1Signed)
  reg.putManifest('junk', 'v1', Buffer.from('{"schemaVersion": 2, '), MediaType.OciManifest)
  reg.putManifest('art', 'v1', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.artifact.manifest.v1+json' })), 'application/json')
  reg.putManifest('nocfg', 'v1', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, layers: [] })), MediaType.OciManifest)
  reg.overrides.push((req, res, path) => {
    if (path.startsWith('/v2/broken/')) return json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'boom' }] }), true
    if (path.startsWith('/v2/plain/')) return res.writeHead(502).end('bad gateway'), true
    if (path.startsWith('/v2/huge/')) {
      res.writeHead(200, { 'Content-Type': MediaType.OciManifest })
      res.end(Buffer.alloc(5 * 1024 * 1024, 32))
      return true
    }
    return false
  })
  const client = new RegistryClient(reg.host)
  const h = reg.host
  await t.rejects(client.getManifest('app', 'nope'), { code: 'not-found', message: `reading manifest nope in ${h}/app: manifest unknown: manifest unknown` })
  await t.rejects(client.getManifest('ghost', 'latest'), {
    code: 'not-found',
    message: `reading manifest latest in ${h}/ghost: name unknown: repository name not known to registry`,
  })
  await t.rejects(client.getManifest('old', 'v1'), { code: 'unsupported', message: /schema 1 images are not supported/ })
  await t.rejects(client.getManifest('junk', 'v1'), { code: 'data-loss', message: /invalid manifest sha256:[0-9a-f]{64}: malformed JSON/ })
  await t.rejects(client.getManifest('art', 'v1'), { code: 'unsupported', message: 'unsupported manifest media type "application/vnd.oci.artifact.manifest.v1+json"' })
  await t.rejects(client.getManifest('nocfg', 'v1'), { code: 'data-loss', message: /config is missing/ })
  await t.rejects(client.getManifest('broken', 'v1'), { code: 'unavailable', message: `reading manifest v1 in ${h}/broken: unknown: boom` })
  await t.rejects(client.getManifest('plain', 'v1'), { code: 'unavailable', message: `reading manifest v1 in ${h}/plain: StatusCode: 502, Bad Gateway` })
  await t.rejects(client.getManifest('huge', 'v1'), { code: 'data-loss', message: /manifest is larger than the 4194304-byte limit/ })
})

t.test('connection refused and not a registry', async t => {
  const srv = http.createServer((req, res) => res.writeHead(404).end('nothing here'))
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as AddressInfo).port
  await t.rejects(new RegistryClient(`127.0.0.1:${port}`).getManifest('x', 'latest'), {
    code: 'unavailable',
    message: `pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": unexpected status 404 (not a registry speaking the v2 API)`,
  })
  await new Promise<void>(r => srv.close(() => r()))
  await t.rejects(new RegistryClient(`127.0.0.1:${port}`).getManifest('x', 'latest'), {
    code: 'unavailable',
    message: `pinging container registry 127.0.0.1:${port}: Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  })
  await t.rejects(new RegistryClient(`localhost:${port}`, { tlsVerify: true }).getManifest('x', 'latest'), {
    code: 'unavailable',
    message: new RegExp(`^pinging container registry localhost:${port}: Get "https://localhost:${port}/v2/": dial tcp (127\\.0\\.0\\.1|\\[::1\\]):${port}: connect: connection refused$`),
  })
  await t.rejects(new RegistryClient('no-such-host.invalid').getManifest('x', 'latest'), {
    code: 'unavailable',
    message: /pinging container registry no-such-host.invalid: Get "https:\/\/no-such-host.invalid\/v2\/": dial tcp: lookup no-such-host.invalid: no such host/,
  })
})

t.test('basic auth', async t => {
  const reg = await registry(t, { auth: 'basic', username: 'alice', password: 's3cret' })
  reg.addImage('app', 'v1')
  const good = new RegistryClient(reg.host, { auth: fixedCredentials({ username: 'alice', password: 's3cret' }) })
  t.equal((await good.getManifest('app', 'v1')).manifest.kind, 'manifest')
  const sent = reg.requests.filter(r => r.path.includes('/manifests/')).map(r => r.authorization)
  t.same(sent, [`Basic ${Buffer.from('alice:s3cret').toString('base64')}`], 'credentials sent up front after the ping')

  await t.rejects(new RegistryClient(reg.host, { auth: fixedCredentials({ username: 'alice', password: 'wrong' }) }).getManifest('app', 'v1'), {
    code: 'unauthorized',
    message: `reading manifest v1 in ${reg.host}/app: unauthorized: authentication required`,
  })
  await t.rejects(new RegistryClient(reg.host, { auth: () => undefined }).getManifest('app', 'v1'), {
    code: 'unauthorized',
    message: /unauthorized: authentication required/,
  })
  let asked: [string, string] | undefined
  const byRepo = new RegistryClient(reg.host, {
    auth: (registry, repository) => ((asked = [registry, repository]), { username: 'alice', password: 's3cret' }),
  })
  await byRepo.getManifest('app', 'v1')
  t.same(asked, [reg.host, 'app'], 'credentials are looked up per registry and repository')
})

t.test('bearer tokens: anonymous, cached per scope, with credentials', async t => {
  const reg = await registry(t, { auth: 'token', username: 'bob', password: 'pw' })
  const img = reg.addImage('team/app', 'v1')
  reg.addImage('other', 'v1')
  const client = new RegistryClient(reg.host, { auth: () => undefined })
  await client.getManifest('team/app', 'v1')
  await client.getManifest('team/app', img.manifestDigest)
  t.equal(reg.tokensIssued, 1, 'one token for two requests in the same scope')
  const tokenReq = reg.requests.find(r => r.path.startsWith('/token'))!
  t.equal(tokenReq.authorization, undefined, 'anonymous token request')
  const q = new URL(tokenReq.path, 'http://x').searchParams
  t.equal(q.get('service'), 'fake-registry')
  t.same(q.getAll('scope'), ['repository:team/app:pull'])
  await client.getManifest('other', 'v1')
  t.equal(reg.tokensIssued, 2, 'another scope, another token')

  const authed = new RegistryClient(reg.host, { auth: fixedCredentials({ username: 'bob', password: 'pw' }) })
  await authed.getManifest('team/app', 'v1')
  const last = reg.requests.filter(r => r.path.startsWith('/token')).at(-1)!
  t.equal(last.authorization, `Basic ${Buffer.from('bob:pw').toString('base64')}`)
  t.equal(new URL(last.path, 'http://x').searchParams.get('account'), 'bob')
  t.match(reg.requests.at(-1)!.authorization, /^Bearer tok-/)

  await t.rejects(new RegistryClient(reg.host, { auth: fixedCredentials({ username: 'bob', password: 'nope' }) }).getManifest('team/app', 'v1'), {
    code: 'unauthorized',
    message: 'unable to retrieve auth token: invalid username/password: unauthorized: invalid credentials',
  })
})

t.test('a private token server refuses anonymous tokens', async t => {
  const reg = await registry(t, { auth: 'token', tokenNeedsCredentials: true, username: 'u', password: 'p' })
  reg.addImage('app', 'v1')
  await t.rejects(new RegistryClient(reg.host, { auth: () => undefined }).getManifest('app', 'v1'), {
    code: 'unauthorized',
    message: 'unable to retrieve auth token: unauthorized: invalid credentials',
  })
})

t.test('bearer: an expired token is renewed once; a wider scope is requested', async t => {
  const reg = await registry(t, { auth: 'token' })
  reg.addImage('app', 'v1')
  const client = new RegistryClient(reg.host, { auth: () => undefined })
  await client.getManifest('app', 'v1')
  reg.revokeTokens()
  await client.getManifest('app', 'v1')
  t.equal(reg.tokensIssued, 2, 'invalid_token: a fresh token')

  // A registry that wants an extra scope (e.g. a cross-repository mount) says so in its challenge.
  const reg2 = await registry(t, { auth: 'token' })
  reg2.addImage('app', 'v1')
  let challenged = false
  reg2.overrides.push((req, res, path) => {
    if (!path.includes('/manifests/') || challenged) return false
    challenged = true
    res.setHeader('WWW-Authenticate', `Bearer realm="http://${reg2.host}/token",service="fake-registry",scope="repository:app:pull repository:base:pull",error="insufficient_scope"`)
    json(res, 401, { errors: [{ code: 'DENIED', message: 'insufficient scope' }] })
    return true
  })
  await new RegistryClient(reg2.host, { auth: () => undefined }).getManifest('app', 'v1')
  const scopes = reg2.requests.filter(r => r.path.startsWith('/token')).map(r => new URL(r.path, 'http://x').searchParams.getAll('scope'))
  t.same(scopes.at(-1), ['repository:app:pull', 'repository:base:pull'])

  // A 401 that a new token cannot fix is reported, not retried forever.
  const reg3 = await registry(t, { auth: 'token' })
  reg3.overrides.push((req, res, path) => {
    if (!path.includes('/manifests/')) return false
    res.setHeader('WWW-Authenticate', `Bearer realm="http://${reg3.host}/token",service="fake-registry",scope="repository:app:pull"`)
    json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] })
    return true
  })
  await t.rejects(new RegistryClient(reg3.host, { auth: () => undefined }).getManifest('app', 'v1'), { code: 'unauthorized' })
  t.equal(reg3.count('/manifests/'), 1, 'no retry with the same scope')
})

t.test('anonymous /v2/ but an authenticated repository', async t => {
  const reg = await registry(t, { auth: 'none' })
  reg.addImage('app', 'v1')
  reg.overrides.push((req, res, path) => {
    if (!path.includes('/manifests/') || req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`) return false
    res.setHeader('WWW-Authenticate', 'Basic realm="repo"')
    json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] })
    return true
  })
  const m = await new RegistryClient(reg.host, { auth: fixedCredentials({ username: 'u', password: 'p' }) }).getManifest('app', 'v1')
  t.equal(m.manifest.kind, 'manifest')
  t.same(reg.requests.filter(r => r.path.includes('/manifests/')).map(r => r.authorization !== undefined), [false, true])
})

t.test('blobs: streamed, verified, committed', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1', { layerSizes: [300_000] })
  const layer = img.layers[0]!
  const store = newStore()
  const client = new RegistryClient(reg.host)
  let bytes = 0
  let chunks = 0
  const info = await client.fetchBlob('app', layer, await store.writer(layer.digest, layer.size), {
    onBytes: n => {
      bytes += n
      chunks++
    },
  })
  t.same(info, { digest: layer.digest, size: layer.size })
  t.equal(bytes, layer.size)
  t.ok(chunks > 1, 'progress arrives in several chunks')
  t.ok(readFileSync(store.blobPath(layer.digest)).equals(layer.bytes))
  t.same(ingestLeft(store), [])
})

t.test('blobs: redirects, credentials kept to the registry', async t => {
  const reg = await registry(t, { auth: 'basic', username: 'u', password: 'p' })
  const img = reg.addImage('app', 'v1', { layerSizes: [5000, 6000] })
  const storage: { path: string; authorization?: string }[] = []
  const cdn = http.createServer((req, res) => {
    storage.push({ path: req.url!, authorization: req.headers.authorization })
    const blob = reg.blobs.get(req.url!.slice(1).split('?')[0]!)
    if (!blob) return res.writeHead(404).end()
    res.writeHead(200, { 'Content-Length': blob.length }).end(blob)
  })
  await new Promise<void>(r => cdn.listen(0, '127.0.0.1', r))
  t.teardown(() => {
    cdn.closeAllConnections()
    cdn.close()
  })
  const cdnPort = (cdn.address() as AddressInfo).port
  const [first, second] = img.layers as [(typeof img.layers)[0], (typeof img.layers)[0]]
  reg.overrides.push((req, res, path) => {
    if (req.headers.authorization === undefined) return false
    if (path === `/v2/app/blobs/${first.digest}`) return res.writeHead(307, { Location: `http://localhost:${cdnPort}/${first.digest}?sig=abc` }).end(), true
    if (path === `/v2/app/blobs/${second.digest}`) return res.writeHead(302, { Location: `/internal/${second.digest}` }).end(), true
    if (path === `/internal/${second.digest}`) return res.writeHead(301, { Location: `/v2/app/blobs/${second.digest}?hop=2` }).end(), true
    return false
  })
  const store = newStore()
  const client = new RegistryClient(reg.host, { auth: fixedCredentials({ username: 'u', password: 'p' }) })
  await client.fetchBlob('app', first, await store.writer(first.digest, first.size))
  t.same(storage, [{ path: `/${first.digest}?sig=abc`, authorization: undefined }], 'no credentials to another origin')
  reg.overrides.unshift((req, res, path) => {
    if (!path.startsWith(`/v2/app/blobs/${second.digest}`) || !req.url!.includes('hop=2')) return false
    res.writeHead(200, { 'Content-Length': second.size }).end(second.bytes)
    return true
  })
  await client.fetchBlob('app', second, await store.writer(second.digest, second.size))
  t.ok(reg.requests.filter(r => r.path.startsWith('/internal/')).every(r => r.authorization !== undefined), 'same origin keeps credentials')
  t.same(committed(store).sort(), [first.digest, second.digest].map(d => d.slice(7)).sort())

  reg.overrides.unshift((req, res, path) => (path.startsWith('/loop') ? (res.writeHead(302, { Location: '/loop' }).end(), true) : false))
  reg.overrides.unshift((req, res, path) => (path === '/v2/app/blobs/sha256:' + 'e'.repeat(64) ? (res.writeHead(302, { Location: '/loop' }).end(), true) : false))
  const d = ('sha256:' + 'e'.repeat(64)) as Digest
  await t.rejects(client.fetchBlob('app', { digest: d, size: 1 }, await store.writer(d, 1)), { code: 'unavailable', message: /stopped after 10 redirects/ })
})

t.test('blobs: corrupt, short, long, cut off, missing', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1', { layerSizes: [100_000] })
  const layer = img.layers[0]!
  const client = new RegistryClient(reg.host)
  const store = newStore()
  let mode = ''
  reg.overrides.push((req, res, path) => {
    if (path !== `/v2/app/blobs/${layer.digest}`) return false
    const b = Buffer.from(layer.bytes)
    if (mode === 'corrupt') {
      b[500] = b[500]! ^ 0xff
      res.writeHead(200, { 'Content-Length': b.length }).end(b)
    } else if (mode === 'short') {
      res.writeHead(200, { 'Content-Length': b.length - 10 }).end(b.subarray(0, b.length - 10))
    } else if (mode === 'long') {
      res.writeHead(200).end(Buffer.concat([b, Buffer.from('extra')]))
    } else if (mode === 'cut') {
      // Promises the whole blob, sends part of it, and hangs up.
      res.writeHead(200, { 'Content-Length': b.length })
      res.write(b.subarray(0, 40_000), () => res.socket!.destroy())
    } else return false
    return true
  })
  const attempt = async () => client.fetchBlob('app', layer, await store.writer(layer.digest, layer.size))
  mode = 'corrupt'
  await t.rejects(attempt(), { code: 'data-loss', message: new RegExp(`^reading blob ${layer.digest}: blob digest mismatch: expected ${layer.digest}, got sha256:`) })
  mode = 'short'
  await t.rejects(attempt(), { code: 'data-loss', message: `reading blob ${layer.digest}: blob ${layer.digest} is truncated: got ${layer.size - 10} of ${layer.size} bytes` })
  mode = 'long'
  await t.rejects(attempt(), { code: 'data-loss', message: /is larger than its descriptor says/ })
  mode = 'cut'
  await t.rejects(attempt(), { code: 'unavailable', message: new RegExp(`^reading blob ${layer.digest}: connection closed after \\d+ of ${layer.size} bytes: unexpected EOF$`) })
  const missing = ('sha256:' + 'f'.repeat(64)) as Digest
  await t.rejects(client.fetchBlob('app', { digest: missing, size: 3 }, await store.writer(missing, 3)), {
    code: 'not-found',
    message: `reading blob ${missing}: fetching blob: blob unknown: blob unknown to registry`,
  })
  t.same(committed(store), [], 'nothing committed')
  t.same(ingestLeft(store), [], 'no temp files left')
  mode = ''
  await attempt()
  t.same(committed(store), [layer.digest.slice(7)], 'the next attempt succeeds')
})

t.test('blobs: cancelled by the caller', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1', { layerSizes: [200_000] })
  const layer = img.layers[0]!
  reg.overrides.push((req, res, path) => {
    if (path !== `/v2/app/blobs/${layer.digest}`) return false
    res.writeHead(200, { 'Content-Length': layer.size })
    res.write(layer.bytes.subarray(0, 1000)) // and never more
    return true
  })
  const store = newStore()
  const ac = new AbortController()
  const client = new RegistryClient(reg.host)
  const p = client.fetchBlob('app', layer, await store.writer(layer.digest, layer.size), {
    signal: ac.signal,
    onBytes: () => ac.abort(new Error('user cancelled')),
  })
  await t.rejects(p, { message: 'user cancelled' })
  t.same(ingestLeft(store), [])
  t.same(committed(store), [])
})

t.test('TLS: verification, --tls-verify=false, insecure', async t => {
  const dir = mkdtempSync(join(root, 'tls-'))
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'pipe' })
  } catch (err) {
    t.fail(`openssl is needed to make a test certificate: ${(err as Error).message}`)
    return
  }
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1')
  // A TLS front for the fake registry.
  const srv = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const up = http.request({ host: '127.0.0.1', port: reg.port, path: req.url, method: req.method, headers: req.headers }, r => {
      res.writeHead(r.statusCode!, r.headers)
      r.pipe(res)
    })
    req.pipe(up)
  })
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => {
    srv.closeAllConnections()
    srv.close()
  })
  const host = `localhost:${(srv.address() as AddressInfo).port}`
  await t.rejects(new RegistryClient(host, { tlsVerify: true }).getManifest('app', 'v1'), {
    code: 'unavailable',
    message: new RegExp(`^pinging container registry ${host}: Get "https://${host}/v2/": tls: failed to verify certificate: self[- ]signed certificate`),
  })
  t.equal((await new RegistryClient(host, { tlsVerify: false }).getManifest('app', 'v1')).digest, img.manifestDigest)
  t.equal((await new RegistryClient(host, { insecure: true }).getManifest('app', 'v1')).digest, img.manifestDigest)
  t.equal((await new RegistryClient(host).getManifest('app', 'v1')).digest, img.manifestDigest, 'loopback: HTTP first, then HTTPS')
})

t.test('--tls-verify=false and insecure registries still reach a plain-HTTP registry', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1')
  t.equal((await new RegistryClient(reg.host, { tlsVerify: false }).getManifest('app', 'v1')).digest, img.manifestDigest)
  t.equal((await new RegistryClient(reg.host, { insecure: true }).getManifest('app', 'v1')).digest, img.manifestDigest)
  await t.rejects(new RegistryClient(reg.host, { tlsVerify: true }).getManifest('app', 'v1'), {
    code: 'unavailable',
    message: `pinging container registry ${reg.host}: Get "https://${reg.host}/v2/": http: server gave HTTP response to HTTPS client`,
  })
})

t.test('a registry that stops answering times out', async t => {
  const reg = await registry(t)
  const img = reg.addImage('app', 'v1', { layerSizes: [50_000] })
  const layer = img.layers[0]!
  reg.overrides.push((req, res, path) => {
    if (path.includes('/manifests/stall')) return true // never answers
    if (path !== `/v2/app/blobs/${layer.digest}`) return false
    res.writeHead(200, { 'Content-Length': layer.size })
    res.write(layer.bytes.subarray(0, 100)) // then silence
    return true
  })
  const client = new RegistryClient(reg.host, { timeoutMs: 200 })
  await t.rejects(client.getManifest('app', 'stall'), {
    code: 'unavailable',
    message: `reading manifest stall in ${reg.host}/app: net/http: timeout awaiting response headers`,
  })
  const store = newStore()
  await t.rejects(client.fetchBlob('app', layer, await store.writer(layer.digest, layer.size)), {
    code: 'unavailable',
    message: `reading blob ${layer.digest}: connection closed after 100 of ${layer.size} bytes: i/o timeout`,
  })
  t.same(ingestLeft(store), [])
})

t.test('a 401 without a usable challenge', async t => {
  const reg = await registry(t)
  reg.overrides.push((req, res, path) => (path.includes('/manifests/') ? (json(res, 403, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }), true) : false))
  await t.rejects(new RegistryClient(reg.host).getManifest('app', 'v1'), {
    code: 'unauthorized',
    message: `reading manifest v1 in ${reg.host}/app: denied: requested access to the resource is denied`,
  })
})
