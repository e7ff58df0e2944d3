import t from 'tap'
import { execa } from 'execa'
import { createHash } from 'node:crypto'
import { corruptBlob, deleteBlobData, readStoredBlob, replaceBlob, truncateBlob } from './faults.js'
import { withNegativeRegistry } from './fake-registry.js'
import { pushFixture, skopeo, skopeoTargetFlags } from './fixtures.js'
import { pullWithSkopeo } from './inspect.js'
import { withRegistry } from './registry.js'
import { makeTempDir, removeDir } from './tools.js'

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`

async function scratch(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await makeTempDir('faults')
  t.teardown(() => removeDir(dir))
  return dir
}

t.test('corruptBlob: same size, wrong digest; skopeo refuses the pull', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'busybox')
  const layer = img.built.images[0]!.layers[0]!
  const before = await readStoredBlob(reg, layer.digest)
  t.equal(sha(before), layer.digest)
  await corruptBlob(reg, layer.digest)
  const after = await readStoredBlob(reg, layer.digest)
  t.equal(after.length, before.length, 'size unchanged')
  t.not(sha(after), layer.digest, 'digest no longer matches')
  const res = await fetch(`${reg.url}/v2/busybox/blobs/${layer.digest}`)
  t.equal(res.status, 200, 'the registry still serves it')
  t.equal(Buffer.from(await res.arrayBuffer()).length, before.length)
  await t.rejects(pullWithSkopeo(reg, img.reference, await scratch(t)), /digest|Digest/, 'skopeo detects the mismatch')
})

t.test('truncateBlob: the registry serves fewer bytes than the descriptor says', async t => {
  const reg = await withRegistry(t, { auth: 'basic' })
  const img = await pushFixture(reg, 'busybox')
  const layer = img.built.images[0]!.layers[0]!
  await truncateBlob(reg, layer.digest)
  const res = await fetch(`${reg.url}/v2/busybox/blobs/${layer.digest}`, {
    headers: { authorization: `Basic ${Buffer.from('tspod:tspod-secret').toString('base64')}` },
  })
  t.equal(Number(res.headers.get('content-length')), Math.floor(layer.size / 2))
  await res.arrayBuffer()
  await t.rejects(pullWithSkopeo(reg, img.reference, await scratch(t)), 'skopeo refuses the short blob')
})

t.test('replaceBlob and deleteBlobData', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'layers')
  const [base, , second] = img.built.images[0]!.layers
  await replaceBlob(reg, second!.digest, Buffer.from('not a layer'))
  t.equal((await readStoredBlob(reg, second!.digest)).toString(), 'not a layer')
  await deleteBlobData(reg, base!.digest)
  const res = await fetch(`${reg.url}/v2/layers/blobs/${base!.digest}`)
  t.equal(res.status, 404, 'deleted data: BLOB_UNKNOWN')
  t.match(await res.text(), 'BLOB_UNKNOWN')
  await t.rejects(corruptBlob(reg, base!.digest), /not stored/, 'helpers refuse blobs that are not there')
})

t.test('negative cases from the fake registry', async t => {
  const { registry, cases } = await withNegativeRegistry(t)
  const target = { host: registry.host }
  const v2 = await fetch(`${registry.url}/v2/`)
  t.equal(v2.status, 200)
  t.equal(v2.headers.get('docker-distribution-api-version'), 'registry/2.0')
  const manifest = async (repo: string, ref: string) => {
    const res = await fetch(`${registry.url}/v2/${repo}/manifests/${ref}`)
    return { res, body: Buffer.from(await res.arrayBuffer()) }
  }
  const inspect = (reference: string) => skopeo(['inspect', '--raw', ...skopeoTargetFlags(target, 'src').map(f => f.replace('--src-', '--')), `docker://${reference}`])
  const copy = async (reference: string) =>
    skopeo(['copy', '--quiet', ...skopeoTargetFlags(target, 'src'), `docker://${reference}`, `dir:${await scratch(t)}`])

  {
    const { res, body } = await manifest('malformed-manifest', 'latest')
    t.equal(res.headers.get('content-type'), 'application/vnd.oci.image.manifest.v1+json')
    t.throws(() => JSON.parse(body.toString()), 'malformed: not JSON')
    await t.rejects(copy(cases['malformed-manifest'].reference), 'malformed: skopeo fails')
  }
  {
    const { res, body } = await manifest('schema1', 'latest')
    t.equal(res.headers.get('content-type'), 'application/vnd.docker.distribution.manifest.v1+prettyjws')
    t.equal(JSON.parse(body.toString()).schemaVersion, 1)
  }
  {
    const { res } = await manifest('unsupported-media-type', 'latest')
    t.equal(res.headers.get('content-type'), 'application/vnd.example.unknown.manifest.v1+json')
    await t.rejects(copy(cases['unsupported-media-type'].reference), 'unknown manifest type: skopeo fails')
  }
  {
    const { body } = await manifest('unsupported-layer', 'latest')
    t.equal(JSON.parse(body.toString()).layers[0].mediaType, 'application/vnd.example.layer.v1.tar+lz4')
  }
  {
    const index = JSON.parse(await inspect(cases['foreign-platforms'].reference)) as { manifests: { platform: { architecture: string } }[] }
    t.same(index.manifests.map(m => m.platform.architecture), ['s390x', 'ppc64le'])
    await t.rejects(copy(cases['foreign-platforms'].reference), /no image found in (manifest list|image index)/, 'no host platform: skopeo fails')
    // The per-platform manifests are real (only the platform is wrong).
    await skopeo(['--override-arch', 's390x', 'copy', '--quiet', ...skopeoTargetFlags(target, 'src'), `docker://${cases['foreign-platforms'].reference}`, `dir:${await scratch(t)}`])
    t.pass('the s390x image is complete')
  }
  {
    const c = cases['digest-mismatch']
    t.match(c.reference, /@sha256:[0-9a-f]{64}$/)
    const { res, body } = await manifest(c.repo, c.ref.slice(1))
    t.equal(res.headers.get('docker-content-digest'), c.ref.slice(1), 'header claims the asked digest')
    t.not(sha(body), c.ref.slice(1), 'body hashes differently')
    await t.rejects(copy(c.reference), /digest|Digest/, 'skopeo detects it')
  }
  {
    const m = JSON.parse((await manifest('short-blob', 'latest')).body.toString()) as { layers: { digest: string; size: number }[] }
    const layer = m.layers[0]!
    const curl = await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{size_download}', `${registry.url}/v2/short-blob/blobs/${layer.digest}`], { reject: false })
    t.equal(curl.exitCode, 18, 'curl: partial transfer')
    t.equal(Number(curl.stdout), Math.floor(layer.size / 2))
    await t.rejects(copy(cases['short-blob'].reference), 'skopeo fails')
  }
  {
    const m = JSON.parse((await manifest('missing-blob', 'latest')).body.toString()) as { layers: { digest: string }[] }
    t.equal((await fetch(`${registry.url}/v2/missing-blob/blobs/${m.layers[0]!.digest}`)).status, 404)
    await t.rejects(copy(cases['missing-blob'].reference), 'skopeo fails')
  }
  {
    const m = JSON.parse((await manifest('size-mismatch', 'latest')).body.toString()) as { layers: { digest: string; size: number }[] }
    const res = await fetch(`${registry.url}/v2/size-mismatch/blobs/${m.layers[0]!.digest}`)
    t.equal(Number(res.headers.get('content-length')), m.layers[0]!.size - 100)
    await res.arrayBuffer()
  }
  t.equal((await fetch(`${registry.url}/v2/nothing/manifests/latest`)).status, 404)
  for (const c of Object.values(cases)) t.ok(c.expectedCodes.length > 0 && c.description.length > 0, `${c.name} documented`)
  t.ok(registry.requests.some(r => r.path === '/v2/schema1/manifests/latest'), 'requests are logged')
})
