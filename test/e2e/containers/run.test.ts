// `tspod run` as the unprivileged user: output and exit codes (the
// container's own, 126, 127), and what the process sees inside — root mapped
// to the user and the subordinate range, its own pid namespace and hostname,
// masked /proc paths, the default capability set — and that each container
// writes to its own layer only.
import t from 'tap'
import { spawn as spawnChild } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { subordinateRanges } from '../../harness/userns.js'
import { assertOneLineError, cliArgv, containerPlaces, existsSync, inspect, ok, runDetached, sh, storeWith, tspod, waitFor, withImages } from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images)
const busybox = images.busybox.reference

/** podman's (and docker's) default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP. */
const DEFAULT_CAPS = 0x800405fbn

t.test('output and exit status', async t => {
  const hi = await tspod(env, ['run', '--rm', busybox, 'echo', 'hi'])
  t.equal(hi.exitCode, 0, hi.stderr)
  t.equal(hi.stdout, 'hi\n')
  t.equal(hi.stderr, '')

  const seven = await tspod(env, ['run', '--rm', busybox, 'sh', '-c', 'echo out; echo err >&2; exit 7'])
  t.equal(seven.exitCode, 7, "the container's own exit status")
  t.equal(seven.stdout, 'out\n', 'stdout to stdout')
  t.equal(seven.stderr, 'err\n', 'stderr to stderr')

  assertOneLineError(t, await tspod(env, ['run', '--rm', busybox, '/no/such']), /\/no\/such.*(no such file|not found)/i, 'a command that does not exist', 127)
  assertOneLineError(t, await tspod(env, ['run', '--rm', busybox, '/etc']), /\/etc.*permission denied/i, 'a directory as the command', 126)
  t.equal((await ok(t, env, ['ps', '-aq'])).stdout, '', '--rm removed every one of them, failed starts included')

  // The record is gone by the time `run --rm` returns (its files may follow): the name is free at once.
  for (const round of [1, 2]) t.equal((await ok(t, env, ['run', '--rm', '--name', 'once', busybox, 'echo', `${round}`])).stdout, `${round}\n`, `--name once, round ${round}`)
  await waitFor('the files of --rm containers to go', () => readdirSync(join(env.root, 'containers')).filter(n => !n.endsWith('.lock')).length === 0)
})

