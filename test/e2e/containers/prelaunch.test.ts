// The fast start: for a plain run (native overlay, no tty, nothing to create
// in the root) the CLI hands the mount and `runc run` to tspod-shimlaunch, so
// the container starts while the Node shim is still starting; the shim then
// adopts the run. Other runs take the shim's own path. Both must behave the same.
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ok, storeWith, tspod, withImages } from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images)
const busybox = images.busybox.reference
const ADOPTED = 'shim: adopting the run tspod-shimlaunch started'

/** Run with TSPOD_TRACE and return the result and the trace's labels. */
async function traced(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'tspod-trace-'))
  try {
    const file = join(dir, 'trace.txt')
    const r = await tspod(env, args, { extraEnv: { TSPOD_TRACE: file } })
    const labels = readFileSync(file, 'utf8').trim().split('\n').map(l => l.split(' ').slice(2).join(' '))
    return { r, labels }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

t.test('a plain run starts through tspod-shimlaunch', async t => {
  const { r, labels } = await traced(['run', '--rm', busybox, 'sh', '-c', 'echo out; echo err >&2; exit 3'])
  t.equal(r.exitCode, 3)
  t.equal(r.stdout, 'out\n')
  t.equal(r.stderr, 'err\n')
  t.ok(labels.includes(ADOPTED), 'the shim adopted the early run')
})

t.test('the container gets only its own stdio, none of the launcher\'s descriptors', async t => {
  const { r, labels } = await traced(['run', '--rm', busybox, 'ls', '/proc/self/fd'])
  t.ok(labels.includes(ADOPTED))
  // 0, 1, 2 and the directory ls is reading.
  t.same(r.stdout.trim().split('\n').map(Number).sort((a, b) => a - b), [0, 1, 2, 3], r.stdout)
})

t.test('stdin reaches a prelaunched container; without -i it reads end of file', async t => {
  const withStdin = await tspod(env, ['run', '--rm', '-i', busybox, 'cat'], { input: 'piped\n' })
  t.equal(withStdin.stdout, 'piped\n', withStdin.stderr)
  const without = await tspod(env, ['run', '--rm', busybox, 'cat'], { input: 'ignored\n' })
  t.equal(without.exitCode, 0)
  t.equal(without.stdout, '', 'no stdin without -i')
})

t.test('a failure to start in the early run is reported like any other', async t => {
  const { r, labels } = await traced(['run', '--rm', busybox, '/no/such'])
  t.ok(labels.includes(ADOPTED))
  t.equal(r.exitCode, 127)
  t.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
  t.equal((await ok(t, env, ['ps', '-aq'])).stdout, '')
})

t.test('runs that need the shim first take its path', async t => {
  const tty = await traced(['run', '--rm', '-t', busybox, 'true'])
  t.equal(tty.r.exitCode, 0, tty.r.stderr)
  t.notOk(tty.labels.includes(ADOPTED), 'a tty: the console socket is the shim\'s')

  const restart = await traced(['run', '--name', 'again', '--restart', 'on-failure:1', busybox, 'sh', '-c', 'exit 1'])
  t.equal(restart.r.exitCode, 1)
  t.ok(restart.labels.includes(ADOPTED), 'the first run is the early one')
  const count = await ok(t, env, ['inspect', '--format', '{{.RestartCount}}', 'again'])
  t.equal(count.stdout.trim(), '1', 'the restart went through the shim\'s own path')
  await ok(t, env, ['rm', '-f', 'again'])
})
