// Like podman's test/system/015-help.bats: every command's help follows the
// conventions — a description, details, at least one example, every option
// documented, a usage line naming the command — and is generated from the
// command class alone.
import t from 'tap'
import { commandEntries } from './commands/index.js'
import { commandInfo } from './command-info.js'
import { asksForHelp, expandShortOptions, formatOptions, parseErrorMessage, renderCommandHelp, renderGroupHelp, renderRootHelp, runHelp } from './help.js'

const visible = await Promise.all(commandEntries.map(async e => !commandInfo(await e.load()).hidden))
const paths = commandEntries.filter((_, i) => visible[i]).flatMap(e => e.paths.filter(p => !p[0]!.startsWith('-')).map(p => ({ entry: e, path: p })))

t.test('every command documents itself', async t => {
  for (const { entry, path } of paths) {
    const name = path.join(' ')
    const info = commandInfo(await entry.load())
    t.match(info.description, /^[A-Z]\S/, `${name}: a one-line description starting with a capital`)
    t.notMatch(info.description, /\.$|\n/, `${name}: the description is one line without a final period`)
    t.ok(info.examples.length >= 1, `${name}: at least one example`)
    for (const [what, cmd] of info.examples) {
      t.ok(what.trim() !== '', `${name}: example "${cmd}" says what it does`)
      t.ok(info.paths.some(p => cmd === `$0 ${p.join(' ')}` || cmd.startsWith(`$0 ${p.join(' ')} `)), `${name}: example "${cmd}" runs the command`)
    }
    for (const o of info.options.filter(o => !o.hidden)) {
      t.ok(o.description.trim() !== '', `${name}: ${o.names.join(',')} has a description`)
      t.ok(o.names.some(n => n.startsWith('--')), `${name}: ${o.names.join(',')} has a long name`)
    }
    const help = renderCommandHelp(info, path)
    t.ok(help.startsWith(`${info.description}\n\nDescription:\n  `), `${name}: help starts with the description`)
    t.match(help, new RegExp(`\\nUsage:\\n  tspod ${name}( |\\n)`), `${name}: usage line`)
    t.ok(help.includes(`\nExamples:\n  tspod ${name}`), `${name}: examples section, for the command as invoked`)
    for (const o of info.options.filter(o => !o.hidden)) t.ok(help.includes(o.names.find(n => n.startsWith('--'))!), `${name}: help lists ${o.names.join(',')}`)
  }
})

t.test('root and group help list every command', async t => {
  const root = await renderRootHelp()
  t.match(root, /^Manage containers and images.*\n\nUsage:\n {2}tspod \[options\] \[command\]\n\nAvailable Commands:\n/)
  for (const { path } of paths.filter(p => p.path.length === 1)) t.match(root, new RegExp(`\\n  ${path[0]} +[A-Z]`), `lists ${path[0]}`)
  for (const group of ['container', 'image', 'system']) t.match(root, new RegExp(`\\n  ${group} +Manage `), `lists ${group}`)
  t.match(root, /\nOptions:\n(.*\n)*\s+--log-level string\s+\S/)
  const image = await renderGroupHelp('image')
  t.match(image, /^Manage images\n\nDescription:\n {2}Manage images\n\nUsage:\n {2}tspod image \[command\]\n\nAvailable Commands:\n/)
  t.match(image, /\n {2}inspect {5}Display the configuration of an image\n/)
})

t.test('pflag layout of options', async t => {
  const text = formatOptions([
    { names: ['-a', '--all'], arity: 0, description: 'Show all', hidden: false, initial: false, repeats: false },
    { names: ['-f', '--filter'], arity: 1, description: 'Filter output', hidden: false, initial: [], repeats: true },
    { names: ['--format'], arity: 1, description: 'Format', hidden: false, initial: 'json', repeats: false },
    { names: ['--secret'], arity: 1, description: 'Hidden', hidden: true, initial: undefined, repeats: false },
    { names: ['-H', '--human'], arity: 0, description: 'Human', hidden: false, initial: true, repeats: false },
  ])
  t.equal(text, [
    '  -a, --all             Show all',
    '  -f, --filter strings  Filter output',
    '      --format string   Format (default "json")',
    '  -H, --human           Human (default true)',
    '',
  ].join('\n'))
})