t.test('a lot of output arrives whole, attached and in the log', async t => {
  const expected = Array.from({ length: 200_000 }, (_, i) => `${i + 1}\n`).join('')
  const r = await ok(t, env, ['run', '--name', 'loud', busybox, 'seq', '1', '200000'])
  t.ok(r.stdout === expected, `attached: all ${expected.length} bytes in order (got ${r.stdout.length})`)
  t.equal(r.stderr, '', 'nothing on stderr')
  const logs = await ok(t, env, ['logs', 'loud'])
  t.ok(logs.stdout === expected, `logs: all of it too (got ${logs.stdout.length})`)
  await ok(t, env, ['rm', 'loud'])

  // A reader that stops for a while: tspod waits for it instead of buffering or dropping.
  const [file, ...argv] = cliArgv(env, ['run', '--rm', busybox, 'seq', '1', '200000'])
  const slow = spawnChild(file!, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  slow.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>(resolve => slow.on('close', code => resolve(code)))
  slow.stdout.pause()
  await new Promise(resolve => setTimeout(resolve, 1000))
  slow.stdout.on('data', (d: Buffer) => (out += d.toString()))
  slow.stdout.resume()
  t.equal(await exited, 0)
  t.ok(out === expected, `a reader that paused still gets all of it (got ${out.length})`)
  t.equal(err, '', 'and no warnings on stderr')
})

t.test('uid 0 inside is the user; the subordinate range is mapped', async t => {
  const out = await sh(t, env, busybox, 'id -u; id -g; cat /proc/self/uid_map; echo --; cat /proc/self/gid_map')
  const [ids, gidMap] = out.split('--\n') as [string, string]
  const [uid, gid, ...uidMap] = ids.trim().split('\n')
  t.equal(uid, '0')
  t.equal(gid, '0')
  const rows = (text: string[]) => text.map(l => l.trim().split(/\s+/).map(Number))
  const { uid: myUid, gid: myGid } = userInfo()
  const [subuid] = subordinateRanges('uid')
  const [subgid] = subordinateRanges('gid')
  t.same(rows(uidMap), [[0, myUid, 1], [1, subuid!.start, subuid!.count]], 'uid_map: 0 → the user, 1.. → its subuids')
  t.same(rows(gidMap.trim().split('\n')), [[0, myGid, 1], [1, subgid!.start, subgid!.count]], 'gid_map: 0 → the group, 1.. → its subgids')
})

t.test('PID 1 is the command, in a pid namespace of its own', async t => {
  const r = await ok(t, env, ['run', '--rm', busybox, 'cat', '/proc/1/cmdline'])
  t.equal(r.stdout, 'cat\0/proc/1/cmdline\0', '/proc/1 is the command itself')
  const [self, ...pids] = (await sh(t, env, busybox, 'echo $$; ls -d /proc/[0-9]* | sed "s|/proc/||"')).trim().split('\n').map(Number)
  t.equal(self, 1, 'sh is pid 1')
  t.ok(pids.includes(1) && pids.length <= 5 && pids.every(p => p < 10), `only its own few processes are visible: ${pids.join(' ')}`)
})

t.test("hostname: the ID's first 12 digits, or --hostname", async t => {
  const id = await runDetached(t, env, [busybox, 'hostname'])
  t.equal((await ok(t, env, ['wait', id])).stdout, '0\n')
  t.equal((await ok(t, env, ['logs', id])).stdout, `${id.slice(0, 12)}\n`)
  t.equal((await inspect(t, env, id)).Config.Hostname, id.slice(0, 12))
  await ok(t, env, ['rm', id])
  t.equal(await sh(t, env, busybox, 'hostname; echo $HOSTNAME', ['--hostname', 'box.example']), 'box.example\nbox.example\n')
})

t.test('masked and read-only /proc paths', async t => {
  // /proc/kcore does not exist on every kernel: /proc/keys and /proc/timer_list do
  // (the first is readable by anyone on the host).
  t.ok(readFileSync('/proc/keys').length > 0, '/proc/keys has content on the host')
  const out = await sh(t, env, busybox, [
    'for p in /proc/keys /proc/timer_list /proc/kcore; do [ -e $p ] && echo "$p $(wc -c < $p)"; done',
    'ls -A /proc/acpi /sys/firmware 2>/dev/null | grep -v ":$" | grep -c . || true',
    'echo x > /proc/sysrq-trigger 2>/dev/null && echo sysrq-writable || echo sysrq-refused',
    'touch /proc/sys/kernel/x 2>/dev/null && echo sys-writable || echo sys-refused',
  ].join('; '))
  const lines = out.trim().split('\n')
  t.ok(lines.includes('/proc/keys 0'), `/proc/keys reads empty inside:\n${out}`)
  t.ok(lines.includes('/proc/timer_list 0'), `/proc/timer_list reads empty inside:\n${out}`)
  t.notOk(lines.some(l => /^\/proc\/kcore [1-9]/.test(l)), '/proc/kcore, if the kernel has it, reads empty')
  t.ok(lines.includes('0'), '/proc/acpi and /sys/firmware show nothing')
  t.ok(lines.includes('sysrq-refused'), '/proc/sysrq-trigger is read-only')
  t.ok(lines.includes('sys-refused'), '/proc/sys is read-only')
})

t.test('capabilities: the default set, not full', async t => {
  const out = await sh(t, env, busybox, 'grep -E "^Cap(Eff|Bnd|Prm):" /proc/self/status')
  const caps = Object.fromEntries(out.trim().split('\n').map(l => l.split(/:\s+/)).map(([k, v]) => [k, BigInt(`0x${v}`)]))
  t.equal(caps.CapEff, DEFAULT_CAPS, `CapEff is ${DEFAULT_CAPS.toString(16)}`)
  t.equal(caps.CapBnd, DEFAULT_CAPS, 'and so is the bounding set')
  t.equal(caps.CapPrm, DEFAULT_CAPS)
})

t.test('a container writes to its own upper layer only', async t => {
  const writer = await runDetached(t, env, ['--name', 'writer', busybox, 'sh', '-c', 'echo mine > /written; echo mine > /tmp/also; sleep 600'])
  const places = containerPlaces(env, writer)
  await waitFor('the writer wrote', () => existsSync(join(places.upper, 'written')))
  t.equal(readFileSync(join(places.upper, 'written'), 'utf8'), 'mine\n', "the file is in the writer's upper dir")
  t.equal(await sh(t, env, busybox, 'ls /written /tmp/also 2>&1 | grep -c "No such file"; cat /written 2>/dev/null || true'), '2\n', 'another container does not see it')
  t.equal((await ok(t, env, ['exec', 'writer', 'cat', '/written'])).stdout, 'mine\n', 'the writer still does')
  const image = JSON.parse((await ok(t, env, ['image', 'inspect', busybox])).stdout)[0] as { GraphDriver: { Data: { UpperDir: string; LowerDir?: string } } }
  const layerDirs = [image.GraphDriver.Data.UpperDir, ...(image.GraphDriver.Data.LowerDir?.split(':') ?? [])]
  t.ok(layerDirs.length > 0 && layerDirs.every(d => existsSync(join(d, 'bin'))), 'the image layer directories are found')
  t.notOk(layerDirs.some(d => existsSync(join(d, 'written'))), 'the image layers do not have it')
  await ok(t, env, ['rm', '-f', '-t', '0', 'writer'])
  t.equal(await sh(t, env, busybox, 'test -e /written && echo present || echo absent'), 'absent\n', 'nor does a new container after the writer is gone')
})
