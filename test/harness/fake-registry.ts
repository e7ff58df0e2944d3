/**
 * A tiny read-only registry (Node http) serving exactly the bytes it is
 * given — for what a real registry refuses to store or always gets right:
 * malformed manifest JSON, schema1, unknown media types, an index without
 * the host's platform, content that does not match its digest, a blob cut
 * off mid-transfer. `withNegativeRegistry(t)` serves all the prepared cases.
 *
 * API subset: GET/HEAD /v2/, /v2/NAME/manifests/REF, /v2/NAME/blobs/DIGEST.
 * No auth, plain HTTP on 127.0.0.1 (mark it insecure like the real ones).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { pack } from 'tar-stream'
import type { TeardownHost } from './registry.js'
import { MEDIA_TYPES, sha256 } from './fixtures/oci-layout.js'

export interface FakeManifest {
  /** Served as Content-Type. */
  mediaType: string
  body: string | Buffer
  /** Docker-Content-Digest to announce; default: the body's real digest; null: no header. */
  digestHeader?: string | null
}

export interface FakeBlob {
  body: Buffer
  /** Content-Length to announce; default body.length. */
  contentLength?: number
  /** Drop the connection after sending this many bytes. */
  cutAfter?: number
}

export interface FakeRegistryContent {
  /**
   * 'REPO:TAG' or 'REPO@sha256:…' → manifest. Every manifest is also served
   * under its real digest in its repository.
   */
  manifests: Record<string, FakeManifest>
  /** Blobs by digest, served in every repository. */
  blobs?: Record<string, Buffer | FakeBlob>
}

export interface FakeRequest {
  method: string
  path: string
  accept?: string
}

export interface FakeRegistry {
  host: string
  url: string
  requests: FakeRequest[]
  stop(): Promise<void>
}

export async function startFakeRegistry(content: FakeRegistryContent): Promise<FakeRegistry> {
  const manifests = new Map<string, FakeManifest>()
  for (const [key, m] of Object.entries(content.manifests)) {
    manifests.set(key, m)
    const repo = key.split(/[:@]/)[0]!
    const byDigest = `${repo}@${sha256(m.body)}`
    if (!manifests.has(byDigest)) manifests.set(byDigest, m)
  }
  const blobs = new Map<string, FakeBlob>(
    Object.entries(content.blobs ?? {}).map(([d, b]) => [d, Buffer.isBuffer(b) ? { body: b } : b]),
  )
  const requests: FakeRequest[] = []
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    requests.push({ method: req.method ?? '', path, accept: req.headers.accept })
    const head = req.method === 'HEAD'
    const base = { 'docker-distribution-api-version': 'registry/2.0' }
    const notFound = (code: string) => {
      res.writeHead(404, { ...base, 'content-type': 'application/json' })
      res.end(head ? undefined : JSON.stringify({ errors: [{ code, message: `${code.toLowerCase().replace('_', ' ')}` }] }))
    }
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, base)
      return res.end()
    }
    if (path === '/v2/' || path === '/v2') {
      res.writeHead(200, { ...base, 'content-type': 'application/json' })
      return res.end(head ? undefined : '{}')
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path)
    if (!m) return notFound('NAME_UNKNOWN')
    const [, repo, kind, ref] = m as unknown as [string, string, string, string]
    if (kind === 'manifests') {
      const manifest = manifests.get(ref.startsWith('sha256:') ? `${repo}@${ref}` : `${repo}:${ref}`)
      if (!manifest) return notFound('MANIFEST_UNKNOWN')
      const body = Buffer.from(manifest.body)
      const digest = manifest.digestHeader === undefined ? sha256(body) : manifest.digestHeader
      res.writeHead(200, {
        ...base,
        'content-type': manifest.mediaType,
        'content-length': body.length,
        ...(digest ? { 'docker-content-digest': digest } : {}),
      })
      return res.end(head ? undefined : body)
    }
    const blob = blobs.get(ref)
    if (!blob) return notFound('BLOB_UNKNOWN')
    res.writeHead(200, {
      ...base,
      'content-type': 'application/octet-stream',
      'content-length': blob.contentLength ?? blob.body.length,
      'docker-content-digest': ref,
    })
    if (head) return res.end()
    if (blob.cutAfter !== undefined) {
      res.write(blob.body.subarray(0, blob.cutAfter), () => res.destroy())
      return
    }
    res.end(blob.body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  let stopping: Promise<void> | undefined
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      (stopping ??= new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })),
  }
}

export async function withFakeRegistry(t: TeardownHost, content: FakeRegistryContent): Promise<FakeRegistry> {
  const registry = await startFakeRegistry(content)
  t.teardown(() => registry.stop())
  return registry
}

