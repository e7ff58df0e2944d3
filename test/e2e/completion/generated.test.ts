// The committed man pages and completion scripts are what the current build
// generates (`tspod __complete docs`, as scripts/gen-docs.mjs writes them),
// and `tspod completion SHELL` prints the committed script.
import t from 'tap'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeStoreEnv, REPO_ROOT, runTspod } from '../../harness/tspod.js'

const REGENERATE = 'node scripts/build.mjs && node scripts/gen-docs.mjs'
const env = await makeStoreEnv(t)

t.test('committed man/ and completions/ equal a fresh generation', async t => {
  const r = await runTspod(['__complete', 'docs'], { env })
  t.equal(r.exitCode, 0, r.stderr)
  const files = new Map(Object.entries(JSON.parse(r.stdout) as Record<string, string>))
  for (const [path, text] of files) {
    const committed = existsSync(join(REPO_ROOT, path)) ? readFileSync(join(REPO_ROOT, path), 'utf8') : undefined
    t.ok(committed === text, `${path} is current${committed === text ? '' : ` — regenerate: ${REGENERATE}`}`)
  }
  for (const dir of ['man', 'completions']) {
    for (const name of readdirSync(join(REPO_ROOT, dir))) {
      t.ok(files.has(`${dir}/${name}`), `${dir}/${name} is generated${files.has(`${dir}/${name}`) ? '' : ` — remove it: ${REGENERATE}`}`)
    }
  }
})

t.test('tspod completion SHELL prints the committed script', async t => {
  for (const [shell, file] of [['bash', 'tspod.bash'], ['zsh', '_tspod'], ['fish', 'tspod.fish']]) {
    const r = await runTspod(['completion', shell!], { env })
    t.equal(r.exitCode, 0, r.stderr)
    t.equal(r.stdout, readFileSync(join(REPO_ROOT, 'completions', file!), 'utf8'), `completion ${shell}`)
  }
  const bad = await runTspod(['completion', 'powershell'], { env })
  t.equal(bad.exitCode, 125)
  t.equal(bad.stderr, 'Error: unsupported shell "powershell": choose from bash, zsh, fish\n')
})

t.test('__complete is never documented or offered', async t => {
  for (const name of readdirSync(join(REPO_ROOT, 'man'))) t.notMatch(readFileSync(join(REPO_ROOT, 'man', name), 'utf8'), /__complete/, `man/${name}`)
  for (const name of readdirSync(join(REPO_ROOT, 'completions'))) {
    // The one line naming it is the call that fetches names (its errors discarded), never a word offered.
    const lines = readFileSync(join(REPO_ROOT, 'completions', name), 'utf8').split('\n').filter(l => /__complete\b/.test(l) && !/^\s*#/.test(l))
    t.equal(lines.length, 1, `completions/${name}: one call`)
    t.match(lines[0], /__complete .*2>\/dev\/null$/, `completions/${name}: only the call`)
  }
})
