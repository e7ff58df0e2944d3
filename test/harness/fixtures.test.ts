import t, { type Test } from 'tap'
import { execa } from 'execa'
import { join } from 'node:path'
import {
  BUSYBOX_FACTS,
  buildFixture,
  LAYERS_FACTS,
  MEDIA_TYPES,
  pushFixture,
  REQUIRED_APPLETS,
  type ConfigFacts,
} from './fixtures.js'
import { checkFsFacts, pullWithSkopeo, skopeoInspect, umociUnpack, type PulledDir, type TarEntry } from './inspect.js'
import { withRegistry } from './registry.js'
import { makeTempDir, removeDir } from './tools.js'

async function tempDir(t: { teardown(fn: () => unknown): void }, name: string): Promise<string> {
  const dir = await makeTempDir(name)
  t.teardown(() => removeDir(dir))
  return dir
}

/** The image config as skopeo reports it, compared with the facts. */
type Asserts = Pick<Test, 'equal' | 'same'>
function checkConfig(t: Asserts, config: PulledDir['config'], facts: ConfigFacts): void {
  const c = (config.config ?? {}) as Record<string, unknown>
  t.equal(config.architecture, facts.architecture)
  t.equal(config.os, facts.os)
  t.same(c.Env, facts.env)
  t.same(c.Cmd, facts.cmd)
  t.same(c.Entrypoint, facts.entrypoint)
  t.equal(c.User, facts.user)
  t.equal(c.WorkingDir, facts.workingDir)
  t.same(c.Labels, facts.labels)
  t.equal(c.StopSignal, facts.stopSignal)
  t.same(c.ExposedPorts ? Object.keys(c.ExposedPorts).sort() : undefined, facts.exposedPorts)
  t.same(c.Volumes ? Object.keys(c.Volumes).sort() : undefined, facts.volumes)
}

/** The last entry for each path across layers (what ends up owning it). */
function lastEntries(layers: TarEntry[][]): Map<string, TarEntry> {
  const byPath = new Map<string, TarEntry>()
  for (const layer of layers) for (const e of layer) byPath.set('/' + e.name.replace(/\/$/, ''), e)
  return byPath
}

t.test('fixture builds are reproducible and cached', async t => {
  const a = await buildFixture('busybox')
  const b = await buildFixture('busybox')
  t.equal(a.digest, b.digest)
  t.equal(a.layout, b.layout)
  t.equal(a.mediaType, MEDIA_TYPES.ociManifest)
  t.equal(a.images.length, 1)
  t.equal(a.images[0]!.layers.length, 1)
  t.match(a.reference, /^oci:\/.*:busybox$/)
  // An independent rebuild (fresh cache in a child process) gives the same digest.
  const dir = await tempDir(t, 'cache')
  const importTs = new URL('./import-ts.mjs', import.meta.url).pathname
  const script = `const { importTs } = await import(${JSON.stringify(importTs)}); const f = await importTs('test/harness/fixtures.ts'); console.log((await f.buildFixture('layers')).digest)`
  const child = await execa('node', ['--input-type=module', '-e', script], { env: { TSPOD_FIXTURE_CACHE: dir } })
  t.equal(child.stdout.trim(), (await buildFixture('layers')).digest, 'rebuild has the same digest')
})

