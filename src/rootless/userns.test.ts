import t from 'tap'
import { execa } from 'execa'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isTspodError } from '../engine/errors.js'
import { setLogSink } from '../util/log.js'
import { nativeHelperPath } from './helpers.js'
import { buildIdMap, formatIdMap, loadIdMaps, type UserIdMaps } from './idmap.js'
import { killPause, nodeWithTs, pauseProcessesOf, tempNamespace } from './testing.js'
import {
  pauseMapText,
  readPauseProcess,
  runInUserNamespace,
  stopPauseProcess,
  unshareEnv,
  userNamespaceArgv,
  warnIfNamespaceStale,
} from './userns.js'

const uid = process.getuid!()
const gid = process.getgid!()

function captureLog(t: { teardown(fn: () => void): void }): string[] {
  const lines: string[] = []
  setLogSink(line => lines.push(line))
  t.teardown(() => setLogSink(line => process.stderr.write(line + '\n')))
  return lines
}

t.test('userNamespaceArgv runs the command through tspod-nsexec', async t => {
  const maps = await loadIdMaps()
  t.same(userNamespaceArgv({ pauseDir: '/run/x', maps }, 'ls', ['-l', '/']), [
    nativeHelperPath('nsexec'),
    '--pause-dir',
    '/run/x',
    '--uid-map',
    formatIdMap(maps.uidMap),
    '--gid-map',
    formatIdMap(maps.gidMap),
    '--',
    'ls',
    '-l',
    '/',
  ])
  t.ok(userNamespaceArgv({ pauseDir: '/run/x', maps }, 'ls', [], { create: false }).includes('--no-create'))
})

t.test('runInUserNamespace captures output as uid 0 inside', async t => {
  const ns = await tempNamespace(t)
  const r = await runInUserNamespace(ns, 'sh', ['-c', 'id -u; cat; echo err >&2; echo "$EXTRA"'], {
    input: 'from stdin\n',
    env: { EXTRA: 'extra env' },
    cwd: ns.dataDir,
  })
  t.same(r, { stdout: '0\nfrom stdin\nextra env\n', stderr: 'err\n', exitCode: 0 })
})

t.test('runInUserNamespace: failures', async t => {
  const ns = await tempNamespace(t)
  await t.rejects(runInUserNamespace(ns, 'sh', ['-c', 'echo broken >&2; exit 3']), {
    code: 'internal',
    message: 'sh failed (exit status 3): broken',
  })
  const r = await runInUserNamespace(ns, 'sh', ['-c', 'exit 3'], { reject: false })
  t.equal(r.exitCode, 3)
  const killed = await runInUserNamespace(ns, 'sh', ['-c', 'kill -TERM $$'], { reject: false })
  t.equal(killed.exitCode, 143, '128 + SIGTERM')
  await t.rejects(runInUserNamespace(ns, 'no-such-command-tspod', []), { code: 'command-not-found' })
  await t.rejects(runInUserNamespace(ns, '/etc', []), { code: 'cannot-execute' })
})

t.test('runInUserNamespace: a namespace that cannot be entered is "unavailable"', async t => {
  const ns = await tempNamespace(t)
  await killPause(ns.pauseDir)
  const err = await runInUserNamespace(ns, 'true', [], { create: false }).catch(e => e)
  t.ok(isTspodError(err, 'unavailable'), String(err))
  t.match(err.message, /^cannot enter the user namespace: no pause process running in /)

  const maps = await loadIdMaps()
  const foreign: UserIdMaps = { uidMap: buildIdMap(uid, [{ start: 4_000_000_000, count: 10 }]), gidMap: maps.gidMap }
  const err2 = await runInUserNamespace({ pauseDir: ns.pauseDir, maps: foreign }, 'true', []).catch(e => e)
  t.ok(isTspodError(err2, 'unavailable'))
  t.match(err2.message, /^cannot enter the user namespace: newuidmap .* failed \(exit status 1\): newuidmap: /)
})

t.test('without subordinate ranges only the own id is mapped, with a warning', async t => {
  const lines = captureLog(t)
  const base = await tempNamespace(t)
  const subuid = join(base.dataDir, 'subuid')
  await writeFile(subuid, 'somebody-else:100000:65536\n')
  const maps = await loadIdMaps({ subuidPath: subuid, subgidPath: subuid, userName: 'dev-without-ranges' })
  t.match(lines.join('\n'), /no subordinate UID range for "dev-without-ranges" in .*sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 dev-without-ranges/)
  const ns = await tempNamespace(t, maps)
  const r = await runInUserNamespace(ns, 'sh', ['-c', 'id -u; cat /proc/self/uid_map /proc/self/gid_map'])
  const [id, ...map] = r.stdout.trim().split('\n')
  t.equal(id, '0')
  t.same(
    map.map(l => l.trim().split(/\s+/).join(' ')),
    [`0 ${uid} 1`, `0 ${gid} 1`],
  )
})

