// The rootless user namespace: what `tspod unshare` sees, the pause process
// that holds the namespace (reused, and recreated after it was killed), no
// $XDG_RUNTIME_DIR (the private fallback run root), and a user without a
// subordinate id range (only their own id mapped, one warning naming the fix).
import t from 'tap'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pushFixtures } from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import { makeStoreEnv, pauseProcessOf, type StoreEnv } from '../../harness/tspod.js'
import { assertStoreConsistent, inspectImage, layerDirs, ok, subordinateStarts, tspod, waitFor } from '../../harness/store-checks.js'

const reg = await withRegistry(t)
const fx = await pushFixtures(reg, ['busybox', 'layers'])
const busyboxId = fx.busybox.built.images[0]!.configDigest.slice(7)
const uid = process.getuid!()
const gid = process.getgid!()

const mapLines = (text: string) =>
  text
    .split('\n')
    .map(l => l.trim().split(/\s+/).map(Number))
    .filter(f => f.length === 3)

t.test('tspod unshare: root of a namespace mapping the subordinate range', async t => {
  const env = await makeStoreEnv(t)
  const sub = subordinateStarts()
  t.equal((await ok(t, env, ['unshare', 'id', '-u'])).stdout, '0\n', 'uid 0 inside')
  const uidMap = mapLines((await ok(t, env, ['unshare', 'cat', '/proc/self/uid_map'])).stdout)
  t.same(uidMap[0], [0, uid, 1], 'container 0 is the user')
  t.same(uidMap[1]?.slice(0, 2), [1, sub.uid], 'container 1.. is the subordinate range')
  const gidMap = mapLines((await ok(t, env, ['unshare', 'cat', '/proc/self/gid_map'])).stdout)
  t.same(gidMap[0], [0, gid, 1])
  t.same(gidMap[1]?.slice(0, 2), [1, sub.gid])
  const vars = (await ok(t, env, ['unshare', 'sh', '-c', 'echo "$CONTAINERS_GRAPHROOT $CONTAINERS_RUNROOT"'])).stdout
  t.equal(vars, `${env.root} ${env.runroot}\n`, 'the store paths in the environment')
  t.equal((await tspod(env, ['unshare', 'sh', '-c', 'exit 7'])).exitCode, 7, 'the command exit status is tspod\'s')
  t.equal((await tspod(env, ['unshare', 'no-such-command-here'])).exitCode, 127, 'command not found: 127')

  // Flags before COMMAND: the global ones, `--`, and nothing else.
  const after = (await ok(t, env, ['unshare', '--root', env.root, `--runroot=${env.runroot}`, 'sh', '-c', 'echo "$CONTAINERS_GRAPHROOT $CONTAINERS_RUNROOT"'])).stdout
  t.equal(after, `${env.root} ${env.runroot}\n`, 'global flags after the command name')
  t.equal((await ok(t, env, ['unshare', '--', 'id', '-u'])).stdout, '0\n', '-- ends the flags')
  const level = await tspod(env, ['unshare', '--log-level', 'loud', 'true'])
  t.same([level.exitCode, level.stderr.trim().split('\n').length], [125, 1], `--log-level after unshare is read (and checked): ${level.stderr.trim()}`)
  const bogus = await tspod(env, ['unshare', '--bogus', 'true'])
  t.same([bogus.exitCode, bogus.stderr], [125, "Error: unknown flag: --bogus\nSee 'tspod unshare --help'\n"], 'an unknown flag, in podman\'s words')
})

t.test('the pause process is reused, and a killed one is replaced', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const nsOf = async () => (await ok(t, env, ['unshare', 'readlink', '/proc/self/ns/user'])).stdout.trim()
  const first = await nsOf()
  const pause = pauseProcessOf(env.runroot)
  t.ok(pause, 'a pause process holds the namespace')
  t.equal(await nsOf(), first, 'the next call joins the same namespace')
  await ok(t, env, ['pull', '-q', fx.busybox.reference])
  t.equal(pauseProcessOf(env.runroot), pause, 'a pull uses the same pause process')
  t.equal(await nsOf(), first)

  process.kill(pause!, 'SIGKILL')
  await waitFor('the pause process to die', () => pauseProcessOf(env.runroot) === undefined)
  const healed = await nsOf()
  const again = pauseProcessOf(env.runroot)
  t.ok(again && again !== pause, 'a new pause process')
  t.not(healed, first, 'in a new namespace')
  t.equal(await nsOf(), healed, 'which is reused in turn')
  // The store made under the old namespace still works (the map is the same).
  t.equal((await ok(t, env, ['unshare', 'stat', '-c', '%u', join(env.root, 'images.json')])).stdout, '0\n')
  await ok(t, env, ['pull', '-q', fx.layers.reference])
  await assertStoreConsistent(t, env, 'after the pause process was replaced')
})

