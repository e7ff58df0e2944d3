// scripts/test.mjs, run for real on a throw-away project: the runner, a
// stand-in build script, the real .taprc and sample test files.
import t from 'tap'
import { execa } from 'execa'
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir, removeDir } from './tools.js'
import { REPO_ROOT } from './tspod.js'

const SAMPLES: Record<string, string> = {
  'pass.test.ts': `import t from 'tap'\nt.test('a', async t => { t.ok(true); t.ok(true) })\nt.pass('top')\n`,
  'fail.test.ts': `import t from 'tap'\nt.test('b', async t => { t.equal(1, 2, 'one is two'); t.ok(true) })\n`,
  'crash.test.ts': `import t from 'tap'\nt.pass('before the crash')\nprocess.exit(3)\n`,
  'skip.test.ts': `import t from 'tap'\nt.skip('not today')\nt.pass('p')\n`,
  'hang.test.ts': `import t from 'tap'\nt.pass('then hangs')\nsetInterval(() => {}, 1000)\n`,
}

async function project(t: { teardown(fn: () => unknown): void }, opts: { build?: string; timeout?: number } = {}): Promise<string> {
  const dir = await makeTempDir('runner')
  t.teardown(() => removeDir(dir))
  await mkdir(join(dir, 'scripts'))
  await mkdir(join(dir, 'test'))
  await copyFile(join(REPO_ROOT, 'scripts/test.mjs'), join(dir, 'scripts/test.mjs'))
  await writeFile(join(dir, 'scripts/build.mjs'), opts.build ?? "console.log('stand-in build ran')\n")
  let taprc = await readFile(join(REPO_ROOT, '.taprc'), 'utf8')
  if (opts.timeout) taprc = taprc.replace(/^timeout: \d+$/m, `timeout: ${opts.timeout}`)
  await writeFile(join(dir, '.taprc'), taprc)
  await copyFile(join(REPO_ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'))
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'runner-sample', type: 'module', private: true }))
  await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'))
  for (const [name, body] of Object.entries(SAMPLES)) await writeFile(join(dir, 'test', name), body)
  return dir
}

/** Runs the runner outside of this tap process's environment (no tap/processinfo variables). */
async function runRunner(dir: string, args: string[]) {
  const env = ['PATH=' + (process.env.PATH ?? '/usr/bin:/bin'), 'HOME=' + (process.env.HOME ?? dir)]
  const r = await execa('env', ['-i', ...env, process.execPath, join(dir, 'scripts/test.mjs'), ...args], { cwd: dir, reject: false, all: true })
  const lines = String(r.stdout).trimEnd().split('\n')
  return { code: r.exitCode, stdout: String(r.stdout), last: lines.at(-1), all: String(r.all) }
}

t.test('.taprc: no coverage, 2 jobs, a per-file timeout, both test trees', async t => {
  const rc = await readFile(join(REPO_ROOT, '.taprc'), 'utf8')
  t.match(rc, /^disable-coverage: true$/m)
  t.match(rc, /^jobs: 2$/m)
  t.match(rc, /^timeout: \d+$/m)
  t.match(rc, /- src\/\*\*\/\*\.test\.ts/)
  t.match(rc, /- test\/\*\*\/\*\.test\.ts/)
})

t.test('counts leaf points, reports failures and crashes, exits non-zero', async t => {
  const dir = await project(t)
  const r = await runRunner(dir, ['test/pass.test.ts', 'test/fail.test.ts', 'test/crash.test.ts', 'test/skip.test.ts'])
  t.equal(r.last, 'tests: 6 passed, 2 failed', r.all)
  t.equal(r.code, 1)
  t.match(r.stdout, 'stand-in build ran', 'built first')
  t.match(r.stdout, /^ok {3}test\/pass\.test\.ts {2}3 passed, 0 failed/m)
  t.match(r.stdout, /^FAIL test\/fail\.test\.ts {2}1 passed, 1 failed/m)
  t.match(r.stdout, 'one is two', 'the failing assertion is named')
  t.match(r.stdout, /^FAIL test\/crash\.test\.ts {2}1 passed, 1 failed/m, 'a crash counts as a failure')
  t.match(r.stdout, /exitCode: 3/)
  t.match(r.stdout, /^ok {3}test\/skip\.test\.ts {2}1 passed, 0 failed, 1 skipped/m)
  t.match(r.stdout, 'not run: 1 skipped, 0 todo')
})

t.test('a passing run exits 0', async t => {
  const dir = await project(t)
  const r = await runRunner(dir, ['test/pass.test.ts'])
  t.equal(r.last, 'tests: 3 passed, 0 failed', r.all)
  t.equal(r.code, 0)
})

t.test('without arguments it runs every test file under src/, test/ and native-bindings/', async t => {
  const dir = await project(t)
  await removeDir(join(dir, 'test/hang.test.ts'))
  await mkdir(join(dir, 'src/deep'), { recursive: true })
  await writeFile(join(dir, 'src/deep/unit.test.ts'), `import t from 'tap'\nt.pass('unit')\n`)
  const r = await runRunner(dir, ['--no-build'])
  t.equal(r.last, 'tests: 7 passed, 2 failed', r.all)
  t.notMatch(r.stdout, 'stand-in build ran', '--no-build')
  t.match(r.stdout, 'running 5 test files')
})

t.test('a build failure fails the run before any test', async t => {
  const dir = await project(t, { build: "console.error('compile error'); process.exit(2)\n" })
  const r = await runRunner(dir, ['test/pass.test.ts'])
  t.equal(r.last, 'tests: 0 passed, 1 failed', r.all)
  t.equal(r.code, 1)
  t.match(r.all, /build failed \(exit status 2\)/)
})

t.test("a file that hangs is killed at tap's per-file timeout and counted once", async t => {
  const dir = await project(t, { timeout: 3 })
  const alone = await runRunner(dir, ['--no-build', 'test/hang.test.ts'])
  t.equal(alone.last, 'tests: 1 passed, 1 failed', alone.all)
  t.match(alone.stdout, /^FAIL test\/hang\.test\.ts/m)
  t.equal(alone.code, 1)
  // Next to a hanging file, tap 21 sometimes drops another file's result:
  // then that file must be reported as failed, never silently missing.
  const pair = await runRunner(dir, ['--no-build', 'test/hang.test.ts', 'test/pass.test.ts'])
  const lost = /^FAIL test\/pass\.test\.ts {2}no result/m.test(pair.stdout)
  t.equal(pair.last, lost ? 'tests: 1 passed, 2 failed' : 'tests: 4 passed, 1 failed', pair.all)
  t.equal(pair.code, 1)
})

t.test('a missing test file is an error', async t => {
  const dir = await project(t)
  const r = await runRunner(dir, ['--no-build', 'test/nope.test.ts'])
  t.equal(r.last, 'tests: 0 passed, 1 failed')
  t.equal(r.code, 1)
})