// ---------------------------------------------------------------------------
// Prepared negative cases

export type NegativeCaseName =
  | 'malformed-manifest'
  | 'schema1'
  | 'unsupported-media-type'
  | 'unsupported-layer'
  | 'foreign-platforms'
  | 'digest-mismatch'
  | 'short-blob'
  | 'missing-blob'
  | 'size-mismatch'

export interface NegativeCase {
  name: NegativeCaseName
  /** Repository in the fake registry (same as the name). */
  repo: string
  /** ':latest', or '@sha256:…' for cases that need a pull by digest. */
  ref: string
  description: string
  /** The tspod error codes (src/engine/errors.ts) a correct client may fail with. */
  expectedCodes: string[]
}

export interface NegativeCaseOnHost extends NegativeCase {
  /** `HOST/REPO:latest` or `HOST/REPO@sha256:…` */
  reference: string
}

async function tarOf(text: string): Promise<Buffer> {
  const p = pack()
  p.entry({ name: 'hello', mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 }, text)
  p.finalize()
  const chunks: Buffer[] = []
  for await (const c of p) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

/** A gzipped one-file layer; different `text` gives a different digest. */
async function layer(text: string): Promise<{ gz: Buffer; diffId: string; digest: string }> {
  const tar = await tarOf(text)
  const gz = gzipSync(tar)
  return { gz, diffId: sha256(tar), digest: sha256(gz) }
}

function configFor(architecture: string, diffIds: string[]): Buffer {
  return Buffer.from(JSON.stringify({ architecture, os: 'linux', config: { Cmd: ['/hello'] }, rootfs: { type: 'layers', diff_ids: diffIds } }))
}

function ociManifest(config: Buffer, layers: { digest: string; size: number; mediaType?: string }[], mediaType: string = MEDIA_TYPES.ociManifest): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(config), size: config.length },
    layers: layers.map(l => ({ mediaType: l.mediaType ?? MEDIA_TYPES.ociLayerGzip, digest: l.digest, size: l.size })),
  })
}