/** The env without one variable (runTspod runs the CLI under `env -i` with exactly these). */
function without(env: StoreEnv, name: string): StoreEnv {
  const vars = { ...env.env }
  delete vars[name]
  return { ...env, env: vars }
}

t.test('no XDG_RUNTIME_DIR: a private run root under the temp dir', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const noXdg = without(env, 'XDG_RUNTIME_DIR')
  const fallback = join(env.tmpDir, `tspod-run-${uid}`)
  const opts = { globalArgs: false }
  const rootArgs = ['--root', env.root]
  t.equal((await ok(t, noXdg, [...rootArgs, 'info', '--format', '{{.Store.RunRoot}}'], opts)).stdout, `${fallback}\n`, 'run root falls back to $TMPDIR/tspod-run-UID')
  const pull = await ok(t, noXdg, [...rootArgs, 'pull', '-q', fx.busybox.reference], opts)
  t.equal(pull.stdout, `${busyboxId}\n`, 'pull works')
  t.equal(pull.stderr, '', 'without complaint')
  t.ok(pauseProcessOf(fallback), 'the pause process lives in the fallback run root')
  t.equal((await ok(t, noXdg, [...rootArgs, 'unshare', 'id', '-u'], opts)).stdout, '0\n')
  t.equal((await ok(t, noXdg, [...rootArgs, 'images', '-q'], opts)).stdout, `${busyboxId.slice(0, 12)}\n`)

  // A run root somebody else could have planted is refused.
  const pathological = without(env, 'XDG_RUNTIME_DIR')
  pathological.env.TMPDIR = join(env.base, 'planted')
  await ok(t, env, ['unshare', 'sh', '-c', `mkdir -p "$1" && mkdir -m 0777 "$1/tspod-run-${uid}"`, 'sh', pathological.env.TMPDIR])
  const refused = await tspod(pathological, [...rootArgs, 'images'], opts)
  t.equal(refused.exitCode, 125)
  t.match(refused.stderr, /^Error: .*tspod-run-\d+ is not a private directory owned by/)
})

t.test('no subordinate id range: only the user is mapped, with one warning naming the fix', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const empty = join(env.base, 'subid-empty')
  writeFileSync(empty, '# nobody has ranges here\n')
  const noRanges = { extraEnv: { TSPOD_SUBUID_FILE: empty, TSPOD_SUBGID_FILE: empty } }

  const pull = await ok(t, env, ['pull', '-q', fx.busybox.reference], noRanges)
  t.equal(pull.stdout, `${busyboxId}\n`, 'the pull works')
  const lines = pull.stderr.split('\n').filter(Boolean)
  t.equal(lines.length, 1, `one line on stderr:\n${pull.stderr}`)
  t.match(lines[0], /^WARN\[\d{4}\] no subordinate UID range for "[^"]+" in .*subid-empty/, 'a warning')
  t.match(lines[0], /usermod --add-subuids \d+-\d+ --add-subgids \d+-\d+ /, 'naming the fix')

  const uidMap = mapLines((await ok(t, env, ['unshare', 'cat', '/proc/self/uid_map'], noRanges)).stdout)
  t.same(uidMap, [[0, uid, 1]], 'only the user is mapped')
  t.equal((await ok(t, env, ['run', '--rm', fx.busybox.reference, 'echo', 'hi'], noRanges)).stdout, 'hi\n', 'and the image runs')
  t.ok(existsSync(join(env.runroot, 'pause.map')) && readFileSync(join(env.runroot, 'pause.map'), 'utf8') === `uid:0 ${uid} 1\ngid:0 ${gid} 1\n`, 'the pause process was made with that map')

  // Files of other owners cannot keep them: they become the user's, and the pull says so.
  const layers = await ok(t, env, ['pull', '-q', fx.layers.reference], noRanges)
  t.equal(layers.stdout, `${fx.layers.built.images[0]!.configDigest.slice(7)}\n`, 'an image with files owned by 1000 and 65534 pulls too')
  const warnings = layers.stderr.split('\n').filter(Boolean)
  t.ok(warnings.every(l => /^WARN\[\d{4}\] /.test(l)), 'only warnings on stderr')
  t.ok(warnings.some(l => /entries owned by ids outside the user namespace .*"app\/hello\.txt" \(1000:1000\)/.test(l)), 'naming the entries whose owner was lost')
  const image = await inspectImage(t, env, fx.layers.reference)
  const hello = join(layerDirs(image)[3]!, 'app/hello.txt')
  t.equal(statSync(hello).uid, uid, 'a file owned by 1000 in the image is owned by the user')
})
