// Run flags that change how the container runs: restart policies (applied
// by the shim, ended by stop/rm), --init, --read-only, capabilities,
// --privileged, no-new-privileges, --label, --pull=never, --sig-proxy.
import t from 'tap'
import { readFileSync } from 'node:fs'
import {
  assertOneLineError, containerPlaces, inspect, ok, processGone, psStates, runDetached, sh, spawn, stateFile, storeWith, tspod, waitFor, withImages,
} from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images)
const busybox = images.busybox.reference
const DEFAULT_CAPS = 0x800405fbn

t.test('--restart on-failure:2 restarts a failing container twice', async t => {
  const id = await runDetached(t, env, ['--name', 'flaky', '--restart', 'on-failure:2', busybox, 'sh', '-c', 'echo try; exit 3'])
  await waitFor('the shim to give up', () => stateFile(env, id).shimPid === undefined && stateFile(env, id).status === 'exited', 30_000)
  const c = await inspect(t, env, 'flaky')
  t.equal(c.RestartCount, 2, 'RestartCount 2')
  t.equal(c.State.ExitCode, 3, 'the last exit code')
  t.same(c.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 })
  t.equal((await ok(t, env, ['logs', 'flaky'])).stdout, 'try\ntry\ntry\n', 'three runs')
  await ok(t, env, ['rm', 'flaky'])

  const fine = await runDetached(t, env, ['--restart', 'on-failure', busybox, 'true'])
  await waitFor('it to end', () => stateFile(env, fine).shimPid === undefined && stateFile(env, fine).status === 'exited')
  t.equal((await inspect(t, env, fine)).RestartCount, 0, 'on-failure does not restart a success')
  await ok(t, env, ['rm', fine])
})

/** Waits for a shim to exit; on a timeout, the error says what the shim was doing (for a rare failure under load). */
async function shimExits(what: string, shim: number, id: string): Promise<void> {
  try {
    await waitFor(what, () => processGone(shim), 10_000)
  } catch (err) {
    const read = (p: string) => {
      try {
        return readFileSync(p, 'utf8').trim()
      } catch (e) {
        return `(${(e as Error).message})`
      }
    }
    const places = containerPlaces(env, id)
    const children = read(`/proc/${shim}/task/${shim}/children`)
    throw new Error(`${(err as Error).message}; state ${read(`${places.record}/state.json`)}; shim ${read(`/proc/${shim}/stat`)}; ` +
      `wchan ${read(`/proc/${shim}/wchan`)}; children [${children}] ${children.split(' ').filter(Boolean).map(c => read(`/proc/${c}/cmdline`).replace(/\0/g, ' ')).join(' | ')}; ` +
      `shim log: ${read(`${places.runDir}/shim.log`).slice(-2000)}`)
  }
}

