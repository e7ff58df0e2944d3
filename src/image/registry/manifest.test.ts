import t from 'tap'
import { parseImageConfig } from './image-config.js'
import { assertContainerImage, type ImageManifest, parseManifest } from './manifest.js'
import { MediaType } from './media-types.js'

const D1 = 'sha256:' + '1'.repeat(64)
const D2 = 'sha256:' + '2'.repeat(64)
const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v))
const dataLoss = (message: RegExp | string) => ({ code: 'data-loss', message })

const ociManifest = {
  schemaVersion: 2,
  mediaType: MediaType.OciManifest,
  config: { mediaType: MediaType.OciConfig, digest: D1, size: 10 },
  layers: [{ mediaType: MediaType.OciLayerGzip, digest: D2, size: 20, annotations: { a: 'b' } }],
  annotations: { 'org.opencontainers.image.created': 'now' },
}

t.test('image manifests', async t => {
  const m = parseManifest(enc(ociManifest))
  t.same(m, { kind: 'manifest', ...ociManifest })
  const noType = { ...ociManifest, mediaType: undefined }
  t.equal(parseManifest(enc(noType)).mediaType, MediaType.OciManifest, 'shape, when there is no mediaType')
  t.equal(parseManifest(enc(noType), `${MediaType.DockerManifest}; charset=utf-8`).mediaType, MediaType.DockerManifest, 'the header when the body has none')
  t.equal(parseManifest(enc(ociManifest), MediaType.DockerManifest).mediaType, MediaType.OciManifest, 'the body wins over the header')
  const docker = { ...ociManifest, mediaType: MediaType.DockerManifest }
  t.equal(parseManifest(enc(docker)).kind, 'manifest')
  const d = parseManifest(enc({ ...ociManifest, config: { ...ociManifest.config, urls: ['https://x'], extra: 1 } })) as ImageManifest
  t.same(d.config, { mediaType: MediaType.OciConfig, digest: D1, size: 10, urls: ['https://x'] }, 'unknown descriptor fields are dropped')
})

t.test('indexes', async t => {
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: [
      { mediaType: MediaType.OciManifest, digest: D1, size: 5, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: MediaType.OciManifest, digest: D2, size: 6, platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0', 'os.features': ['win32k'] } },
    ],
  }
  t.same(parseManifest(enc(index)), { kind: 'index', ...index })
  t.equal(parseManifest(enc({ ...index, mediaType: MediaType.DockerManifestList })).kind, 'index')
  t.equal(parseManifest(enc({ schemaVersion: 2, manifests: [] })).mediaType, MediaType.OciIndex, 'shape')
})

t.test('schema 1 and unknown types are unsupported', async t => {
  const unsupported = (message: RegExp) => ({ code: 'unsupported', message })
  t.throws(() => parseManifest(enc({ schemaVersion: 1, name: 'x', fsLayers: [] })), unsupported(/^unsupported manifest type application\/vnd.docker.distribution.manifest.v1\+json: Docker schema 1 images are not supported/))
  t.throws(() => parseManifest(enc({ schemaVersion: 1 }), MediaType.DockerSchema1Signed), unsupported(/schema 1 images are not supported/))
  t.throws(() => parseManifest(enc({ signatures: [] }), MediaType.DockerSchema1Signed), unsupported(/manifest.v1\+prettyjws: Docker schema 1/), 'by header')
  t.throws(() => parseManifest(enc({ schemaVersion: 2, mediaType: 'application/vnd.cncf.helm.chart' })), unsupported(/unsupported manifest media type "application\/vnd.cncf.helm.chart"/))
  t.throws(() => parseManifest(enc({ schemaVersion: 2 }), 'text/plain'), unsupported(/unsupported manifest media type "text\/plain"/))
})

