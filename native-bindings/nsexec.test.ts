// tspod-nsexec: entering the shared user+mount namespace held by the pause process.
// Run as an unprivileged user with a subordinate id range (e.g. dev:100000:65536).
import t from 'tap'
import { execa } from 'execa'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatIdMap, loadIdMaps, toHostId, type UserIdMaps } from '../src/rootless/idmap.js'
import { killPause, nsexecArgv, pauseProcessesOf, tempNamespace } from '../src/rootless/testing.js'
import { readPauseProcess } from '../src/rootless/userns.js'

const uid = process.getuid!()
const gid = process.getgid!()

async function inside(enter: string[], script: string, opts: { cwd?: string } = {}) {
  return execa(enter[0]!, [...enter.slice(1), 'sh', '-c', script], { reject: false, ...opts })
}

function mapLines(text: string): string {
  return text
    .trim()
    .split('\n')
    .map(l => l.trim().split(/\s+/).join(' '))
    .join(',')
}

t.test('the environment can run these tests', async t => {
  t.not(uid, 0, 'tests run as an unprivileged user')
  for (const tool of ['newuidmap', 'newgidmap']) {
    const r = await execa('sh', ['-c', `command -v ${tool}`], { reject: false })
    t.equal(r.exitCode, 0, `${tool} (Debian package uidmap) is installed`)
  }
  const maps = await loadIdMaps()
  t.ok(maps.uidMap.length > 1 && maps.gidMap.length > 1, 'the user has subordinate ranges in /etc/subuid and /etc/subgid')
})

t.test('inside, the user is uid 0 with the subordinate ranges mapped', async t => {
  const ns = await tempNamespace(t)
  const r = await inside(ns.enter, 'id -u; id -g; cat /proc/self/uid_map; echo --; cat /proc/self/gid_map')
  t.equal(r.exitCode, 0, r.stderr)
  const [ids, uidMap, gidMap] = [r.stdout.split('\n').slice(0, 2), ...r.stdout.split('\n').slice(2).join('\n').split('--')]
  t.same(ids, ['0', '0'])
  t.equal(mapLines(uidMap!), formatIdMap(ns.maps.uidMap), 'uid_map is 0 -> uid, then the subuid ranges')
  t.equal(mapLines(gidMap!), formatIdMap(ns.maps.gidMap))
  t.equal(ns.maps.uidMap[1]!.containerId, 1)
})

t.test('a file chowned inside is owned by the subordinate id on the host', async t => {
  const ns = await tempNamespace(t)
  const file = join(ns.dataDir, 'owned')
  const r = await inside(ns.enter, `touch ${file} && chown 1000:1000 ${file}`)
  t.equal(r.exitCode, 0, r.stderr)
  const st = statSync(file)
  t.equal(st.uid, toHostId(ns.maps.uidMap, 1000))
  t.equal(st.gid, toHostId(ns.maps.gidMap, 1000))
  t.equal(st.uid, ns.maps.uidMap[1]!.hostId + 999, 'container 1000 is subordinate start + 999 (100999 for dev)')
})

t.test('invocations share one namespace and one pause process', async t => {
  const ns = await tempNamespace(t)
  const probe = 'readlink /proc/self/ns/user /proc/self/ns/mnt; cat /proc/self/uid_map'
  const a = await inside(ns.enter, probe)
  const pause = readPauseProcess(ns.pauseDir)
  const b = await inside(ns.enter, probe)
  t.equal(a.exitCode, 0, a.stderr)
  t.match(a.stdout, /^user:\[\d+\]\nmnt:\[\d+\]\n/)
  t.equal(b.stdout, a.stdout, 'same user and mount namespace, same map')
  t.ok(pause, 'pause.pid names a running pause process')
  t.equal(readPauseProcess(ns.pauseDir)?.pid, pause?.pid, 'the pause process was reused')
  t.same(pauseProcessesOf(ns.pauseDir), [pause!.pid])
  t.equal(readFileSync(join(ns.pauseDir, 'pause.map'), 'utf8'), `uid:${formatIdMap(ns.maps.uidMap)}\ngid:${formatIdMap(ns.maps.gidMap)}\n`)
})