t.test('runHelp: help, bare groups, unknown commands', async t => {
  const run = async (args: string[]) => {
    let out = ''
    let err = ''
    const code = await runHelp(args, { out: s => void (out += s), err: s => void (err += s) })
    return { code, out, err }
  }
  t.match(await run(['ps', '--help']), { code: 0, out: /^List containers\n/ })
  t.match(await run(['help', 'image', 'inspect']), { code: 0, out: /^Display the configuration of an image\n/ })
  t.match(await run(['--help']), { code: 0, out: /^Manage containers/ })
  t.match(await run([]), { code: 125, out: /^Manage containers/, err: "Error: missing command 'tspod COMMAND'\n" })
  t.match(await run(['image']), { code: 125, out: /^Manage images/, err: "Error: missing command 'tspod image COMMAND'\n" })
  t.same(await run(['image', 'nosuch']), { code: 125, out: '', err: "Error: unrecognized command `tspod image nosuch`\nTry 'tspod image --help' for more information\n" })
  t.same(await run(['nosuch']), { code: 125, out: '', err: "Error: unrecognized command `tspod nosuch`\nTry 'tspod --help' for more information\n" })
  t.match(await run(['help', 'nosuch']), { code: 0, out: /^Unknown help topic \[`nosuch`\]\nUsage:/ })
  t.same(await run(['run', 'busybox', 'ls', '--help']), { code: undefined, out: '', err: '' }, '--help after the image belongs to the container')
})

t.test('--help before the first positional only; -h unless the command owns it', async t => {
  const ps = commandInfo(await commandEntries.find(e => e.paths[0]![0] === 'ps')!.load())
  const run = commandInfo(await commandEntries.find(e => e.paths[0]![0] === 'run')!.load())
  t.ok(asksForHelp(ps, 1, ['ps', '--format', 'x', '-h']))
  t.ok(asksForHelp(run, 1, ['run', '--name', '--help', '--help']), 'a flag value is skipped')
  t.notOk(asksForHelp(run, 1, ['run', '-h', 'host', 'busybox']), 'run -h is --hostname')
  t.notOk(asksForHelp(run, 1, ['run', 'busybox', '--help']))
})

t.test('podman\'s wording for parse errors', async t => {
  const err = (message: string, name = 'UnknownSyntaxError') => Object.assign(new Error(message), { name })
  t.equal(await parseErrorMessage(err('Command not found; did you mean:\n\n$ tspod ps\nUnsupported option name ("--bogus").'), ['ps', '--bogus']),
    "Error: unknown flag: --bogus\nSee 'tspod ps --help'\n")
  t.equal(await parseErrorMessage(err('Invalid option name ("-Z")'), ['container', 'ps', '-Z']), "Error: unknown shorthand flag: 'Z' in -Z\nSee 'tspod container ps --help'\n")
  t.equal(await parseErrorMessage(err('Not enough arguments to option --format.'), ['ps', '--format']), "Error: flag needs an argument: --format\nSee 'tspod ps --help'\n")
  t.equal(await parseErrorMessage(err('Extraneous positional argument ("x")'), ['ps', 'x']), 'Error: `tspod ps` takes no arguments\n')
  t.equal(await parseErrorMessage(err('Not enough positional arguments.'), ['image', 'exists']), 'Error: accepts 1 arg(s), received 0\n')
})

t.test('short options glued to their values are split as pflag splits them', async t => {
  const ps = commandEntries.find(e => e.paths[0]![0] === 'ps')!
  t.same(await expandShortOptions({ entry: ps, path: ['ps'] }, ['ps', '-an1', '--format', '{{.ID}}']), ['ps', '-a', '-n', '1', '--format', '{{.ID}}'])
  t.same(await expandShortOptions({ entry: ps, path: ['ps'] }, ['ps', '-a']), undefined)
  t.same(await expandShortOptions({ entry: ps, path: ['ps'] }, ['ps', '-Z']), undefined)
})
