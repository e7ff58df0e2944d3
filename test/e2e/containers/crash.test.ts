// Daemonless means the CLI can die at any time: a container started by a
// CLI that is SIGKILLed (right after `run -d` answers, or in the middle of an
// attached run) runs on, and a new CLI sees and controls it. A shim that is
// SIGKILLed takes its container with it, and `ps` says so instead of
// claiming it runs.
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { containerPlaces, existsSync, inspect, ok, processGone, psStates, spawn, storeMounts, storeWith, tspod, waitFor, withImages } from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images)
const busybox = images.busybox.reference
const TICKER = 'trap "exit 0" TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.05; done'

/**
 * Starts the CLI, waits for `ready` on its stdout, SIGKILLs it; returns what
 * it printed. `mayHaveExited`: the CLI may have finished on its own first
 * (with status 0) — `run -d` exits right after printing the ID.
 */
async function killWhen(args: string[], ready: RegExp, mayHaveExited = false): Promise<string> {
  const cli = spawn(env, args)
  let out = ''
  cli.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  await waitFor(`tspod ${args[0]} to print ${ready}`, () => ready.test(out))
  cli.kill('SIGKILL')
  const r = await cli
  if (r.signal !== 'SIGKILL' && !(mayHaveExited && r.exitCode === 0)) throw new Error(`the CLI was not killed but exited ${r.exitCode}: ${r.stderr}`)
  return out
}

/** The container runs on and a new CLI controls it. */
async function survives(t: Test, name: string): Promise<void> {
  t.equal((await psStates(t, env))[name], 'running', 'ps (a new CLI) shows it running')
  const lines = async () => (await ok(t, env, ['logs', name])).stdout.split('\n').filter(Boolean).length
  const before = await lines()
  await waitFor('more output in the log', async () => (await lines()) > before + 2)
  t.pass('its output keeps reaching the log')
  const { State } = await inspect(t, env, name)
  await ok(t, env, ['stop', '-t', '30', name])
  const c = await inspect(t, env, name)
  t.equal(c.State.Status, 'exited', 'stop works from a new CLI')
  t.equal(c.State.ExitCode, 0, 'through the stop signal')
  t.ok(processGone(State.Pid), 'the container process is gone')
  await waitFor('the shim to exit', () => processGone(State.ConmonPid), 10_000)
  await ok(t, env, ['rm', name])
}

t.test('the CLI SIGKILLed right after run -d prints the ID', async t => {
  const out = await killWhen(['run', '-d', '--name', 'orphan-d', busybox, 'sh', '-c', TICKER], /^[0-9a-f]{64}\n/, true)
  t.match(out, /^[0-9a-f]{64}\n$/)
  await survives(t, 'orphan-d')
})

t.test('the CLI SIGKILLed in the middle of an attached run', async t => {
  const out = await killWhen(['run', '--name', 'orphan-a', busybox, 'sh', '-c', TICKER], /tick 3\n/)
  t.match(out, /^tick 0\ntick 1\ntick 2\ntick 3\n/, 'it was attached')
  await survives(t, 'orphan-a')
})

t.test('the CLI SIGKILLed during an attached run --rm: the container is still removed when it ends', async t => {
  await killWhen(['run', '--rm', '--name', 'orphan-rm', busybox, 'sh', '-c', 'echo started; sleep 0.5; echo done'], /started\n/)
  await waitFor('the --rm container to go', async () => !('orphan-rm' in (await psStates(t, env))))
  t.pass('the shim removed it')
})

t.test('the shim SIGKILLed: ps says exited, inspect says why, the container process is gone', async t => {
  const id = (await ok(t, env, ['run', '-d', '--name', 'shimless', busybox, 'sleep', '600'])).stdout.trim()
  const before = await inspect(t, env, 'shimless')
  const shim = before.State.ConmonPid
  const pidFile = before.ConmonPidFile
  t.ok(existsSync(pidFile), 'the shim has a pid file')
  t.equal(readFileSync(pidFile, 'utf8').trim(), String(shim), "the pid file names inspect's State.ConmonPid")
  process.kill(shim, 'SIGKILL')
  await waitFor('the shim to die', () => processGone(shim))

  t.notMatch((await ok(t, env, ['ps', '--no-trunc', '-q'])).stdout, id, 'ps no longer lists it as running')
  t.equal((await psStates(t, env)).shimless, 'exited', 'ps -a: exited')
  t.match((await ok(t, env, ['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).stdout, /^shimless Exited \(/m, 'ps -a: Exited (…)')
  const after = await inspect(t, env, 'shimless')
  t.equal(after.State.Status, 'exited')
  t.equal(after.State.Running, false)
  t.match(after.State.Error, new RegExp(`shim \\(pid ${shim}\\) died`), `State.Error says why: ${after.State.Error}`)
  t.not(after.State.ExitCode, 0, `the exit code is not a made-up success (${after.State.ExitCode})`)
  await waitFor('the orphaned container process to go', () => processGone(before.State.Pid))
  t.pass('the orphaned container process is gone')
  t.equal((await tspod(env, ['wait', 'shimless'])).stdout, `${after.State.ExitCode}\n`, 'wait returns at once with that code')

  // It can be started again, and removed with everything.
  t.equal((await ok(t, env, ['start', 'shimless'])).stdout, 'shimless\n', 'start works again')
  t.equal((await inspect(t, env, 'shimless')).State.Status, 'running')
  await ok(t, env, ['rm', '-f', '-t', '0', 'shimless'])
  const places = containerPlaces(env, id)
  for (const [what, path] of Object.entries(places)) t.notOk(existsSync(path), `rm: no ${what}`)
  t.same(storeMounts(env).filter(m => m.includes(id)), [], 'rm: no mount left by the dead shim')
})