t.test('a mount made in one invocation is visible in the next, not on the host', async t => {
  const ns = await tempNamespace(t)
  const mnt = join(ns.dataDir, 'mnt')
  const a = await inside(ns.enter, `mkdir ${mnt} && mount -t tmpfs tmpfs ${mnt} && echo shared > ${mnt}/file`)
  t.equal(a.exitCode, 0, a.stderr)
  const b = await inside(ns.enter, `cat ${mnt}/file && umount ${mnt}`)
  t.equal(b.exitCode, 0, b.stderr)
  t.equal(b.stdout, 'shared')
  t.notOk(existsSync(join(mnt, 'file')), 'the host does not see the mount')
})

t.test('the pause process is detached and recognisable', async t => {
  const ns = await tempNamespace(t)
  const r = await inside(ns.enter, 'true')
  t.equal(r.exitCode, 0, r.stderr)
  const pid = readPauseProcess(ns.pauseDir)!.pid
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  t.equal(Number(fields[3]), pid, 'it leads its own session')
  t.equal(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, ''), 'tspod-pause')
  const cwd = (await execa('readlink', [`/proc/${pid}/cwd`])).stdout
  t.equal(cwd, '/', 'it does not keep the caller directory busy')
})

t.test('the working directory is kept', async t => {
  const ns = await tempNamespace(t)
  const r = await inside(ns.enter, 'pwd', { cwd: ns.dataDir })
  t.equal(r.stdout, ns.dataDir)
})

t.test('a dead pause process (stale pid file) is replaced on the next call', async t => {
  const ns = await tempNamespace(t)
  const first = await inside(ns.enter, 'readlink /proc/self/ns/user')
  const old = await killPause(ns.pauseDir)
  t.ok(old, 'there was a pause process')
  // Also point pause.pid at a live process that is not a pause process (pid reuse).
  writeFileSync(join(ns.pauseDir, 'pause.pid'), `${process.pid}\n`)
  const second = await inside(ns.enter, 'readlink /proc/self/ns/user; id -u')
  t.equal(second.exitCode, 0, second.stderr)
  t.not(second.stdout.split('\n')[0], first.stdout, 'a new namespace')
  t.equal(second.stdout.split('\n')[1], '0')
  const now = readPauseProcess(ns.pauseDir)
  t.ok(now && now.pid !== old && now.pid !== process.pid, 'pause.pid names the new pause process')
})

t.test('a pid file left from before a reboot (no such process) is ignored', async t => {
  const ns = await tempNamespace(t)
  await execa('mkdir', ['-p', ns.pauseDir])
  writeFileSync(join(ns.pauseDir, 'pause.pid'), '4194300\n')
  writeFileSync(join(ns.pauseDir, 'pause.alive'), '')
  const r = await inside(ns.enter, 'id -u')
  t.equal(r.stdout, '0', r.stderr)
})

t.test('concurrent first calls create one pause process', async t => {
  const ns = await tempNamespace(t)
  const runs = await Promise.all(Array.from({ length: 6 }, () => inside(ns.enter, 'readlink /proc/self/ns/user')))
  for (const r of runs) t.equal(r.exitCode, 0, r.stderr)
  t.equal(new Set(runs.map(r => r.stdout)).size, 1, 'all joined the same namespace')
  t.equal(pauseProcessesOf(ns.pauseDir).length, 1, 'one pause process')
})

t.test('--no-create fails when no pause process runs', async t => {
  const ns = await tempNamespace(t)
  const enter = nsexecArgv(ns.pauseDir, ns.maps, ['--no-create'])
  const r = await execa(enter[0]!, [...enter.slice(1), 'true'], { reject: false })
  t.equal(r.exitCode, 125)
  t.match(r.stderr, /^tspod-nsexec: no pause process running in /)
  t.same(pauseProcessesOf(ns.pauseDir), [])
  await inside(ns.enter, 'true')
  const again = await execa(enter[0]!, [...enter.slice(1), 'id', '-u'], { reject: false })
  t.equal(again.stdout, '0', 'joins once one exists')
})