t.test('malformed documents', async t => {
  const cases: [unknown, RegExp][] = [
    ['{"schemaVersion": 2,', /invalid manifest X: malformed JSON/],
    ['[1, 2]', /not a JSON object/],
    [{ schemaVersion: 2 }, /no mediaType, and neither/],
    [{ ...ociManifest, schemaVersion: 3 }, /schemaVersion must be 2, got 3/],
    [{ ...ociManifest, config: undefined }, /config is missing/],
    [{ ...ociManifest, layers: {} }, /layers must be an array/],
    [{ ...ociManifest, config: { ...ociManifest.config, digest: 'sha256:abc' } }, /config.digest "sha256:abc" is not a valid sha256\/sha512 digest/],
    [{ ...ociManifest, config: { ...ociManifest.config, size: -1 } }, /config.size must be a non-negative integer/],
    [{ ...ociManifest, config: { ...ociManifest.config, size: '10' } }, /config.size must be a non-negative integer/],
    [{ ...ociManifest, config: { digest: D1, size: 1 } }, /config.mediaType is missing/],
    [{ ...ociManifest, layers: [null] }, /layers\[0\] must be an object/],
    [{ ...ociManifest, layers: [{ ...ociManifest.layers[0], urls: 'x' }] }, /layers\[0\].urls must be an array of strings/],
    [{ ...ociManifest, annotations: { a: 1 } }, /annotations must be a map of strings/],
    [{ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: 'x' }, /manifests must be an array/],
    [{ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [{ mediaType: MediaType.OciManifest, digest: D1, size: 1, platform: { os: 'linux' } }] }, /manifests\[0\].platform must have string "os" and "architecture"/],
    [{ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [{ mediaType: MediaType.OciManifest, digest: D1, size: 1, platform: { os: 'linux', architecture: 'arm', variant: 7 } }] }, /variant must be a string/],
  ]
  for (const [doc, message] of cases) t.throws(() => parseManifest(enc(doc), undefined, 'manifest X'), dataLoss(message), message.source)
  t.throws(() => parseManifest(enc('nope'), undefined, 'manifest sha256:x'), dataLoss(/^invalid manifest sha256:x: malformed JSON$/), 'names the document')
})

t.test('container images only', async t => {
  const m = parseManifest(enc(ociManifest)) as ImageManifest
  t.doesNotThrow(() => assertContainerImage(m))
  t.throws(() => assertContainerImage({ ...m, config: { ...m.config, mediaType: 'application/vnd.cncf.helm.config.v1+json' } }), {
    code: 'unsupported',
    message: 'unsupported image config media type "application/vnd.cncf.helm.config.v1+json": not a container image',
  })
  t.throws(() => assertContainerImage({ ...m, layers: [{ ...m.layers[0]!, mediaType: 'application/x-foo' }] }), {
    code: 'unsupported',
    message: `unsupported layer media type "application/x-foo" (layer ${D2})`,
  })
  for (const type of [MediaType.OciLayer, MediaType.OciLayerZstd, MediaType.DockerLayerGzip, MediaType.DockerForeignLayerGzip, MediaType.OciLayerNondistributableGzip]) {
    t.doesNotThrow(() => assertContainerImage({ ...m, layers: [{ ...m.layers[0]!, mediaType: type }] }), type)
  }
})

t.test('image config', async t => {
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: { Env: ['PATH=/bin'], Cmd: ['sh'], Entrypoint: null, Labels: { a: 'b' }, ExposedPorts: { '80/tcp': {} }, User: '1000' },
    rootfs: { type: 'layers', diff_ids: [D1, D2] },
    history: [{ created_by: 'x' }],
    'x-extra': { kept: true },
  }
  t.same(parseImageConfig(enc(config)), config, 'unknown fields are kept')
  t.same(parseImageConfig(enc({ ...config, config: null })).config, undefined, 'a null config section is dropped')
  const cases: [unknown, RegExp][] = [
    ['{', /malformed JSON/],
    ['"x"', /not a JSON object/],
    [{ ...config, os: undefined }, /architecture and os must be strings/],
    [{ ...config, rootfs: { type: 'other', diff_ids: [] } }, /rootfs.type must be "layers"/],
    [{ ...config, rootfs: { type: 'layers' } }, /rootfs.diff_ids must be an array/],
    [{ ...config, rootfs: { type: 'layers', diff_ids: ['md5:x'] } }, /rootfs.diff_ids\[0\] "md5:x" is not a valid digest/],
    [{ ...config, config: [] }, /config must be an object/],
    [{ ...config, config: { Env: 'PATH=/bin' } }, /config.Env must be an array of strings/],
    [{ ...config, config: { Cmd: 'sh' } }, /config.Cmd must be an array of strings or null/],
    [{ ...config, config: { User: 0 } }, /config.User must be a string/],
    [{ ...config, config: { Labels: { a: 1 } } }, /config.Labels must be a map of strings/],
    [{ ...config, config: { Volumes: ['/data'] } }, /config.Volumes must be an object/],
    [{ ...config, history: [1] }, /history must be an array of objects/],
  ]
  for (const [doc, message] of cases) t.throws(() => parseImageConfig(enc(doc), 'image config X'), dataLoss(message), message.source)
})
