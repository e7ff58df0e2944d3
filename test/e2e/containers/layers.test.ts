// The `layers` fixture seen from inside a container: whiteouts and an opaque
// directory applied, hard links linked, owners and special mode bits as in
// the image (LAYERS_FACTS), and the image config's WORKDIR, USER, ENV,
// ENTRYPOINT and CMD — each overridden by its flag.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LAYERS_FACTS } from '../../harness/fixtures.js'
import { assertOneLineError, inspect, ok, runDetached, sh, storeWith, tspod, waitFor, withImages } from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images, [images.layers])
const layers = images.layers.reference
const asRoot = ['--entrypoint', '', '-u', 'root']

t.test('whiteouts, opaque directory, hard links, owners, modes', async t => {
  const paths = [...LAYERS_FACTS.entries.map(e => e.path), ...LAYERS_FACTS.absent]
  // One line per path: "PATH<tab>absent" or "PATH<tab>TYPE|UID|GID|MODE|INODE<tab>TARGET".
  const script = `for p in "$@"; do
    if [ -e "$p" ] || [ -L "$p" ]; then
      printf '%s\\t%s\\t%s\\n' "$p" "$(stat -c '%F|%u|%g|%a|%i' "$p")" "$(readlink "$p")"
    else printf '%s\\tabsent\\n' "$p"; fi
  done; echo; ls -A /srv/opaque /srv/reborn-dir`
  const r = await ok(t, env, ['run', '--rm', ...asRoot, layers, 'sh', '-c', script, 'sh', ...paths])
  const cut = r.stdout.indexOf('\n\n')
  const [listing, dirs] = [r.stdout.slice(0, cut), r.stdout.slice(cut + 2)]
  const seen = new Map(listing.trim().split('\n').map(l => [l.split('\t')[0]!, l.split('\t').slice(1)]))
  const types: Record<string, string> = { file: 'regular file', dir: 'directory', symlink: 'symbolic link', fifo: 'fifo' }
  for (const e of LAYERS_FACTS.entries) {
    const [st, target] = seen.get(e.path) ?? []
    t.not(st, 'absent', `${e.path} is there`)
    if (!st || st === 'absent') continue
    const [type, uid, gid, mode] = st.split('|')
    t.equal(type?.replace('regular empty file', 'regular file'), types[e.type], `${e.path}: ${e.type}`)
    if (e.type === 'symlink') {
      t.equal(target, e.target, `${e.path} → ${e.target}`)
      continue
    }
    if (e.uid !== undefined) t.equal(Number(uid), e.uid, `${e.path}: owner ${e.uid}`)
    if (e.gid !== undefined) t.equal(Number(gid), e.gid, `${e.path}: group ${e.gid}`)
    if (e.mode !== undefined) t.equal(parseInt(mode!, 8), e.mode & 0o7777, `${e.path}: mode ${(e.mode & 0o7777).toString(8)} (setuid, setgid, sticky bits kept)`)
  }
  for (const p of LAYERS_FACTS.absent) t.same(seen.get(p), ['absent'], `${p} is gone (whiteout or opaque directory)`)
  const inode = (p: string) => seen.get(p)?.[0]?.split('|')[4]
  t.equal(inode('/srv/hardlink-b'), inode('/srv/hardlink-a'), 'the hard links share an inode')
  t.not(inode('/srv/hardlink-a'), undefined)
  t.equal(dirs, '/srv/opaque:\nnew-file\n\n/srv/reborn-dir:\nnew\n', 'the opaque directory and the re-created one show only the new content')
  t.equal(await sh(t, env, layers, 'cat /srv/hardlink-b /srv/replaced /home/app/owned-by-app', asRoot), 'linked content\nv2\nowned by app\n', 'contents from the right layers')
})

t.test("the image config applies: ENTRYPOINT + CMD, USER, WORKDIR, ENV", async t => {
  const def = await ok(t, env, ['run', '--rm', layers])
  t.equal(def.stdout, LAYERS_FACTS.defaultOutput, 'ENTRYPOINT and CMD')
  t.equal((await ok(t, env, ['run', '--rm', layers, 'given', 'args'])).stdout, 'entrypoint given args\n', 'arguments replace CMD, not ENTRYPOINT')
  const out = await sh(t, env, layers, 'id -u; id -g; id -un; pwd; echo "$FIXTURE|$GREETING|${EMPTY-unset}|$HOME"; env | grep -c "^EMPTY=$"', ['--entrypoint', ''])
  t.equal(out, '1000\n1000\napp\n/app\nlayers|hello world||/home/app\n1\n', 'USER app, WORKDIR /app, ENV (EMPTY= set and empty), HOME from /etc/passwd')
})