/** Content for a fake registry holding every negative case, and their descriptions. */
export async function buildNegativeCases(): Promise<{ content: FakeRegistryContent; cases: NegativeCase[] }> {
  const good = await layer('hello from the fake registry\n')
  const shortLayer = await layer('this layer is cut off in transit\n'.repeat(64))
  const missingLayer = await layer('this layer is never served\n')
  const sizeLayer = await layer('this layer is shorter than its descriptor says\n')
  const config = configFor('amd64', [good.diffId])
  const s390x = configFor('s390x', [good.diffId])
  const ppc64le = configFor('ppc64le', [good.diffId])
  const goodManifest = ociManifest(config, [{ digest: good.digest, size: good.gz.length }])
  const s390xManifest = ociManifest(s390x, [{ digest: good.digest, size: good.gz.length }])
  const ppcManifest = ociManifest(ppc64le, [{ digest: good.digest, size: good.gz.length }])
  const oci = (body: string): FakeManifest => ({ mediaType: MEDIA_TYPES.ociManifest, body })

  const schema1 = JSON.stringify(
    {
      schemaVersion: 1,
      name: 'schema1',
      tag: 'latest',
      architecture: 'amd64',
      fsLayers: [{ blobSum: good.digest }],
      history: [{ v1Compatibility: JSON.stringify({ id: 'a'.repeat(64), created: '2016-01-01T00:00:00Z', container_config: { Cmd: ['/hello'] } }) }],
      signatures: [
        {
          header: { jwk: { crv: 'P-256', kid: 'AAAA:BBBB:CCCC:DDDD:EEEE:FFFF:GGGG:HHHH:IIII:JJJJ:KKKK:LLLL', kty: 'EC', x: 'AAAA', y: 'BBBB' }, alg: 'ES256' },
          signature: 'c2lnbmF0dXJl',
          protected: 'eyJmb3JtYXRMZW5ndGgiOjEsImZvcm1hdFRhaWwiOiJDbjAiLCJ0aW1lIjoiMjAxNi0wMS0wMVQwMDowMDowMFoifQ',
        },
      ],
    },
    null,
    3,
  )
  const unknownType = 'application/vnd.example.unknown.manifest.v1+json'
  const foreignIndex = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [
      { mediaType: MEDIA_TYPES.ociManifest, digest: sha256(s390xManifest), size: s390xManifest.length, platform: { architecture: 's390x', os: 'linux' } },
      { mediaType: MEDIA_TYPES.ociManifest, digest: sha256(ppcManifest), size: ppcManifest.length, platform: { architecture: 'ppc64le', os: 'linux' } },
    ],
  })
  const shortConfig = configFor('amd64', [shortLayer.diffId])
  const missingConfig = configFor('amd64', [missingLayer.diffId])
  const sizeConfig = configFor('amd64', [sizeLayer.diffId])

  const content: FakeRegistryContent = {
    manifests: {
      'malformed-manifest:latest': oci(goodManifest.slice(0, Math.floor(goodManifest.length / 2))),
      'schema1:latest': { mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws', body: schema1 },
      'unsupported-media-type:latest': { mediaType: unknownType, body: ociManifest(config, [{ digest: good.digest, size: good.gz.length }], unknownType) },
      'unsupported-layer:latest': oci(ociManifest(config, [{ digest: good.digest, size: good.gz.length, mediaType: 'application/vnd.example.layer.v1.tar+lz4' }])),
      'foreign-platforms:latest': { mediaType: MEDIA_TYPES.ociIndex, body: foreignIndex },
      'foreign-platforms:s390x': oci(s390xManifest),
      'foreign-platforms:ppc64le': oci(ppcManifest),
      // Asked for by the digest of the good manifest, answers with other bytes.
      [`digest-mismatch@${sha256(goodManifest)}`]: { ...oci(goodManifest.replace('{', '{ ')), digestHeader: sha256(goodManifest) },
      'short-blob:latest': oci(ociManifest(shortConfig, [{ digest: shortLayer.digest, size: shortLayer.gz.length }])),
      'missing-blob:latest': oci(ociManifest(missingConfig, [{ digest: missingLayer.digest, size: missingLayer.gz.length }])),
      'size-mismatch:latest': oci(ociManifest(sizeConfig, [{ digest: sizeLayer.digest, size: sizeLayer.gz.length + 100 }])),
    },
    blobs: {
      [good.digest]: good.gz,
      [sha256(config)]: config,
      [sha256(s390x)]: s390x,
      [sha256(ppc64le)]: ppc64le,
      [shortLayer.digest]: { body: shortLayer.gz, cutAfter: Math.floor(shortLayer.gz.length / 2) },
      [sha256(shortConfig)]: shortConfig,
      [sha256(missingConfig)]: missingConfig,
      [sizeLayer.digest]: sizeLayer.gz,
      [sha256(sizeConfig)]: sizeConfig,
    },
  }
  const cases: NegativeCase[] = [
    { name: 'malformed-manifest', repo: 'malformed-manifest', ref: ':latest', description: 'manifest body is truncated JSON (served as an OCI manifest)', expectedCodes: ['data-loss'] },
    { name: 'schema1', repo: 'schema1', ref: ':latest', description: 'Docker schema 1 signed manifest (manifest.v1+prettyjws)', expectedCodes: ['unsupported'] },
    { name: 'unsupported-media-type', repo: 'unsupported-media-type', ref: ':latest', description: `manifest of unknown media type ${unknownType}`, expectedCodes: ['unsupported'] },
    { name: 'unsupported-layer', repo: 'unsupported-layer', ref: ':latest', description: 'OCI manifest whose layer has media type application/vnd.example.layer.v1.tar+lz4', expectedCodes: ['unsupported'] },
    { name: 'foreign-platforms', repo: 'foreign-platforms', ref: ':latest', description: 'OCI index listing only linux/s390x and linux/ppc64le', expectedCodes: ['unsupported', 'not-found'] },
    { name: 'digest-mismatch', repo: 'digest-mismatch', ref: `@${sha256(goodManifest)}`, description: 'pull by digest answered with a manifest whose bytes hash differently (header still claims the asked digest)', expectedCodes: ['data-loss'] },
    { name: 'short-blob', repo: 'short-blob', ref: ':latest', description: 'layer download announces the full Content-Length, then the connection drops half way', expectedCodes: ['data-loss', 'unavailable'] },
    { name: 'missing-blob', repo: 'missing-blob', ref: ':latest', description: 'manifest references a layer the registry answers 404 BLOB_UNKNOWN for', expectedCodes: ['not-found'] },
    { name: 'size-mismatch', repo: 'size-mismatch', ref: ':latest', description: "layer descriptor's size is 100 bytes more than the blob", expectedCodes: ['data-loss'] },
  ]
  return { content, cases }
}

/** A fake registry serving every negative case; `cases[name].reference` is what to pull. */
export async function withNegativeRegistry(t: TeardownHost): Promise<{ registry: FakeRegistry; cases: Record<NegativeCaseName, NegativeCaseOnHost> }> {
  const { content, cases } = await buildNegativeCases()
  const registry = await withFakeRegistry(t, content)
  const byName = Object.fromEntries(cases.map(c => [c.name, { ...c, reference: `${registry.host}/${c.repo}${c.ref}` }]))
  return { registry, cases: byName as Record<NegativeCaseName, NegativeCaseOnHost> }
}