t.test('the pause process: found, compared with today\'s maps, stopped', async t => {
  const lines = captureLog(t)
  const ns = await tempNamespace(t)
  t.equal(readPauseProcess(ns.pauseDir), undefined, 'none yet')
  await runInUserNamespace(ns, 'true', [])
  const pause = readPauseProcess(ns.pauseDir)
  t.ok(pause)
  t.equal(pause!.mapText, pauseMapText(ns.maps))
  t.same(pauseProcessesOf(ns.pauseDir), [pause!.pid])

  t.equal(warnIfNamespaceStale(ns), false, 'same maps')
  const changed = { ...ns, maps: { uidMap: buildIdMap(uid, [{ start: 100000, count: 1000 }]), gidMap: ns.maps.gidMap } }
  t.equal(warnIfNamespaceStale(changed), true, '/etc/subuid changed since the pause process started')
  t.match(lines.join('\n'), 'the current user namespace does not match the configuration in /etc/subuid or /etc/subgid: use "tspod system migrate" to reset the user namespace')

  t.equal(stopPauseProcess(ns.pauseDir), true)
  await killPause(ns.pauseDir) // waits until it is gone
  t.equal(readPauseProcess(ns.pauseDir), undefined)
  t.equal(stopPauseProcess(ns.pauseDir), false)
})

t.test('unshareEnv names the store like podman unshare', async t => {
  t.same(unshareEnv({ graphRoot: '/g', runRoot: '/r' }), {
    CONTAINERS_GRAPHROOT: '/g',
    CONTAINERS_RUNROOT: '/r',
    _CONTAINERS_USERNS_CONFIGURED: 'done',
    _CONTAINERS_ROOTLESS_UID: String(uid),
    _CONTAINERS_ROOTLESS_GID: String(gid),
  })
})

t.test('runUnshare: stdio inherited, exit status passed through, $SHELL by default', async t => {
  const ns = await tempNamespace(t)
  const userns = new URL('./userns.ts', import.meta.url).pathname
  const run = (command: string[] | undefined, env: Record<string, string> = {}, input = '') => {
    const opts = { graphRoot: '/graph', runRoot: ns.pauseDir, command }
    const [node, ...args] = nodeWithTs(
      `const { runUnshare } = await import(${JSON.stringify(userns)});` +
        `process.exitCode = await runUnshare(${JSON.stringify(ns)}, ${JSON.stringify(opts)})`,
    )
    return execa(node!, args, { reject: false, input, env })
  }
  const r = await run(['sh', '-c', 'id -u; echo "$CONTAINERS_GRAPHROOT $CONTAINERS_RUNROOT $_CONTAINERS_USERNS_CONFIGURED"; exit 3'])
  t.equal(r.exitCode, 3, r.stderr)
  t.equal(r.stdout, `0\n/graph ${ns.pauseDir} done`)
  const shell = await run(undefined, { SHELL: '/bin/sh' }, 'id -u\nexit 4\n')
  t.equal(shell.exitCode, 4, shell.stderr)
  t.equal(shell.stdout, '0')
  const missing = await run(['no-such-command-tspod'])
  t.equal(missing.exitCode, 127)
})

t.test('inside the namespace: the maps come from the kernel and nested entry runs commands directly', async t => {
  const ns = await tempNamespace(t)
  const idmap = new URL('./idmap.ts', import.meta.url).pathname
  const userns = new URL('./userns.ts', import.meta.url).pathname
  const argv = [
    ...ns.enter,
    ...nodeWithTs(
      `const { loadIdMaps, formatIdMap } = await import(${JSON.stringify(idmap)});` +
        `const { runInUserNamespace, userNamespaceArgv } = await import(${JSON.stringify(userns)});` +
        `const maps = await loadIdMaps();` +
        `const nested = await runInUserNamespace({ pauseDir: '/nonexistent', maps }, 'readlink', ['/proc/self/ns/user']);` +
        `console.log(JSON.stringify({ uid: formatIdMap(maps.uidMap), argv: userNamespaceArgv({ pauseDir: '/x', maps }, 'ls', []), nested: nested.stdout.trim() }))`,
    ),
  ]
  const r = await execa(argv[0]!, argv.slice(1))
  const out = JSON.parse(r.stdout)
  t.equal(out.uid, formatIdMap(ns.maps.uidMap))
  t.same(out.argv, ['ls'])
  const outer = await execa(ns.enter[0]!, [...ns.enter.slice(1), 'readlink', '/proc/self/ns/user'])
  t.equal(out.nested, outer.stdout, 'the same namespace, not a new one')
})