t.test("stop sends the image's STOPSIGNAL (SIGUSR1)", async t => {
  await runDetached(t, env, ['--name', 'stopsig', '--entrypoint', '', layers, 'sh', '-c', 'trap "echo got-usr1; exit 7" USR1; trap "echo got-term; exit 8" TERM; echo ready; while true; do sleep 0.05; done'])
  await waitFor('the traps', async () => (await tspod(env, ['logs', 'stopsig'])).stdout === 'ready\n')
  await ok(t, env, ['stop', '-t', '20', 'stopsig'])
  t.equal((await ok(t, env, ['logs', 'stopsig'])).stdout, 'ready\ngot-usr1\n')
  t.equal((await inspect(t, env, 'stopsig')).State.ExitCode, 7)
  await ok(t, env, ['rm', 'stopsig'])
})

t.test('flags override the config: -u, -w, -e, --env-file, --entrypoint', async t => {
  const envFile = join(env.tmpDir, 'vars.env')
  writeFileSync(envFile, '# a comment\nFROM_FILE=yes\nGREETING=from the file\n\nFIXTURE=file\n')
  const out = await sh(
    t, env, layers,
    'id -u; id -g; pwd; ls -ld . | cut -c1-10; echo "$FIXTURE|$GREETING|$FROM_FILE|$EXTRA"',
    ['--entrypoint', '', '-u', 'nobody', '-w', '/made/by/workdir', '--env-file', envFile, '-e', 'FIXTURE=flag', '-e', 'EXTRA=x y'],
  )
  t.equal(out, '65534\n65534\n/made/by/workdir\ndrwxr-xr-x\nflag|from the file|yes|x y\n', '-u by name, -w created, -e over --env-file over the image ENV')
  t.equal(await sh(t, env, layers, 'id -u; id -g; id -G', ['--entrypoint', '', '-u', '1000:65534']), '1000\n65534\n65534\n', '-u uid:gid')
  t.equal(await sh(t, env, layers, 'id -u; pwd', ['--entrypoint', '', '-u', '0', '-w', '/srv']), '0\n/srv\n', '-u 0, -w an existing directory')
  t.equal((await ok(t, env, ['run', '--rm', '--entrypoint', '/bin/echo', layers, 'new', 'cmd'])).stdout, 'new cmd\n', '--entrypoint PATH: CMD is reset, the arguments follow it')
  t.equal((await ok(t, env, ['run', '--rm', '--entrypoint', '["/bin/echo","json form"]', layers])).stdout, 'json form\n', '--entrypoint as a JSON array')
  t.equal((await ok(t, env, ['run', '--rm', '--entrypoint', '', layers, '/bin/echo', 'no entrypoint'])).stdout, 'no entrypoint\n', "--entrypoint '' removes it")

  const id = await runDetached(t, env, ['--name', 'configured', '-e', 'ADDED=1', layers])
  await ok(t, env, ['wait', id])
  const c = await inspect(t, env, 'configured')
  t.equal(c.Config.User, 'app', 'inspect: Config.User from the image')
  t.equal(c.Config.WorkingDir, '/app', 'inspect: Config.WorkingDir')
  t.same(c.Config.Cmd, ['from-cmd'], 'inspect: Config.Cmd')
  t.ok(c.Config.Env.includes('ADDED=1') && c.Config.Env.includes('FIXTURE=layers'), 'inspect: Config.Env has the image ENV and -e')
  t.equal(c.Config.Labels?.['org.tspod.fixture'], 'layers', 'inspect: the image labels')
  await ok(t, env, ['rm', id])

  const bad = await tspod(env, ['run', '--rm', '--env-file', join(env.tmpDir, 'missing.env'), layers])
  assertOneLineError(t, bad, /missing\.env: no such file or directory/, 'a missing --env-file')
})