t.test('--restart always restarts until stop; rm -f ends it between two runs', async t => {
  const id = await runDetached(t, env, ['--name', 'phoenix', '--restart', 'always', busybox, 'sh', '-c', 'echo run; sleep 0.1'])
  await waitFor('two restarts', async () => (await inspect(t, env, 'phoenix')).RestartCount >= 2, 30_000)
  const shim = Number(stateFile(env, id).shimPid)
  t.ok(shim > 0, 'one shim does the restarting')
  await ok(t, env, ['stop', 'phoenix'])
  // It records the exit, then unmounts and closes up: not necessarily before stop returns.
  await shimExits('the shim to exit after stop', shim, id)
  t.pass('after stop the shim exits: nothing will start it again')
  const c = await inspect(t, env, 'phoenix')
  t.equal(c.State.Status, 'exited')
  t.equal((await ok(t, env, ['ps', '-q'])).stdout, '', 'ps: not running')
  t.equal((await ok(t, env, ['start', 'phoenix'])).stdout, 'phoenix\n', 'start brings it back')
  await waitFor('a restart after start', async () => (await inspect(t, env, 'phoenix')).RestartCount > c.RestartCount, 30_000)
  // `true` exits at once: most of the time the shim is waiting to restart it.
  const quick = await runDetached(t, env, ['--name', 'quick', '--restart', 'always', busybox, 'true'])
  await waitFor('a restart', async () => (await inspect(t, env, 'quick')).RestartCount >= 1, 30_000)
  const quickShim = Number(stateFile(env, quick).shimPid)
  await ok(t, env, ['stop', 'quick'])
  await shimExits('the shim to exit after stop', quickShim, quick)
  t.pass('stop (between two runs, most likely) ended the restarting shim')
  const count = (await inspect(t, env, 'quick')).RestartCount
  await ok(t, env, ['start', 'quick'])
  await waitFor('a restart after start', async () => (await inspect(t, env, 'quick')).RestartCount > count, 30_000)
  const again = Number(stateFile(env, quick).shimPid)
  t.ok(again > 0, 'a shim restarts it again')
  const rm = await ok(t, env, ['rm', '-f', 'quick', 'phoenix'])
  t.equal(rm.stdout, 'quick\nphoenix\n')
  await shimExits('the shim to exit after rm -f', again, quick)
  t.pass('rm -f ended the restarting shim')
  t.same(await psStates(t, env), {}, 'both are gone')
})

t.test('--init: PID 1 is tspod-init, which reaps orphans and forwards signals', async t => {
  const orphan = '(sleep 0.1 &); exec sleep 600'
  const zombies = async (name: string) => {
    await new Promise(resolve => setTimeout(resolve, 400))
    return (await ok(t, env, ['exec', name, 'ps', '-o', 'stat,comm'])).stdout.split('\n').filter(l => /^Z/.test(l)).length
  }
  await runDetached(t, env, ['--name', 'no-init', busybox, 'sh', '-c', orphan])
  t.equal(await zombies('no-init'), 1, 'without --init the orphan stays a zombie (PID 1 is sleep, which never waits)')
  await runDetached(t, env, ['--name', 'with-init', '--init', busybox, 'sh', '-c', orphan])
  t.equal((await ok(t, env, ['exec', 'with-init', 'cat', '/proc/1/comm'])).stdout, 'tspod-init\n', 'PID 1 is tspod-init')
  t.equal((await ok(t, env, ['exec', 'with-init', 'sh', '-c', 'cat /proc/$(cat /proc/1/task/1/children | cut -d" " -f1)/cmdline | tr "\\0" " "'])).stdout, 'sleep 600 ', 'its child is the command')
  t.equal(await zombies('with-init'), 0, 'with --init the orphan is reaped')
  const stop = await ok(t, env, ['stop', '-t', '20', 'with-init'])
  t.notMatch(stop.stderr, /SIGKILL/, 'SIGTERM reached sleep through the init (no SIGKILL needed)')
  t.equal((await inspect(t, env, 'with-init')).State.ExitCode, 143, 'the command died of SIGTERM: 128 + 15')
  await ok(t, env, ['rm', '-f', '-t', '0', 'no-init', 'with-init'])
})

t.test('--read-only', async t => {
  const out = await sh(t, env, busybox, 'touch /x 2>&1; echo "root=$?"; touch /tmp/y && echo tmp-ok; touch /run/z && echo run-ok', ['--read-only'])
  t.match(out, /Read-only file system\nroot=1\n/, '/ is read-only')
  t.match(out, /tmp-ok\nrun-ok\n/, '/tmp and /run stay writable (tmpfs, as podman)')
  t.equal(await sh(t, env, busybox, 'touch /x && echo ok'), 'ok\n', 'without it / is writable')
})

