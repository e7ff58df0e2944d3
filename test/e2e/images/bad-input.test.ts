// What a pull must refuse, and how: one `Error: …` line on stderr, exit 125,
// `images` and images.json exactly as before, nothing half-committed in the
// store — and, for hostile layers, nothing written outside the layer.
import t, { type Test } from 'tap'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HOSTILE_FACTS, HOSTILE_NAMES, hostArchitecture, pushFixture, pushFixtures } from '../../harness/fixtures.js'
import { withNegativeRegistry, type NegativeCaseName } from '../../harness/fake-registry.js'
import { corruptBlob, truncateBlob } from '../../harness/faults.js'
import { withRegistry } from '../../harness/registry.js'
import { freePort } from '../../harness/tools.js'
import { makeStoreEnv, type StoreEnv } from '../../harness/tspod.js'
import { assertOneLineError, assertStoreConsistent, imagesState, inspectImage, layerDirs, ok, tspod, type Asserts } from '../../harness/store-checks.js'

const reg = await withRegistry(t)
const fx = await pushFixtures(reg, ['busybox', 'multiarch', ...HOSTILE_NAMES])

/** A store that already holds busybox, so "unchanged" means something. */
async function populatedStore(t: Test): Promise<StoreEnv> {
  const env = await makeStoreEnv(t, { registries: [reg] })
  await ok(t, env, ['pull', '-q', fx.busybox.reference])
  return env
}

/** Runs a pull that must fail cleanly and leave the store as it was. */
async function refusedPull(t: Asserts, env: StoreEnv, args: string[], pattern: RegExp, what: string): Promise<void> {
  const before = await imagesState(env)
  const r = await tspod(env, ['pull', ...args])
  assertOneLineError(t, r, pattern, what)
  t.same(await imagesState(env), before, `${what}: images and images.json unchanged`)
  await assertStoreConsistent(t, env, what)
}

t.test('unknown image, unknown tag, unreachable registry, invalid references, unknown platform', async t => {
  const env = await populatedStore(t)
  const closed = `127.0.0.1:${await freePort()}`
  env.addRegistry(closed)
  await refusedPull(t, env, ['-q', `${reg.host}/no-such-image`], /reading manifest latest in .*\/no-such-image: manifest unknown/, 'unknown image')
  await refusedPull(t, env, ['-q', `${reg.host}/busybox:no-such-tag`], /reading manifest no-such-tag in .*\/busybox: manifest unknown/, 'unknown tag')
  await refusedPull(t, env, [`${reg.host}/busybox:no-such-tag`], /manifest unknown/, 'unknown tag, with progress')
  await refusedPull(t, env, ['-q', `${closed}/busybox`], /connect: connection refused/, 'unreachable registry (closed port)')
  await refusedPull(t, env, ['-q', `${reg.host}/BusyBox`], /repository name must be lowercase/, 'uppercase repository')
  await refusedPull(t, env, ['-q', `${reg.host}/busybox:bad:tag`], /invalid reference format/, 'two tags')
  await refusedPull(t, env, ['-q', `${reg.host}/busybox@sha256:1234`], /invalid (reference format|checksum digest|digest)/, 'short digest')
  await refusedPull(t, env, ['-q', '--platform', 'linux/s390x', fx.multiarch.reference], /no image found in image index for architecture "?s390x"?/, 'a platform the index does not have')
  await refusedPull(t, env, ['-q', '--platform', 'not-a-platform', fx.multiarch.reference], /platform/, 'a malformed --platform')
})

t.test('damaged blobs in a real registry: digest mismatch, truncated blob', async t => {
  // Each damage in a registry of its own: blobs are shared by every repository.
  const corrupt = await withRegistry(t)
  const truncated = await withRegistry(t)
  const [a, b] = await Promise.all([pushFixture(corrupt, 'busybox', { repo: 'damaged' }), pushFixture(truncated, 'busybox', { repo: 'damaged' })])
  const layer = a.built.images[0]!.layers[0]!.digest
  await corruptBlob(corrupt, layer)
  await truncateBlob(truncated, layer)
  // An empty store: every other fixture shares this layer, whose intact copy would be reused.
  const env = await makeStoreEnv(t, { registries: [corrupt, truncated] })
  await refusedPull(t, env, ['-q', a.reference], /digest mismatch|corrupt/, 'digest mismatch (corruptBlob)')
  await refusedPull(t, env, ['-q', b.reference], /truncated|unexpected EOF|corrupt/, 'truncated blob (truncateBlob)')
  await refusedPull(t, env, [a.reference], /digest mismatch|corrupt/, 'digest mismatch, with progress')
})

