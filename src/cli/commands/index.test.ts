import t from 'tap'
import { commandEntries, loadForPath, matchCommand } from './index.js'

t.test('every entry loads a class whose own paths are the entry\'s', async t => {
  for (const entry of commandEntries) {
    const command = await entry.load()
    t.same(command.paths, entry.paths, `${command.name}: paths in commands/index.ts match the class`)
  }
})

t.test('no two commands claim the same path', async t => {
  const seen = new Map<string, number>()
  for (const e of commandEntries) for (const p of e.paths) seen.set(p.join(' '), (seen.get(p.join(' ')) ?? 0) + 1)
  t.same([...seen].filter(([, n]) => n > 1), [])
})

t.test('matchCommand picks the longest path that prefixes the arguments', async t => {
  t.same(matchCommand(['run', '--rm', 'busybox'])?.path, ['run'])
  t.same(matchCommand(['container', 'run', 'busybox'])?.path, ['container', 'run'])
  t.same(matchCommand(['image', 'inspect', 'busybox'])?.path, ['image', 'inspect'])
  t.equal(matchCommand(['no-such-command']), undefined)
  t.equal(matchCommand([]), undefined)
})

t.test('loadForPath registers only the path in use', async t => {
  const match = matchCommand(['container', 'ps'])!
  const command = await loadForPath(match)
  t.same(command.paths, [['container', 'ps']])
  t.equal(command.usage, (await match.entry.load()).usage, 'usage is inherited')
})