t.test('capabilities: --cap-add, --cap-drop, --privileged', async t => {
  const capEff = async (flags: string[]) => BigInt(`0x${(await sh(t, env, busybox, 'grep CapEff /proc/self/status', flags)).split(/\s+/)[1]}`)
  t.equal(await capEff([]), DEFAULT_CAPS, 'the default set')
  t.equal(await capEff(['--cap-add', 'NET_ADMIN']), DEFAULT_CAPS | (1n << 12n), '--cap-add NET_ADMIN adds bit 12')
  t.equal(await capEff(['--cap-drop', 'chown', '--cap-drop', 'CAP_KILL']), DEFAULT_CAPS & ~1n & ~(1n << 5n), '--cap-drop CHOWN and KILL remove bits 0 and 5')
  t.equal(await capEff(['--cap-drop', 'all']), 0n, '--cap-drop ALL: none')
  const last = BigInt(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim())
  t.equal(await capEff(['--privileged']), (1n << (last + 1n)) - 1n, '--privileged: every capability of this kernel')
  assertOneLineError(t, await tspod(env, ['run', '--rm', '--cap-add', 'NOT_A_CAP', busybox, 'true']), /unknown capability/, 'an unknown capability')
})

t.test('--security-opt no-new-privileges', async t => {
  t.equal(await sh(t, env, busybox, 'grep NoNewPrivs /proc/self/status', ['--security-opt', 'no-new-privileges']), 'NoNewPrivs:\t1\n')
  t.equal(await sh(t, env, busybox, 'grep NoNewPrivs /proc/self/status'), 'NoNewPrivs:\t0\n', 'off by default')
  assertOneLineError(t, await tspod(env, ['run', '--rm', '--security-opt', 'bogus', busybox, 'true']), /security-opt/, 'an unknown --security-opt')
})

t.test('--label', async t => {
  await runDetached(t, env, ['--name', 'labelled', '--label', 'tier=web', '-l', 'empty', busybox, 'true'])
  const c = await inspect(t, env, 'labelled')
  t.same(c.Config.Labels, { tier: 'web', empty: '' })
  t.equal((await ok(t, env, ['ps', '-a', '--filter', 'label=tier=web', '--format', '{{.Names}}'])).stdout, 'labelled\n')
  t.equal((await ok(t, env, ['ps', '-a', '--filter', 'label=tier=db', '--format', '{{.Names}}'])).stdout, '')
  await ok(t, env, ['rm', 'labelled'])
})

t.test('--pull=never', async t => {
  t.equal((await ok(t, env, ['run', '--rm', '--pull=never', busybox, 'echo', 'local'])).stdout, 'local\n', 'an image in the store runs')
  const r = await tspod(env, ['run', '--rm', '--pull=never', images.layers.reference, 'true'])
  assertOneLineError(t, r, /layers.*image not known/, '--pull=never with an image not in the store')
  t.equal((await ok(t, env, ['images', '-q', images.layers.reference])).stdout, '', 'nothing was pulled')
})

t.test('--sig-proxy: signals to an attached run reach the container', async t => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    const cli = spawn(env, ['run', '--rm', busybox, 'sh', '-c', `trap "echo got-${sig}; exit 42" ${sig.slice(3)}; echo ready; while true; do sleep 0.05; done`])
    let out = ''
    cli.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    await waitFor('ready', () => out.includes('ready'))
    cli.kill(sig)
    const r = await cli
    t.equal(r.exitCode, 42, `${sig}: tspod exits with the trap's status`)
    t.equal(out, `ready\ngot-${sig}\n`, `${sig}: the trap ran`)
  }

  const cli = spawn(env, ['run', '--sig-proxy=false', '--name', 'unproxied', busybox, 'sh', '-c', 'trap "echo got-term; exit 42" TERM; echo ready; while true; do sleep 0.05; done'])
  let out = ''
  cli.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  await waitFor('ready', () => out.includes('ready'))
  cli.kill('SIGTERM')
  const r = await cli
  t.not(r.exitCode, 42, '--sig-proxy=false: tspod stops waiting')
  t.equal((await psStates(t, env)).unproxied, 'running', 'and the container keeps running')
  t.notMatch((await ok(t, env, ['logs', 'unproxied'])).stdout, /got-term/, 'the signal did not reach it')
  await ok(t, env, ['rm', '-f', '-t', '0', 'unproxied'])
})