t.test('what only a broken registry serves: malformed, schema1, unknown media types, short and missing blobs', async t => {
  const { cases } = await withNegativeRegistry(t)
  const env = await populatedStore(t)
  const expected: Record<NegativeCaseName, RegExp> = {
    'malformed-manifest': /manifest/i,
    schema1: /schema ?1|unsupported/i,
    'unsupported-media-type': /unsupported|media type/i,
    'unsupported-layer': /application\/vnd\.example\.layer\.v1\.tar\+lz4/,
    'foreign-platforms': new RegExp(
      `no image found in image index for architecture "${hostArchitecture()}", variant "${hostArchitecture() === 'amd64' ? '' : '[^"]*'}", OS "linux"; available platforms: linux/s390x, linux/ppc64le`,
    ),
    'digest-mismatch': /digest mismatch/,
    'short-blob': /truncated|connection closed|unexpected EOF/,
    'missing-blob': /blob unknown/i,
    'size-mismatch': /truncated|size|bytes/,
  }
  for (const c of Object.values(cases)) {
    env.addRegistry(c.reference.split('/')[0]!)
    await refusedPull(t, env, ['-q', c.reference], expected[c.name], `${c.name}: ${c.description}`)
  }
})

t.test('hostile layers are refused or contained; nothing is written outside the layer', async t => {
  const env = await populatedStore(t)
  for (const name of HOSTILE_NAMES) {
    const facts = HOSTILE_FACTS[name]
    // Make the attacks land if the unpacker were naive.
    const created: string[] = []
    for (const d of facts.prepare.dirs) if (!existsSync(d)) (mkdirSync(d), created.push(d))
    for (const f of facts.prepare.files) if (!existsSync(f)) (writeFileSync(f, 'victim\n'), created.push(f))
    t.teardown(() => created.reverse().forEach(p => rmSync(p, { recursive: true, force: true })))
    const victims = new Map(facts.prepare.files.map(f => [f, readFileSync(f, 'utf8')]))

    const before = await imagesState(env)
    const r = await tspod(env, ['pull', '-q', fx[name].reference])
    let inside: string[] = []
    if (r.exitCode === 0) {
      t.comment(`${name}: contained`)
      const image = await inspectImage(t, env, fx[name].reference)
      inside = layerDirs(image)
      t.ok(existsSync(join(inside[0]!, 'harmless')), `${name}: the harmless entry is in the layer`)
    } else {
      t.comment(`${name}: refused: ${r.stderr.trim()}`)
      assertOneLineError(t, r, /refusing layer/, name)
      t.same(await imagesState(env), before, `${name}: images unchanged`)
    }
    for (const p of facts.hostPaths) {
      if (victims.has(p)) {
        t.equal(statSync(p).nlink, 1, `${name}: ${p} was not linked into the store`)
        t.equal(readFileSync(p, 'utf8'), victims.get(p), `${name}: ${p} unchanged`)
      } else {
        t.notOk(existsSync(p), `${name}: ${p} was not created`)
      }
    }
    t.equal(statSync('/etc/passwd').nlink, 1, `${name}: /etc/passwd was not linked`)
    // Canary: the attack's file names appear nowhere in the store but inside this image's layer.
    for (const stray of facts.strayNames) {
      const found = await ok(t, env, ['unshare', 'find', env.base, '-name', stray])
      const outside = found.stdout.split('\n').filter(p => p && !inside.some(d => p.startsWith(d + '/')))
      t.same(outside, [], `${name}: no "${stray}" outside the layer`)
    }
    await assertStoreConsistent(t, env, name)
  }
  // evil-abs and evil-symlink, if contained, put their files under the layer root.
  const abs = readImages(env).find(n => n.includes('/evil-abs:'))
  if (abs) t.ok(existsSync(join(layerDirs(await inspectImage(t, env, abs))[0]!, 'tmp/tspod-evil-abs')), 'evil-abs: /tmp/… became LAYER/tmp/…')
})

function readImages(env: StoreEnv): string[] {
  const file = join(env.root, 'images.json')
  if (!existsSync(file)) return []
  return (JSON.parse(readFileSync(file, 'utf8')) as { images: { names: string[] }[] }).images.flatMap(i => i.names)
}
