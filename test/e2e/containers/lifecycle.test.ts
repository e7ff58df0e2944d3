// A container's life through the CLI: run -d, ps, logs (-f, --tail, -t,
// --since), stop (cooperative, and SIGKILL after -t), kill -s, restart,
// wait, create + start -a, attach, container prune, inspect — and rm taking
// away everything: record, run-root directory, runc state, the overlay mount
// and the upper directory with files of subordinate ids.
import t from 'tap'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { subordinateRanges } from '../../harness/userns.js'
import {
  cmdline, containerPlaces, existsSync, inspect, ok, processGone, psStates, runDetached, spawn, stateFile, storeMounts, storeWith, tspod, waitFor, withImages,
} from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images)
const busybox = images.busybox.reference

/** Prints `line N` every 50 ms until SIGTERM, which it answers with exit 0. */
const TICKER = 'trap "echo bye; exit 0" TERM; i=0; while true; do echo line $i; i=$((i+1)); sleep 0.05; done'

t.test('run -d, ps, inspect, logs -f streaming, stop', async t => {
  const id = await runDetached(t, env, ['--name', 'ticker', '--label', 'role=ticker', '-e', 'MY_VAR=42', busybox, 'sh', '-c', TICKER])
  const ps = await ok(t, env, ['ps', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.State}}'])
  t.match(ps.stdout, new RegExp(`^${id} ticker Up `, 'm'), 'ps lists it as running (Up …)')
  t.equal((await ok(t, env, ['ps', '-q'])).stdout, `${id.slice(0, 12)}\n`, 'ps -q: the short ID')

  const c = await inspect(t, env, 'ticker')
  t.equal(c.Id, id)
  t.equal(c.Name, 'ticker')
  t.equal(c.Image.replace(/^sha256:/, ''), images.busybox.built.images[0]!.configDigest.slice(7), 'Image: the image ID')
  t.equal(c.State.Status, 'running')
  t.equal(c.State.Running, true)
  t.ok(c.State.Pid > 0 && cmdline(c.State.Pid).startsWith('sh -c trap'), `State.Pid is the container's process on the host (${cmdline(c.State.Pid)})`)
  t.ok(c.State.ConmonPid > 0 && cmdline(c.State.ConmonPid).includes('shim'), 'State.ConmonPid is its shim')
  t.ok(Date.parse(c.State.StartedAt) > Date.now() - 120_000, `State.StartedAt is a recent time (${c.State.StartedAt})`)
  t.same(c.Config.Cmd, ['sh', '-c', TICKER], 'Config.Cmd')
  t.ok(c.Config.Env.includes('MY_VAR=42') && c.Config.Env.some(e => e.startsWith('PATH=')), 'Config.Env has -e and the image PATH')
  t.equal(c.Config.Labels?.role, 'ticker', 'Config.Labels has --label')
  t.match((await ok(t, env, ['ps', '--filter', 'label=role=ticker', '--format', '{{.Names}}'])).stdout, 'ticker', 'ps --filter label=')

  // logs -f: lines arrive while the container runs; stopping it ends the command.
  const follow = spawn(env, ['logs', '-f', 'ticker'])
  let seen = ''
  follow.stdout!.on('data', (d: Buffer) => (seen += d.toString()))
  await waitFor('logs -f to stream three lines', () => /line 2\n/.test(seen))
  t.equal((await psStates(t, env)).ticker, 'running', 'the lines came while the container was running')
  const stop = await ok(t, env, ['stop', '-t', '30', 'ticker'])
  t.equal(stop.stdout, 'ticker\n', 'stop echoes the name')
  t.notMatch(stop.stderr, /SIGKILL/, 'it ended on the stop signal, without SIGKILL')
  const followed = await follow
  t.equal(followed.exitCode, 0, 'logs -f ended with the container')
  t.match(seen, /^line 0\nline 1\nline 2\n(line \d+\n)*bye\n$/, 'logs -f showed every line, through the last')

  const done = await inspect(t, env, 'ticker')
  t.equal(done.State.Status, 'exited')
  t.equal(done.State.ExitCode, 0, "the trap's exit status")
  t.equal(done.State.Pid, 0)
  t.ok(processGone(c.State.Pid), 'the container process is gone')
  await waitFor('the shim to exit', () => processGone(c.State.ConmonPid), 10_000)
  t.ok(Date.parse(done.State.FinishedAt) >= Date.parse(done.State.StartedAt), 'FinishedAt after StartedAt')
  t.match((await ok(t, env, ['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).stdout, /^ticker Exited \(0\) /m, 'ps -a: Exited (0)')
  t.equal((await ok(t, env, ['ps', '-q'])).stdout, '', 'ps (running only) no longer lists it')
  await ok(t, env, ['rm', 'ticker'])
})

t.test('logs --tail, -t, --since', async t => {
  const id = await runDetached(t, env, [busybox, 'sh', '-c', 'for i in 1 2 3 4 5; do echo out $i; done; echo err >&2; sleep 1.2; echo late'])
  t.equal((await ok(t, env, ['wait', id])).stdout, '0\n')
  const all = await ok(t, env, ['logs', id])
  t.equal(all.stdout, 'out 1\nout 2\nout 3\nout 4\nout 5\nlate\n', 'stdout to stdout')
  t.equal(all.stderr, 'err\n', 'stderr to stderr')
  t.equal((await ok(t, env, ['logs', '--tail', '2', id])).stdout, 'late\n', '--tail 2: the last two lines (one of them on stderr)')
  t.equal((await ok(t, env, ['logs', '--tail', '3', id])).stdout, 'out 5\nlate\n')
  const stamped = (await ok(t, env, ['logs', '-t', id])).stdout.trim().split('\n')
  t.equal(stamped.length, 6)
  const stamp = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(?:Z|[+-]\d\d:\d\d)) (.*)$/
  t.ok(stamped.every(l => stamp.test(l)), `-t: every line starts with an RFC 3339 time:\n${stamped.join('\n')}`)
  const times = stamped.map(l => Date.parse(stamp.exec(l)?.[1] ?? ''))
  const between = new Date((times[4]! + times[5]!) / 2).toISOString()
  t.equal((await ok(t, env, ['logs', '--since', between, id])).stdout, 'late\n', '--since a time between the lines')
  t.equal((await ok(t, env, ['logs', '--since', new Date(times[5]! + 60_000).toISOString(), id])).stdout, '', '--since after the last line: nothing')
  await ok(t, env, ['rm', id])
})

t.test('stop: a container ignoring SIGTERM is killed after -t seconds (137)', async t => {
  await runDetached(t, env, ['--name', 'stubborn', busybox, 'sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 0.05; done'])
  await waitFor('the trap to be set', async () => (await tspod(env, ['logs', 'stubborn'])).stdout === 'ready\n')
  const r = await ok(t, env, ['stop', '-t', '1', 'stubborn'])
  t.equal(r.stdout, 'stubborn\n')
  t.match(r.stderr, /StopSignal SIGTERM failed to stop container stubborn in 1 seconds, resorting to SIGKILL/, 'the warning podman prints')
  const c = await inspect(t, env, 'stubborn')
  t.equal(c.State.Status, 'exited')
  t.equal(c.State.ExitCode, 137, '128 + SIGKILL')
  t.equal((await ok(t, env, ['stop', 'stubborn'])).stdout, 'stubborn\n', 'stopping a stopped container is fine')
  await ok(t, env, ['rm', 'stubborn'])
})

t.test('kill -s, restart, wait', async t => {
  const script = 'trap "echo got-usr1" USR1; trap "echo got-hup; exit 3" HUP; echo started; while true; do sleep 0.05; done'
  await runDetached(t, env, ['--name', 'target', busybox, 'sh', '-c', script])
  await waitFor('it started', async () => (await tspod(env, ['logs', 'target'])).stdout.includes('started'))
  t.equal((await ok(t, env, ['kill', '-s', 'USR1', 'target'])).stdout, 'target\n')
  await waitFor('the USR1 trap', async () => (await tspod(env, ['logs', 'target'])).stdout.includes('got-usr1'))
  t.equal((await inspect(t, env, 'target')).State.Status, 'running', 'USR1 did not end it')
  t.equal((await ok(t, env, ['kill', '--signal', 'SIGHUP', 'target'])).stdout, 'target\n')
  const waited = await ok(t, env, ['wait', 'target'])
  t.equal(waited.stdout, '3\n', 'wait prints the exit code')
  t.match((await tspod(env, ['logs', 'target'])).stdout, /got-hup/)

  const before = await inspect(t, env, 'target')
  t.equal((await ok(t, env, ['restart', 'target'])).stdout, 'target\n', 'restart an exited container')
  const after = await inspect(t, env, 'target')
  t.equal(after.State.Status, 'running')
  t.not(after.State.Pid, before.State.Pid, 'a new process')
  t.ok(Date.parse(after.State.StartedAt) > Date.parse(before.State.StartedAt), 'a new StartedAt')
  const pid = after.State.Pid
  t.equal((await ok(t, env, ['restart', '-t', '1', 'target'])).stdout, 'target\n', 'restart a running container')
  const again = await inspect(t, env, 'target')
  t.equal(again.State.Status, 'running')
  t.not(again.State.Pid, pid)
  t.ok(processGone(pid), 'the old process is gone')

  t.equal((await ok(t, env, ['kill', 'target'])).stdout, 'target\n', 'kill: SIGKILL by default')
  t.equal((await ok(t, env, ['wait', 'target'])).stdout, '137\n')
  const notRunning = await tspod(env, ['kill', 'target'])
  t.equal(notRunning.exitCode, 125, 'kill of an exited container fails')
  t.match(notRunning.stderr, /^Error: .*state improper/)
  await ok(t, env, ['rm', 'target'])
})

t.test('create + start -a, start, attach', async t => {
  const created = await ok(t, env, ['create', '--name', 'job', busybox, 'sh', '-c', 'echo from-job; echo job-err >&2; exit 4'])
  t.match(created.stdout, /^[0-9a-f]{64}\n$/)
  t.equal((await psStates(t, env)).job, 'created')
  const started = await tspod(env, ['start', '-a', 'job'])
  t.equal(started.exitCode, 4, "start -a exits with the container's status")
  t.equal(started.stdout, 'from-job\n')
  t.equal(started.stderr, 'job-err\n')
  t.equal((await ok(t, env, ['start', 'job'])).stdout, 'job\n', 'start (detached) prints the name')
  t.equal((await ok(t, env, ['wait', 'job'])).stdout, '4\n')
  t.equal((await ok(t, env, ['logs', 'job'])).stdout, 'from-job\nfrom-job\n', 'both runs are in the log')
  await ok(t, env, ['rm', 'job'])

  // attach: heartbeat lines until /tmp/go exists, then a last line and exit 6.
  await runDetached(t, env, ['--name', 'attachee', busybox, 'sh', '-c', 'while [ ! -e /tmp/go ]; do echo tick; sleep 0.05; done; echo after-attach; exit 6'])
  const attached = spawn(env, ['attach', 'attachee'])
  let out = ''
  attached.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  await waitFor('attach to relay output', () => out.includes('tick'))
  await ok(t, env, ['exec', 'attachee', 'touch', '/tmp/go'])
  const r = await attached
  t.equal(r.exitCode, 6, "attach exits with the container's status")
  t.match(out, /tick\n(tick\n)*after-attach\n$/, 'and relayed its output to the end')
  const notRunning = await tspod(env, ['attach', 'attachee'])
  t.equal(notRunning.exitCode, 125, 'attaching to an exited container fails')
  await ok(t, env, ['rm', 'attachee'])
})

t.test('rm removes everything: record, run directory, runc state, mount, upper dir', async t => {
  const [subuid] = subordinateRanges('uid')
  const id = await runDetached(t, env, ['--name', 'owner', busybox, 'sh', '-c', 'mkdir -p /own/deep; echo x > /own/deep/f; chown -R 1000:1000 /own; chmod 700 /own/deep; sleep 600'])
  const places = containerPlaces(env, id)
  await waitFor('the chown', () => existsSync(join(places.upper, 'own')) && statSync(join(places.upper, 'own')).uid !== process.getuid!())
  t.equal(statSync(join(places.upper, 'own')).uid, subuid!.start + 999, 'uid 1000 inside is subuid start + 999 on the host')
  for (const [what, path] of Object.entries(places)) t.ok(existsSync(path), `before rm: ${what} exists (${path})`)
  t.ok(storeMounts(env).some(m => m.includes(id)), 'before rm: the overlay is mounted in tspod\'s namespace')
  const { State } = await inspect(t, env, id)

  const refused = await tspod(env, ['rm', 'owner'])
  t.equal(refused.exitCode, 2, 'rm of a running container needs -f (exit 2, as podman)')
  t.match(refused.stderr, /cannot remove container .* as it is running/)
  t.ok(existsSync(places.record), 'and it is still there')

  t.equal((await ok(t, env, ['rm', '-f', 'owner'])).stdout, 'owner\n')
  for (const [what, path] of Object.entries(places)) t.notOk(existsSync(path), `after rm: no ${what}`)
  t.same(storeMounts(env).filter(m => m.includes(id)), [], 'after rm: no mount')
  t.same(readdirSync(join(env.root, 'containers')).filter(n => n.includes(id)), [], 'no renamed leftovers (.removing-ID) either')
  t.ok(processGone(State.Pid) && processGone(State.ConmonPid), 'the container process and the shim are gone')
  const gone = await tspod(env, ['inspect', 'owner'])
  t.equal(gone.exitCode, 125)
  t.match(gone.stderr, /no such (object|container)/)
  const again = await tspod(env, ['rm', 'owner'])
  t.equal(again.exitCode, 1, 'rm of a missing container: exit 1, as podman')
  t.match(again.stderr, /no container with name or ID "owner" found: no such container/)
})

t.test('container prune removes stopped containers only', async t => {
  const a = await runDetached(t, env, [busybox, 'true'])
  const b = await runDetached(t, env, [busybox, 'false'])
  const live = await runDetached(t, env, ['--name', 'survivor', busybox, 'sleep', '600'])
  await ok(t, env, ['wait', a, b])
  const r = await ok(t, env, ['container', 'prune', '-f'])
  t.same(r.stdout.trim().split('\n').sort(), [a, b].sort(), 'prune prints the removed IDs')
  t.same(Object.keys(await psStates(t, env)), ['survivor'])
  t.ok(existsSync(containerPlaces(env, live).record))
  t.notOk(existsSync(containerPlaces(env, a).record) || existsSync(containerPlaces(env, b).record))
  await ok(t, env, ['rm', '-f', '-t', '0', 'survivor'])
  t.same(readdirSync(join(env.root, 'containers')).filter(n => /^[0-9a-f]{64}$/.test(n)), [], 'nothing left in containers/')

  // What a killed shim or CLI leaves: a record renamed aside for removal (files of a subordinate id inside) and a half-made one.
  const debris = ['.removing-' + 'd'.repeat(64), '.creating-' + 'c'.repeat(64)]
  await ok(t, env, ['unshare', 'sh', '-c', `cd "$1" && mkdir -p ${debris[0]}/upper/x ${debris[1]} && touch ${debris[0]}/upper/x/f && chown -R 1000:1000 ${debris[0]}/upper`, 'sh', join(env.root, 'containers')])
  await ok(t, env, ['container', 'prune', '-f'])
  t.same(readdirSync(join(env.root, 'containers')).filter(n => debris.includes(n)), [], 'prune deletes the debris too')
})

t.test('run -i: stdin reaches the container; wait on a --rm container', async t => {
  const r = await tspod(env, ['run', '--rm', '-i', busybox, 'sh', '-c', 'while read l; do echo "got $l"; done; exit 3'], { input: 'a\nb\n' })
  t.equal(r.exitCode, 3)
  t.equal(r.stdout, 'got a\ngot b\n', 'every line, then EOF')
  t.equal((await ok(t, env, ['run', '--rm', busybox, 'cat'], { input: 'ignored\n' })).stdout, '', 'without -i the container has no stdin')

  const id = await runDetached(t, env, ['--rm', busybox, 'sh', '-c', 'sleep 0.5; exit 5'])
  const waited = await ok(t, env, ['wait', id])
  t.equal(waited.stdout, '5\n', 'wait prints the exit code of a container --rm removed')
  await waitFor('--rm to remove it', () => !existsSync(containerPlaces(env, id).record))
})

t.test('state.json is valid JSON throughout', async t => {
  const id = await runDetached(t, env, [busybox, 'sleep', '0.3'])
  t.equal(stateFile(env, id).status, 'running')
  await ok(t, env, ['wait', id])
  t.match(stateFile(env, id), { status: 'exited', exitCode: 0 })
  await ok(t, env, ['rm', id])
})
