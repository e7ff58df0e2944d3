// The generated documents cover every command and every visible option, and
// every man page passes `mandoc -T lint -W warning`.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SHELLS, completionScript, generatedFiles } from './docs.js'
import { manPages, pageName } from './man.js'
import { buildModel, longName } from './model.js'
import { roffLiteral } from './roff.js'

const model = await buildModel()

t.test('the model: every visible command, no hidden one', async t => {
  const keys = model.commands.map(c => c.key)
  for (const key of ['run', 'image-inspect', 'completion', 'ps', 'system-migrate']) t.ok(keys.includes(key), key)
  t.notOk(keys.some(k => k.startsWith('_')), '__complete is left out')
  t.notOk(model.commands.some(c => c.paths.some(p => p[0]!.startsWith('-'))), '--version-style paths are left out')
  t.same(model.globals.map(o => longName(o)), ['--log-level', '--root', '--runroot', '--storage-driver'])
})

t.test('every option of every command is in its man pages and in each script', async t => {
  const pages = manPages(model)
  const scripts = SHELLS.map(shell => [shell, completionScript(shell, model)] as const)
  for (const command of model.commands) {
    for (const path of command.paths) {
      const page = pages.get(`${pageName(path)}.1`)
      t.ok(page, `${pageName(path)}.1 exists`)
      for (const o of command.options) for (const n of o.names) t.ok(page?.includes(`\\fB${roffLiteral(n)}\\fR`), `${pageName(path)}.1 documents ${n}`)
    }
    for (const [shell, script] of scripts) {
      for (const o of command.options) {
        for (const n of o.names) {
          // bash: the word itself; zsh: an _arguments spec; fish: -s x / -l name.
          const spelled = shell === 'fish' ? (n.startsWith('--') ? `-l ${n.slice(2)} ` : `-s ${n.slice(1)} `) : n
          t.ok(script.includes(spelled), `${shell}: ${command.key} ${n}`)
        }
      }
    }
  }
  for (const o of model.globals) t.ok(pages.get('tspod.1')!.includes(`\\fB${roffLiteral(longName(o))}\\fR`), `tspod.1 documents ${longName(o)}`)
})

t.test('tspod.1: commands, exit status, files, environment', async t => {
  const root = manPages(model).get('tspod.1')!
  for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'GLOBAL OPTIONS', 'COMMANDS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'SEE ALSO']) t.match(root, new RegExp(`^\\.SH ${section}$`, 'm'), section)
  for (const status of ['125', '126', '127']) t.match(root, new RegExp(`^\\\\fB${status}\\\\fR$`, 'm'), `exit status ${status}`)
  for (const word of ['registries.conf', 'auth.json', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR', 'tspod\\-run (1)', 'tspod\\-image (1)']) t.ok(root.includes(word), word)
})

t.test('a command page: synopsis with aliases, options with defaults, examples', async t => {
  const page = manPages(model).get('tspod-rm.1')!
  t.match(page, /^\.TH TSPOD\\-RM 1 \d{4}-\d\d-\d\d "tspod [^"]+" "User Commands"$/m)
  t.match(page, /^\.B tspod container remove$/m, 'the alias is in the synopsis')
  t.match(page, /^tspod rm \\-a \\-f$/m, 'an example, $0 as tspod')
  const inspect = manPages(model).get('tspod-container-inspect.1')!
  t.match(inspect, /^The default is \\fBjson\\fR\.$/m, 'a default value')
  t.match(manPages(model).get('tspod-container-run.1')!, /^tspod\\-container\\-run \\- Run a command in a new container$/m, 'alias pages are named for the alias')
})

t.test('mandoc -T lint -W warning: every page is clean', async t => {
  if (spawnSync('mandoc', ['-V']).error) t.fail('mandoc is not installed (needed to lint the man pages; Debian package mandoc)')
  const dir = mkdtempSync(join(tmpdir(), 'tspod-man-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const files = [...manPages(model)].map(([name, text]) => {
    writeFileSync(join(dir, name), text)
    return name
  })
  const r = spawnSync('mandoc', ['-T', 'lint', '-W', 'warning', ...files], { cwd: dir, encoding: 'utf8' })
  t.equal(r.stdout + r.stderr, '', 'no messages')
  t.equal(r.status, 0, 'exit status 0')
})

t.test('generatedFiles: man/ and completions/ only', async t => {
  const files = await generatedFiles()
  t.ok([...files.keys()].every(p => /^(man\/tspod[a-z-]*\.1|completions\/(tspod\.bash|_tspod|tspod\.fish))$/.test(p)), 'paths')
  t.ok(files.has('man/tspod.1') && files.has('completions/_tspod'))
})