t.test('a map with only the own id is written without newuidmap', async t => {
  const own: UserIdMaps = {
    uidMap: [{ containerId: 0, hostId: uid, size: 1 }],
    gidMap: [{ containerId: 0, hostId: gid, size: 1 }],
  }
  const ns = await tempNamespace(t, own)
  // A PATH without newuidmap proves it is not used.
  const r = await execa(ns.enter[0]!, [...ns.enter.slice(1), '/bin/sh', '-c', 'PATH=/usr/bin:/bin; id -u; cat /proc/self/uid_map /proc/self/setgroups'], {
    reject: false,
    env: { PATH: '/nonexistent' },
  })
  t.equal(r.exitCode, 0, r.stderr)
  t.equal(r.stdout.split('\n')[0], '0')
  t.equal(mapLines(r.stdout.split('\n')[1]!), `0 ${uid} 1`)
  t.equal(r.stdout.split('\n')[2], 'deny')
})

t.test('a newuidmap failure is reported with its message', async t => {
  const maps = await loadIdMaps()
  const last = maps.uidMap[maps.uidMap.length - 1]!
  // A range the user does not own: newuidmap refuses it.
  const foreign: UserIdMaps = {
    uidMap: [{ containerId: 0, hostId: uid, size: 1 }, { containerId: 1, hostId: last.hostId + last.size + 1_000_000, size: 1000 }],
    gidMap: maps.gidMap,
  }
  const ns = await tempNamespace(t, foreign)
  const r = await inside(ns.enter, 'true')
  t.equal(r.exitCode, 125)
  t.equal(r.stderr.split('\n').length, 1, 'one line')
  t.match(r.stderr, /^tspod-nsexec: newuidmap \d+ 0 \d+ 1,1 \d+ 1000 failed \(exit status 1\): newuidmap: .*not allowed/)
  t.same(pauseProcessesOf(ns.pauseDir), [], 'no half-made pause process stays behind')
})

t.test('exec failures use 127 (not found) and 126 (cannot execute)', async t => {
  const ns = await tempNamespace(t)
  const missing = await execa(ns.enter[0]!, [...ns.enter.slice(1), 'no-such-command-tspod'], { reject: false })
  t.equal(missing.exitCode, 127)
  t.match(missing.stderr, /^tspod-nsexec: exec no-such-command-tspod: No such file or directory/)
  const dir = await execa(ns.enter[0]!, [...ns.enter.slice(1), '/etc'], { reject: false })
  t.equal(dir.exitCode, 126)
  const code = await inside(ns.enter, 'exit 7')
  t.equal(code.exitCode, 7, 'the command exit status passes through')
})

t.test('bad arguments are one-line errors with status 125', async t => {
  const helper = nsexecArgv('/x', await loadIdMaps())[0]!
  for (const args of [[], ['--pause-dir', '/tmp'], ['--pause-dir', '/tmp', '--uid-map', '0 1', '--', 'true'], ['--bogus', '--', 'true']]) {
    const r = await execa(helper, args, { reject: false })
    t.equal(r.exitCode, 125, args.join(' '))
    t.match(r.stderr, /^tspod-nsexec: [^\n]+\n?$/)
  }
})

t.test('a caller with stdin and stdout closed still gets a working pause process', async t => {
  const ns = await tempNamespace(t)
  const quoted = [...ns.enter, 'sh', '-c', 'id -u >&2'].map(a => `'${a}'`).join(' ')
  const r = await execa('sh', ['-c', `exec <&- >&-; ${quoted}`], { reject: false })
  t.equal(r.exitCode, 0, r.stderr)
  t.equal(r.stderr, '0')
  const again = await inside(ns.enter, 'id -u')
  t.equal(again.stdout, '0', 'the pause process survived and is joinable')
})
