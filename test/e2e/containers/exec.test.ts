// `tspod exec` into a running container: flags before the container name
// (-e, -u, -w, -i, -d), the process's exit status, 126/127 with one error
// line, and refusal for a container that is not running.
import t from 'tap'
import { assertOneLineError, ok, runDetached, storeWith, tspod, waitFor, withImages } from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images, [images.busybox, images.layers])
const busybox = images.busybox.reference

await runDetached(t, env, ['--name', 'box', '-e', 'FROM_RUN=run', busybox, 'sleep', '600'])

t.test('the process runs in the container, as its root, with its env', async t => {
  const r = await ok(t, env, ['exec', 'box', 'sh', '-c', 'id -u; pwd; hostname; echo $FROM_RUN; cat /proc/1/cmdline | tr "\\0" " "'])
  const id = (await ok(t, env, ['inspect', '--format', '{{.Id}}', 'box'])).stdout.trim()
  t.equal(r.stdout, `0\n/\n${id.slice(0, 12)}\nrun\nsleep 600 `, 'same pid namespace (PID 1 is the sleep), hostname and env')
  t.equal(r.stderr, '')
})

t.test('-e, -u, -w, and flags given before the container name', async t => {
  const r = await ok(t, env, ['exec', '-e', 'FOO=bar', '--env', 'FROM_RUN=over', '-u', 'nobody', '-w', '/tmp', 'box', 'sh', '-c', 'echo "$FOO $FROM_RUN $(id -u):$(id -g) $(pwd)"'])
  t.equal(r.stdout, 'bar over 65534:65534 /tmp\n')
  t.equal((await ok(t, env, ['exec', '--user', '1000:1000', 'box', 'id', '-u'])).stdout, '1000\n', '-u uid:gid (not in /etc/passwd)')
  const badUser = await tspod(env, ['exec', '-u', 'no-such-user', 'box', 'true'])
  assertOneLineError(t, badUser, /no-such-user/, 'exec -u with an unknown user')
  t.equal((await ok(t, env, ['exec', 'box', 'echo', '-e', 'a\\tb'])).stdout, 'a\tb\n', "flags after the command are the command's")
})

t.test('-i passes stdin; without it the process gets none', async t => {
  t.equal((await ok(t, env, ['exec', '-i', 'box', 'sh', '-c', 'cat; echo done'], { input: 'piped in\n' })).stdout, 'piped in\ndone\n')
  t.equal((await ok(t, env, ['exec', 'box', 'sh', '-c', 'cat; echo done'], { input: 'ignored\n' })).stdout, 'done\n', 'without -i stdin is empty')
})

t.test('exit status: the process\'s own, 126, 127', async t => {
  const five = await tspod(env, ['exec', 'box', 'sh', '-c', 'echo to-err >&2; exit 5'])
  t.equal(five.exitCode, 5)
  t.equal(five.stderr, 'to-err\n', "the process's stderr")
  assertOneLineError(t, await tspod(env, ['exec', 'box', '/no/such']), /\/no\/such.*no such file/i, 'exec of a missing command', 127)
  assertOneLineError(t, await tspod(env, ['exec', 'box', '/etc']), /\/etc.*permission denied/i, 'exec of a directory', 126)
  const shell = await tspod(env, ['exec', 'box', 'sh', '-c', 'exec /no/such'])
  t.equal(shell.exitCode, 127, "a shell's own 127 passes through")
  t.match(shell.stderr, /^sh: .*\/no\/such: not found\n$/, "with the shell's message only")
})

t.test('-d returns at once; the process runs on', async t => {
  const r = await ok(t, env, ['exec', '-d', 'box', 'sh', '-c', 'sleep 0.3; echo detached > /tmp/d'])
  t.equal(r.stdout, '')
  await waitFor('the detached process to write', async () => (await tspod(env, ['exec', 'box', 'cat', '/tmp/d'])).stdout === 'detached\n')
  t.pass('it ran after exec -d returned')
})

t.test('--latest, and exec into a container that is not running', async t => {
  t.equal((await ok(t, env, ['exec', '-l', 'sh', '-c', 'echo latest'])).stdout, 'latest\n', '-l: the command follows directly')
  const stopped = await runDetached(t, env, [busybox, 'true'])
  await ok(t, env, ['wait', stopped])
  assertOneLineError(t, await tspod(env, ['exec', stopped, 'true']), /can only create exec sessions on running containers/, 'exec into an exited container')
  assertOneLineError(t, await tspod(env, ['exec', 'no-such-box', 'true']), /no container with name or ID "no-such-box" found/, 'exec into a missing container')
  await ok(t, env, ['rm', stopped])
})
