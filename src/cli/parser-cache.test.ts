import t from 'tap'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cli, type CommandClass } from 'clipanion'
import { commandEntries, loadForPath } from './commands/index.js'
import { commandInfo } from './command-info.js'
import { cacheParser, type StartupCache } from './parser-cache.js'

const dir = mkdtempSync(join(tmpdir(), 'tspod-parser-cache-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const cache: StartupCache = { dir, prefix: 'tspod-test-' }

async function cliFor(path: string[], cached: boolean) {
  const cli = new Cli({ binaryName: 'tspod' })
  cli.register((await loadForPath({ entry: commandEntries.find(e => e.paths.some(p => p.join(' ') === path.join(' ')))!, path })) as CommandClass)
  if (cached) cacheParser(cli, path, cache)
  return cli
}

/** What a parse produced: the command's option and positional values, or the error it threw. */
function outcome(cli: Cli, argv: string[]): unknown {
  try {
    const command = cli.process(argv) as unknown as Record<string, unknown>
    return { command: command.constructor.name, values: Object.fromEntries(Object.entries(command).filter(([k]) => !['cli', 'context', 'path'].includes(k))) }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

/** Command lines for a command: each option alone (with a value if it takes one), the examples, a bad flag, help. */
function samples(path: string[], info: ReturnType<typeof commandInfo>): string[][] {
  const positionals = info.positionals.filter(p => p.required).map(p => `${p.name.toLowerCase()}-value`)
  const out = info.options.flatMap(o => o.names.map(name => [...path, name, ...(o.arity > 0 ? ['opt-value'] : []), ...positionals]))
  for (const [, example] of info.examples) out.push(example.replace('$0 ', '').split(' ').filter(w => w !== ''))
  out.push([...path, ...positionals], [...path, '--no-such-flag', ...positionals], [...path, '--help'], [...path, ...positionals, 'extra', '--args'])
  return out
}

t.test('a cached parser parses every command line exactly as a fresh one', async t => {
  let lines = 0
  for (const entry of commandEntries) {
    for (const path of entry.paths) {
      const info = commandInfo(await entry.load())
      const fresh = await cliFor(path, false)
      await cliFor(path, true).then(first => outcome(first, path)) // writes the cache
      const cached = await cliFor(path, true)
      for (const argv of samples(path, info)) {
        lines++
        const [want, got] = [outcome(fresh, argv), outcome(cached, argv)]
        if (JSON.stringify(want) !== JSON.stringify(got)) t.strictSame(got, want, `tspod ${argv.join(' ')}`)
      }
    }
  }
  t.ok(lines > 300, `${lines} command lines compared, all alike`)
  t.ok(readdirSync(dir).some(f => f === 'tspod-test-parser-run.json'), 'one file per command path')
})

t.test('a damaged cache file is dropped and the parse is still right', async t => {
  const file = join(dir, 'tspod-test-parser-ps.json')
  const fresh = await cliFor(['ps'], false)
  for (const damage of ['{not json', '', '{"statics":{},"dynamics":[],"shortcuts":[]}\n{"x":1}']) {
    writeFileSync(file, damage)
    const cached = await cliFor(['ps'], true)
    t.strictSame(outcome(cached, ['ps', '-a', '--format', 'json']), outcome(fresh, ['ps', '-a', '--format', 'json']), `damage: ${JSON.stringify(damage)}`)
    t.notOk(readdirSync(dir).includes('tspod-test-parser-ps.json'), 'and the file is gone (the next start writes it again)')
  }
})

t.test('without a usable cache directory, parsing works as ever', async t => {
  const cli = await cliFor(['images'], false)
  cacheParser(cli, ['images'], { dir: join(dir, 'not-a-dir-file'), prefix: 'x-' })
  writeFileSync(join(dir, 'not-a-dir-file'), 'a file where the directory should be')
  for (let i = 0; i < 2; i++) t.strictSame(outcome(cli, ['images', '-q']), outcome(await cliFor(['images'], false), ['images', '-q']))
})