t.test('busybox: pushed, inspected and pulled back by skopeo', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'busybox')
  t.equal(img.reference, `${reg.host}/busybox:latest`)
  t.equal(img.digest, img.built.digest, 'OCI manifest pushed unchanged')
  const inspected = await skopeoInspect(reg, img.reference)
  t.equal(inspected.Digest, img.digest)
  t.equal((inspected.Layers as string[]).length, 1)
  t.equal(inspected.Architecture, BUSYBOX_FACTS.config.architecture)

  const pulled = await pullWithSkopeo(reg, img.reference, await tempDir(t, 'pull'))
  checkConfig(t, pulled.config, BUSYBOX_FACTS.config)
  const [layer] = await pulled.layers()
  const entries = lastEntries([layer!])
  for (const applet of REQUIRED_APPLETS) {
    const e = entries.get(`/bin/${applet}`)
    t.ok(e?.type === 'symlink' && e.linkname === 'busybox', `/bin/${applet} -> busybox`)
  }
  t.notOk(entries.has('/bin/busybox') && entries.get('/bin/busybox')!.type !== 'file', '/bin/busybox is a file')
  for (const f of BUSYBOX_FACTS.entries) {
    const e = entries.get(f.path)
    t.ok(e, `${f.path} in the layer`)
    if (f.uid !== undefined) t.equal(e?.uid, f.uid, `${f.path} uid`)
    if (f.mode !== undefined) t.equal((e!.mode & 0o7777).toString(8), f.mode.toString(8), `${f.path} mode`)
  }
  t.notOk([...entries.keys()].some(name => name.startsWith('/./')), 'no ./ prefixes')

  // Round trip through an OCI layout and umoci: the tree matches the facts.
  const work = await tempDir(t, 'umoci')
  await execa('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${img.reference}`, `oci:${join(work, 'oci')}:busybox`])
  const rootfs = await umociUnpack(join(work, 'oci'), 'busybox', join(work, 'bundle'))
  await checkFsFacts(t, rootfs, BUSYBOX_FACTS, { mapUid: null, mapGid: null })
  const sh = await execa(join(rootfs, 'bin/busybox'), ['sh', '-c', 'echo $((6*7))'])
  t.equal(sh.stdout, '42', 'the payload runs')
})

t.test('layers: owners per layer, merged tree and config match LAYERS_FACTS', async t => {
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'layers')
  const pulled = await pullWithSkopeo(reg, img.reference, await tempDir(t, 'pull'))
  t.equal(pulled.manifest.layers.length, LAYERS_FACTS.layerCount)
  checkConfig(t, pulled.config, LAYERS_FACTS.config)
  t.same(pulled.config.rootfs.diff_ids, img.built.images[0]!.layers.map(l => l.diffId))

  // Ownership and modes as GNU tar wrote them (read back with tar-stream).
  const layers = await pulled.layers()
  const last = lastEntries(layers)
  for (const f of LAYERS_FACTS.entries) {
    const e = last.get(f.path)
    if (!t.ok(e, `${f.path} has an entry`)) continue
    if (f.uid !== undefined) t.equal(e!.uid, f.uid, `${f.path} uid ${f.uid}`)
    if (f.gid !== undefined) t.equal(e!.gid, f.gid, `${f.path} gid ${f.gid}`)
    if (f.mode !== undefined) t.equal((e!.mode & 0o7777).toString(8), f.mode.toString(8), `${f.path} mode`)
  }
  const names = layers.map(l => l.map(e => e.name))
  t.ok(names[2]!.includes('srv/.wh.to-be-deleted'), 'whiteout entry in layer 3')
  t.ok(names[2]!.includes('srv/opaque/.wh..wh..opq'), 'opaque marker in layer 3')
  const link = layers[1]!.find(e => e.name === 'srv/hardlink-b')
  t.same([link?.type, link?.linkname], ['link', 'srv/hardlink-a'], 'hard link entry')
  t.equal(layers[1]!.find(e => e.name === 'srv/fifo')?.type, 'fifo')

  // The merged tree, as umoci applies the layers (ownership aside).
  const work = await tempDir(t, 'umoci')
  await execa('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${img.reference}`, `oci:${join(work, 'oci')}:layers`])
  const rootfs = await umociUnpack(join(work, 'oci'), 'layers', join(work, 'bundle'))
  await checkFsFacts(t, rootfs, LAYERS_FACTS, { mapUid: null, mapGid: null })
})

t.test('fixtures push to registries with basic and token auth', async t => {
  for (const auth of ['basic', 'token'] as const) {
    const reg = await withRegistry(t, { auth })
    const img = await pushFixture(reg, 'busybox', { repo: 'team/busybox', tag: 'v1' })
    t.equal(img.reference, `${reg.host}/team/busybox:v1`)
    const ok = await skopeoInspect(reg, img.reference)
    t.equal(ok.Digest, img.digest, `${auth}: inspect with credentials`)
    await t.rejects(skopeoInspect({ host: reg.host }, img.reference), `${auth}: anonymous inspect refused`)
    await t.rejects(
      skopeoInspect({ host: reg.host, credentials: { username: 'tspod', password: 'wrong' } }, img.reference),
      `${auth}: wrong password refused`,
    )
    const again = await pushFixture(reg, 'busybox', { repo: 'team/busybox', tag: 'v1' })
    t.equal(again, img, 'a second push of the same fixture is memoised')
  }
})
