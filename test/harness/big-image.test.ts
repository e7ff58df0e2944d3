// bench/lib/big-image.ts at a small size (the real one is 105 MiB).
import t from 'tap'
import { execa } from 'execa'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildBigImage, pushBigImage, writePayload } from '../../bench/lib/big-image.js'
import { pullWithSkopeo } from './inspect.js'
import { withRegistry } from './registry.js'
import { makeTempDir, removeDir } from './tools.js'
import { REPO_ROOT } from './tspod.js'

const small = { layers: 3, layerBytes: 256 * 1024 }

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await makeTempDir('big')
  t.teardown(() => removeDir(dir))
  return dir
}

t.test('deterministic from the seed, incompressible, cached', async t => {
  const [a, b] = [await tempDir(t), await tempDir(t)]
  const one = await buildBigImage({ ...small, seed: 's1', cacheDir: a })
  const same = await buildBigImage({ ...small, seed: 's1', cacheDir: b })
  t.equal(one.digest, same.digest, 'same seed, same digest (independent caches)')
  t.equal(one.image.layers.length, 3)
  t.equal(one.payloadBytes, 3 * 256 * 1024)
  for (const l of one.image.layers) t.ok(l.size >= 256 * 1024, `layer ${l.digest.slice(7, 19)} does not compress`)
  t.equal(new Set(one.image.layers.map(l => l.digest)).size, 3, 'layers differ')
  const other = await buildBigImage({ ...small, seed: 's2', cacheDir: a })
  t.not(other.digest, one.digest, 'another seed, another image')
  const cached = await buildBigImage({ ...small, seed: 's1', cacheDir: a })
  t.equal(cached.layout, one.layout, 'served from the cache')
})

t.test('pushed and pulled back; payload is the seeded stream', async t => {
  const reg = await withRegistry(t)
  const cacheDir = await tempDir(t)
  const pushed = await pushBigImage(reg, { ...small, seed: 'push', cacheDir, repo: 'bench/big', tag: 't1' })
  t.equal(pushed.reference, `${reg.host}/bench/big:t1`)
  t.equal(pushed.digest, pushed.image.digest)
  const pulled = await pullWithSkopeo(reg, pushed.reference, await tempDir(t))
  const layers = await pulled.layers()
  const scratch = await tempDir(t)
  await writePayload(join(scratch, 'expected'), 'push', 1, small.layerBytes)
  const expected = await readFile(join(scratch, 'expected'))
  const entry = layers[1]!.find(e => e.name === 'big/layer-2.bin')
  t.equal(entry?.size, small.layerBytes)
  // Compare the bytes through GNU tar.
  const blob = join(pulled.dir, pulled.manifest.layers[1]!.digest.slice(7))
  const { stdout } = await execa('tar', ['-xzOf', blob, 'big/layer-2.bin'], { encoding: 'buffer' })
  t.ok(Buffer.compare(Buffer.from(stdout), expected) === 0, 'layer 2 holds the stream for (seed, 1)')
})

t.test('the push script', async t => {
  const reg = await withRegistry(t, { auth: 'basic' })
  const cache = await tempDir(t)
  const env = [`PATH=${process.env.PATH}`, `HOME=${cache}`, `XDG_CACHE_HOME=${cache}`]
  const script = join(REPO_ROOT, 'bench/lib/push-big-image.mjs')
  const r = await execa('env', ['-i', ...env, process.execPath, script, `${reg.host}/x/big:v2`, '--layers', '2', '--layer-mib', '0.125', '--seed', 'cli', '--creds', 'tspod:tspod-secret'])
  const [reference, digest] = r.stdout.trim().split(' ')
  t.equal(reference, `${reg.host}/x/big:v2`)
  t.match(digest, /^sha256:[0-9a-f]{64}$/)
  const bad = await execa('env', ['-i', ...env, process.execPath, script], { reject: false })
  t.equal(bad.exitCode, 2, 'usage error')
})
