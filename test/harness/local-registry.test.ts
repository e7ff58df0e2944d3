// scripts/local-registry.mjs (the README demo registry), with HOME in a temp
// dir so the user's real ~/.config and ~/.local are never touched.
import t from 'tap'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'smol-toml'
import { skopeoInspect } from './inspect.js'
import { makeTempDir, removeDir } from './tools.js'
import { REPO_ROOT } from './tspod.js'

const script = join(REPO_ROOT, 'scripts/local-registry.mjs')

function demo(home: string, ...args: string[]) {
  const env = [`PATH=${process.env.PATH ?? '/usr/bin:/bin'}`, `HOME=${home}`]
  return execa('env', ['-i', ...env, process.execPath, script, ...args], { reject: false })
}

t.test('starts, seeds busybox, configures registries.conf once, stops', async t => {
  const home = await makeTempDir('demo-home')
  t.teardown(async () => {
    await demo(home, '--purge')
    await removeDir(home)
  })
  // A registries.conf with content of its own must be kept as it is.
  const conf = join(home, '.config/containers/registries.conf')
  await mkdir(join(home, '.config/containers'), { recursive: true })
  const mine = 'unqualified-search-registries = ["docker.io"]\n\n[[registry]]\nlocation = "example.test"\n'
  await writeFile(conf, mine)

  const first = await demo(home)
  t.equal(first.exitCode, 0, first.stderr)
  const reference = first.stdout.trim()
  t.match(reference, /^127\.0\.0\.1:\d+\/busybox:latest$/, 'prints the image reference, alone on stdout')
  const host = reference.split('/')[0]!
  const state = join(home, '.local/share/tspod-demo')
  t.ok(existsSync(join(state, 'registry/docker/registry/v2')), 'data under ~/.local/share/tspod-demo/registry')
  const inspected = await skopeoInspect({ host }, reference, 'config')
  t.same((inspected.config as { Cmd: string[] }).Cmd, ['sh'], 'busybox is pullable')

  const text = await readFile(conf, 'utf8')
  t.ok(text.startsWith(mine), 'existing content kept')
  const parsed = parse(text) as { registry: { location: string; insecure?: boolean }[] }
  t.same(parsed.registry.map(r => [r.location, r.insecure]), [['example.test', undefined], [host, true]])

  const second = await demo(home)
  t.equal(second.exitCode, 0, second.stderr)
  t.equal(second.stdout.trim(), reference, 'reused')
  t.match(second.stderr, 'already running')
  t.equal(await readFile(conf, 'utf8'), text, 'no second entry')

  const stopped = await demo(home, '--stop')
  t.equal(stopped.exitCode, 0)
  await t.rejects(fetch(`http://${host}/v2/`), 'stopped')
  t.ok(existsSync(join(state, 'registry')), '--stop keeps the data')
  const purged = await demo(home, '--purge')
  t.equal(purged.exitCode, 0)
  t.notOk(existsSync(state), '--purge removes it')
})

t.test('creates registries.conf when there is none; leaves a v1 file alone', async t => {
  const home = await makeTempDir('demo-home')
  t.teardown(async () => {
    await demo(home, '--purge')
    await removeDir(home)
  })
  const r = await demo(home)
  t.equal(r.exitCode, 0, r.stderr)
  const host = r.stdout.trim().split('/')[0]!
  const conf = join(home, '.config/containers/registries.conf')
  t.same((parse(await readFile(conf, 'utf8')) as { registry: unknown[] }).registry, [{ location: host, insecure: true }])

  const v1 = '[registries.search]\nregistries = ["docker.io"]\n'
  await writeFile(conf, v1)
  await demo(home, '--stop')
  const again = await demo(home)
  t.equal(again.exitCode, 0, again.stderr)
  t.equal(await readFile(conf, 'utf8'), v1, 'v1 file untouched')
  t.match(again.stderr, /old v1 format[\s\S]*insecure = true/, 'prints what to add instead')
})
