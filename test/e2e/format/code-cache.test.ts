// The CLI loads its bundle through V8's code cache (scripts/cached-loader.cjs):
// the first start of a command writes the cache, later ones use it; a damaged
// cache is rejected and replaced, an unwritable cache directory only costs speed.
import t from 'tap'
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeStoreEnv, runTspod } from '../../harness/tspod.js'

const env = await makeStoreEnv(t)
const cacheDir = join(env.cacheHome, 'tspod')

async function version(trace: string) {
  rmSync(trace, { force: true })
  const r = await runTspod(['version', '--format', '{{.Client.Version}}'], { env, extraEnv: { TSPOD_TRACE: trace } })
  t.equal(r.exitCode, 0, r.stderr)
  t.match(r.stdout, /^\d+\.\d+\.\d+/)
  return /loader: code cache (\w+)/.exec(readFileSync(trace, 'utf8'))?.[1]
}

t.test('written on the first start, used on the next', async t => {
  const trace = join(env.tmpDir, 'trace-1')
  rmSync(cacheDir, { recursive: true, force: true })
  t.equal(await version(trace), 'absent')
  const files = readdirSync(cacheDir).filter(f => f.endsWith('-version.bin'))
  t.equal(files.length, 1, 'one cache file for the command')
  t.ok(readdirSync(cacheDir).some(f => f.endsWith('-parser-version.json')), "and the command's parser (src/cli/parser-cache.ts)")
  t.equal(await version(trace), 'used')
})

t.test('a damaged cache is rejected, and replaced', async t => {
  const trace = join(env.tmpDir, 'trace-2')
  const [file] = readdirSync(cacheDir).filter(f => f.endsWith('-version.bin'))
  writeFileSync(join(cacheDir, file!), Buffer.alloc(4096, 7))
  t.equal(await version(trace), 'rejected')
  t.equal(await version(trace), 'used', 'the next start has a good one again')
})

t.test('an unwritable cache directory does not get in the way', async t => {
  const trace = join(env.tmpDir, 'trace-3')
  rmSync(cacheDir, { recursive: true, force: true })
  mkdirSync(cacheDir, { mode: 0o500 })
  t.teardown(() => chmodSync(cacheDir, 0o700))
  t.equal(await version(trace), 'absent')
  t.equal(await version(trace), 'absent', 'still works, without a cache')
})

t.test("writing a cache deletes this bundle's stale ones, and only those", async t => {
  const trace = join(env.tmpDir, 'trace-4')
  rmSync(cacheDir, { recursive: true, force: true })
  mkdirSync(cacheDir, { recursive: true })
  const stale = [`tspod-0000000000000000-${process.version}-x64-version.bin`, `tspod-0000000000000000-v0.0.0-x64-ps.bin`, 'code-1111111111111111-v20.0.0-x64-run.bin']
  const kept = ['shim-0000000000000000-v20.0.0-x64-shim.bin', 'notes.txt']
  for (const name of [...stale, ...kept]) writeFileSync(join(cacheDir, name), 'x')
  t.equal(await version(trace), 'absent')
  const after = readdirSync(cacheDir)
  t.same(after.filter(n => stale.includes(n)), [], 'earlier builds of the CLI: gone')
  t.same(after.filter(n => kept.includes(n)).sort(), [...kept].sort(), "another bundle's cache and other files: kept")
  t.equal(after.filter(n => n.endsWith('-version.bin')).length, 1, 'the new cache is there')
})

t.test('a start with no command (a typo) leaves no cache named after it', async t => {
  const r = await runTspod(['bogus-typo'], { env })
  t.equal(r.exitCode, 125)
  t.same(readdirSync(cacheDir).filter(n => n.includes('bogus')), [])
})
