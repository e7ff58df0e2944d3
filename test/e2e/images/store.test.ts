// The store without a daemon: names (tag, untag, rmi), layers shared between
// images, blobs reused by later pulls, two pulls of one image at once, and a
// pull killed half-way.
import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pushFixtures } from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import { makeStoreEnv, spawnTspod } from '../../harness/tspod.js'
import { assertStoreConsistent, committedLayers, imagesState, inspectImage, layerDirs, ok, readImagesJson, storedBlobs, tspod, waitFor, type Asserts } from '../../harness/store-checks.js'
import { withRegistryProxy } from '../../harness/registry-proxy.js'

const reg = await withRegistry(t)
const fx = await pushFixtures(reg, ['busybox', 'layers'])
const busyboxId = fx.busybox.built.images[0]!.configDigest.slice(7)
const layersId = fx.layers.built.images[0]!.configDigest.slice(7)
const busyboxLayer = fx.busybox.built.images[0]!.layers[0]!.digest

const names = async (t: Asserts, env: Parameters<typeof tspod>[0], image: string) => (await inspectImage(t, env, image)).RepoTags.sort()

t.test('rmi keeps a layer another image uses; that image still runs', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  await ok(t, env, ['pull', '-q', fx.busybox.reference])
  await ok(t, env, ['pull', '-q', fx.layers.reference])
  const shared = layerDirs(await inspectImage(t, env, fx.busybox.reference))[0]!
  t.equal(layerDirs(await inspectImage(t, env, fx.layers.reference))[0], shared, 'busybox and layers share the bottom layer directory')

  const rmi = await ok(t, env, ['rmi', fx.busybox.reference])
  t.equal(rmi.stdout, `Untagged: ${fx.busybox.reference}\nDeleted: ${busyboxId}\n`)
  t.ok(existsSync(join(shared, '..', 'layer.json')) && existsSync(join(shared, 'bin/busybox')), 'the shared layer is still there')
  t.ok((await storedBlobs(env)).includes(busyboxLayer), 'and its blob')
  t.notOk((await storedBlobs(env)).includes(fx.busybox.built.images[0]!.configDigest), "busybox's own config blob is gone")
  t.equal((await inspectImage(t, env, fx.layers.reference)).Id, layersId, 'the other image inspects')
  const run = await ok(t, env, ['run', '--rm', fx.layers.reference])
  t.equal(run.stdout, 'entrypoint from-cmd\n', 'the other image runs')
  await assertStoreConsistent(t, env, 'after rmi of one image')

  await ok(t, env, ['rmi', layersId.slice(0, 12)])
  t.same(await committedLayers(env), [], 'the last image gone: no layer left')
  t.same(await storedBlobs(env), [], 'and no blob')
  t.same(readImagesJson(env), [])
})

t.test('tag and untag move names; rmi untags, refuses, deletes', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  await ok(t, env, ['pull', '-q', fx.busybox.reference])
  await ok(t, env, ['pull', '-q', fx.layers.reference])

  await ok(t, env, ['tag', fx.busybox.reference, 'mybox', 'localhost/two:1', 'docker.io/library/three'])
  t.same(
    await names(t, env, busyboxId),
    [fx.busybox.reference, 'docker.io/library/three:latest', 'localhost/mybox:latest', 'localhost/two:1'].sort(),
    'tag adds names; a name without a registry is a localhost/ one (podman)',
  )
  await ok(t, env, ['tag', fx.layers.reference, 'localhost/two:1'])
  t.notOk((await names(t, env, busyboxId)).includes('localhost/two:1'), 'tagging another image takes the name away')
  t.ok((await names(t, env, layersId)).includes('localhost/two:1'), '... and gives it to that image')
  await ok(t, env, ['untag', fx.layers.reference, 'localhost/two:1'])
  t.same(await names(t, env, layersId), [fx.layers.reference], 'untag removes that name')
  const notThere = await tspod(env, ['untag', fx.layers.reference, 'nosuch:1'])
  t.equal(notThere.exitCode, 125)
  t.equal(notThere.stderr, 'Error: localhost/nosuch:1: tag not known\n')

  // By name, an image with several names only loses that name — also when a container uses it, also with -f.
  const cid = (await ok(t, env, ['create', fx.busybox.reference])).stdout.trim()
  t.equal((await ok(t, env, ['rmi', 'localhost/mybox'])).stdout, 'Untagged: localhost/mybox:latest\n')
  t.equal((await ok(t, env, ['rmi', '-f', 'docker.io/library/three'])).stdout, 'Untagged: docker.io/library/three:latest\n')
  t.same(await names(t, env, busyboxId), [fx.busybox.reference], 'the image stays with its other name')
  t.equal((await ok(t, env, ['ps', '-a', '-q'])).stdout, `${cid.slice(0, 12)}\n`, 'the container too')

  // By ID with more than one name: refused without -f.
  await ok(t, env, ['tag', busyboxId, 'localhost/again:1'])
  const before = await imagesState(env)
  const byId = await tspod(env, ['rmi', busyboxId.slice(0, 12)])
  t.equal(byId.exitCode, 125, 'by ID with two names: exit 125')
  t.equal(byId.stderr, `Error: unable to delete image "${busyboxId}" by ID with more than one tag ([${fx.busybox.reference} localhost/again:1]): please force removal\n`)
  t.same(await imagesState(env), before, 'nothing changed')

  // In use by a container: exit 2; -f removes the container with the image.
  await ok(t, env, ['untag', busyboxId, 'localhost/again:1'])
  const inUseBefore = await imagesState(env)
  const inUse = await tspod(env, ['rmi', fx.busybox.reference])
  t.equal(inUse.exitCode, 2, 'in use by a container: exit 2')
  t.equal(inUse.stderr, `Error: image used by ${cid}: image is in use by a container: consider listing external containers and force-removing image\n`)
  t.same(await imagesState(env), inUseBefore, 'nothing changed')
  const forced = await ok(t, env, ['rmi', '-f', fx.busybox.reference])
  t.equal(forced.stdout, `Untagged: ${fx.busybox.reference}\nDeleted: ${busyboxId}\n`)
  t.equal((await ok(t, env, ['ps', '-a', '-q'])).stdout, '', 'the container went with it')

  // Missing images: exit 1; -i ignores them.
  const missing = await tspod(env, ['rmi', 'no-such-image'])
  t.equal(missing.exitCode, 1, 'missing image: exit 1')
  t.equal(missing.stderr, 'Error: no-such-image: image not known\n')
  t.equal((await tspod(env, ['rmi', '-i', 'no-such-image'])).exitCode, 0, '-i ignores it')
  t.equal((await tspod(env, ['image', 'exists', 'no-such-image'])).exitCode, 1, 'image exists: 1 when absent')

  // untag with no names leaves the image dangling.
  await ok(t, env, ['untag', fx.layers.reference])
  t.equal((await ok(t, env, ['images', '--format', '{{.ID}} {{.Repository}} {{.Tag}}'])).stdout, `${layersId.slice(0, 12)} <none> <none>\n`)
  await assertStoreConsistent(t, env, 'after the name changes')
})

