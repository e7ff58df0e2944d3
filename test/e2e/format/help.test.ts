// Help and command-line mistakes through the built CLI, for EVERY command
// (as podman's test/system/015-help.bats walks them): `--help` and
// `help CMD` print the command's help and exit 0; an unknown flag is
// podman's error with a hint, exit 125; a bare group prints its commands
// and fails; unknown commands fail with podman's wording.
import t from 'tap'
import { commandEntries } from '../../../src/cli/commands/index.js'
import { commandInfo } from '../../../src/cli/command-info.js'
import { makeStoreEnv, runTspod } from '../../harness/tspod.js'

const env = await makeStoreEnv(t)
const tspod = (args: string[]) => runTspod(args, { env })
const visible = await Promise.all(commandEntries.map(async e => !commandInfo(await e.load()).hidden))
const paths = commandEntries.filter((_, i) => visible[i]).flatMap(e => e.paths).filter(p => !p[0]!.startsWith('-'))

t.test('every command: --help, help CMD, an unknown flag', async t => {
  for (const path of paths) {
    const name = path.join(' ')
    const help = await tspod([...path, '--help'])
    t.equal(help.exitCode, 0, `${name} --help: exit 0`)
    t.match(help.stdout, new RegExp(`^[A-Z].*\\n\\nDescription:\\n  \\S[\\s\\S]*\\n\\nUsage:\\n  tspod ${name}\\b[\\s\\S]*\\n\\nExamples:\\n  tspod ${name}\\b`), `${name} --help: podman's sections`)
    t.equal(help.stderr, '', `${name} --help: nothing on stderr`)
    const viaHelp = await tspod(['help', ...path])
    t.equal(viaHelp.stdout, help.stdout, `help ${name}: the same text`)
    // A command whose arguments all go to a program (`unshare CMD…`) hands unknown flags on.
    const info = commandInfo(await commandEntries.find(e => e.paths.includes(path))!.load())
    if (info.positionals[0]?.proxy) continue
    const bad = await tspod([...path, '--no-such-flag'])
    t.equal(bad.exitCode, 125, `${name} --no-such-flag: exit 125`)
    t.equal(bad.stderr, `Error: unknown flag: --no-such-flag\nSee 'tspod ${name} --help'\n`, `${name} --no-such-flag: podman's message`)
    t.equal(bad.stdout, '', `${name} --no-such-flag: nothing on stdout`)
  }
})

t.test('the command list, groups, unknown commands', async t => {
  const root = await tspod(['--help'])
  t.equal(root.exitCode, 0)
  for (const path of paths.filter(p => p.length === 1)) t.match(root.stdout, new RegExp(`\\n  ${path[0]} +\\S`), `--help lists ${path[0]}`)
  t.same(await tspod(['help']).then(r => r.stdout), root.stdout, 'help = --help')
  const bare = await tspod([])
  t.equal(bare.exitCode, 125)
  t.equal(bare.stderr, "Error: missing command 'tspod COMMAND'\n")
  for (const group of ['container', 'image', 'system']) {
    const g = await tspod([group])
    t.equal(g.exitCode, 125, `${group}: exit 125`)
    t.equal(g.stderr, `Error: missing command 'tspod ${group} COMMAND'\n`)
    t.match(g.stdout, /\nAvailable Commands:\n {2}\S/)
    const gh = await tspod([group, '--help'])
    t.equal(gh.exitCode, 0)
    t.equal(gh.stdout, g.stdout)
    // Each command of the group under its first name there (aliases are shown in its own help).
    for (const entry of commandEntries) {
      const path = entry.paths.find(p => p[0] === group && p.length === 2)
      if (path) t.match(gh.stdout, new RegExp(`\\n  ${path[1]} +\\S`), `${group} --help lists ${path[1]}`)
    }
  }
  const unknown = await tspod(['bogus'])
  t.same([unknown.exitCode, unknown.stderr], [125, "Error: unrecognized command `tspod bogus`\nTry 'tspod --help' for more information\n"])
  const unknownSub = await tspod(['image', 'bogus'])
  t.same([unknownSub.exitCode, unknownSub.stderr], [125, "Error: unrecognized command `tspod image bogus`\nTry 'tspod image --help' for more information\n"])
  const short = await tspod(['ps', '-Z'])
  t.same([short.exitCode, short.stderr], [125, "Error: unknown shorthand flag: 'Z' in -Z\nSee 'tspod ps --help'\n"])
  const noValue = await tspod(['ps', '--format'])
  t.same([noValue.exitCode, noValue.stderr], [125, "Error: flag needs an argument: --format\nSee 'tspod ps --help'\n"])
  const extra = await tspod(['ps', 'extra'])
  t.same([extra.exitCode, extra.stderr], [125, 'Error: `tspod ps` takes no arguments\n'])
  const glued = await tspod(['ps', '-an0', '--format', '{{.Names}}'])
  t.same([glued.exitCode, glued.stdout], [0, ''], '-an0 is -a -n 0, as pflag reads it')
})
