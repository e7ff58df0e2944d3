import t from 'tap'
import { execa } from 'execa'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { HOSTILE_FACTS, HOSTILE_NAMES, pushFixture } from './fixtures.js'
import { pullWithSkopeo } from './inspect.js'
import { withRegistry } from './registry.js'
import { makeTempDir, removeDir } from './tools.js'

const typeName = { file: 'file', symlink: 'symlink', link: 'link', directory: 'directory' } as const

t.test('hostile images carry their entries verbatim', async t => {
  const reg = await withRegistry(t)
  for (const name of HOSTILE_NAMES) {
    const facts = HOSTILE_FACTS[name]
    const img = await pushFixture(reg, name)
    const dir = await makeTempDir(name)
    t.teardown(() => removeDir(dir))
    const pulled = await pullWithSkopeo(reg, img.reference, dir)
    const [entries] = await pulled.layers()
    t.same(
      entries!.map(e => [e.type, e.name, ...(e.linkname ? [e.linkname] : [])]),
      facts.entries.map(([type, n, link]) => [typeName[type], n, ...(link ? [link] : [])]),
      `${name}: names and link targets as written`,
    )
    // GNU tar agrees that the archive holds such names (it warns while listing them).
    const layerFile = join(dir, pulled.manifest.layers[0]!.digest.slice(7))
    const listing = await execa('tar', ['-tvzf', layerFile])
    t.equal(listing.stdout.split('\n').length, facts.entries.length, `${name}: GNU tar lists every entry`)
    t.ok(facts.hostPaths.length > 0 && facts.hostPaths.every(p => p.startsWith('/tmp/tspod-evil-')), `${name}: host paths documented`)
  }
})

t.test('a naive extraction really would escape (the fixtures are hostile)', async t => {
  // GNU tar with --absolute-names keeps ../ names: extracting just the
  // shallow dot-dot entry lands it one directory above the root.
  const reg = await withRegistry(t)
  const img = await pushFixture(reg, 'evil-dotdot')
  const dir = await makeTempDir('naive')
  t.teardown(() => removeDir(dir))
  const pulled = await pullWithSkopeo(reg, img.reference, join(dir, 'pull'))
  const layer = join(dir, 'pull', pulled.manifest.layers[0]!.digest.slice(7))
  const root = join(dir, 'a', 'b', 'rootfs')
  await mkdir(root, { recursive: true })
  await execa('tar', ['--absolute-names', '-xzf', layer, '-C', root, '../../tspod-evil-dotdot'])
  t.same((await readdir(join(dir, 'a'))).sort(), ['b', 'tspod-evil-dotdot'], '../../tspod-evil-dotdot landed outside the root')
})