t.test('a pull reuses the blobs and layers it has', async t => {
  const proxy = await withRegistryProxy(t, reg.host)
  const env = await makeStoreEnv(t, { registries: [proxy.host] })
  const layersImage = fx.layers.built.images[0]!
  await ok(t, env, ['pull', '-q', `${proxy.host}/layers`])
  t.same(proxy.blobGets().sort(), [layersImage.configDigest, ...layersImage.layers.map(l => l.digest)].sort(), 'first pull: config and every layer')

  let from = proxy.requests.length
  await ok(t, env, ['pull', '-q', `${proxy.host}/layers`])
  t.same(proxy.blobGets(from), [], 'the same image again: no blob downloaded')

  from = proxy.requests.length
  const again = await ok(t, env, ['pull', `${proxy.host}/busybox`])
  t.same(proxy.blobGets(from), [fx.busybox.built.images[0]!.configDigest], 'busybox: only its config (its layer is the bottom layer of layers)')
  t.match(again.stderr, `Copying blob ${busyboxLayer.slice(7, 19)} skipped: already exists`)
  t.equal(layerDirs(await inspectImage(t, env, `${proxy.host}/busybox`))[0], layerDirs(await inspectImage(t, env, `${proxy.host}/layers`))[0], 'one layer directory for both')
  await assertStoreConsistent(t, env, 'after the pulls')
})

t.test('two pulls of the same image at once end with one consistent copy', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const pulls = [spawnTspod(['pull', '-q', fx.layers.reference], { env }), spawnTspod(['pull', '-q', fx.layers.reference], { env })]
  const results = await Promise.all(pulls)
  for (const [i, r] of results.entries()) {
    t.equal(r.exitCode, 0, `pull ${i + 1} succeeds: ${String(r.stderr)}`)
    t.equal(String(r.stdout), layersId, `pull ${i + 1} prints the ID`)
  }
  const images = readImagesJson(env)
  t.equal(images.length, 1, 'one image record')
  t.same(images[0]?.names, [fx.layers.reference], 'its name once')
  t.equal(images[0]?.layers.length, 4)
  t.same(await committedLayers(env), images[0]!.layers.map(l => l.chainId).sort(), 'exactly its four layers, each committed once')
  await assertStoreConsistent(t, env, 'after concurrent pulls')
  t.equal((await ok(t, env, ['run', '--rm', fx.layers.reference])).stdout, 'entrypoint from-cmd\n', 'and it runs')
})

t.test('a pull killed half-way leaves nothing half-committed; the next pull completes it', async t => {
  const proxy = await withRegistryProxy(t, reg.host)
  const env = await makeStoreEnv(t, { registries: [proxy.host] })
  const image = fx.layers.built.images[0]!
  const big = image.layers[0]!
  const others = [image.configDigest, ...image.layers.slice(1).map(l => l.digest)]
  const stalled = proxy.stallNext({ digest: big.digest, after: Math.floor(big.size / 3) })

  const before = await imagesState(env)
  const pull = spawnTspod(['pull', '-q', `${proxy.host}/layers`], { env })
  await stalled
  // The small blobs finish while the big one hangs; then the pull dies.
  await waitFor('the other blobs to be committed', async () => {
    const have = await storedBlobs(env)
    return others.every(d => have.includes(d))
  })
  pull.kill('SIGKILL')
  const killed = await pull
  t.equal(killed.signal, 'SIGKILL', 'the pull was killed')

  t.same(await imagesState(env), before, 'no image recorded')
  t.same(await committedLayers(env), [], 'no layer committed (no receipt without its layers complete)')
  const blobs = await storedBlobs(env)
  t.notOk(blobs.includes(big.digest), 'the half-downloaded blob is not in the store')
  t.same(blobs.filter(d => others.includes(d)).sort(), [...others].sort(), 'the verified blobs are')

  const from = proxy.requests.length
  const next = await ok(t, env, ['pull', '-q', `${proxy.host}/layers`])
  t.equal(next.stdout, `${layersId}\n`, 'the next pull succeeds')
  t.same(proxy.blobGets(from), [big.digest], 'and downloads only the missing blob')
  await assertStoreConsistent(t, env, 'after the next pull (debris of the killed one removed)')
  t.equal((await ok(t, env, ['run', '--rm', `${proxy.host}/layers`])).stdout, 'entrypoint from-cmd\n', 'and the image runs')
})
