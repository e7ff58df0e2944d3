import t from 'tap'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setLogSink } from '../util/log.js'
import {
  buildIdMap,
  formatIdMap,
  isSingleIdMap,
  loadIdMaps,
  parseProcIdMap,
  parseSubordinateIds,
  toContainerId,
  toHostId,
} from './idmap.js'

const dev = { name: 'dev', id: 1001 }

t.test('parseSubordinateIds: name or uid, several ranges, comments and junk', async t => {
  const text = [
    '# subordinate ids',
    'alice:100000:65536',
    'dev:165536:65536',
    '  dev:300000:1000  ',
    '1001:400000:10',
    'dev:notanumber:5',
    'dev:500000',
    'dev:600000:0',
    'developer:700000:10',
    '',
  ].join('\n')
  t.same(parseSubordinateIds(text, dev), [
    { start: 165536, count: 65536 },
    { start: 300000, count: 1000 },
    { start: 400000, count: 10 },
  ])
  t.same(parseSubordinateIds(text, { name: 'bob', id: 2000 }), [])
})

t.test('buildIdMap: 0 is the user, the ranges follow from 1 in file order', async t => {
  const map = buildIdMap(1001, [
    { start: 100000, count: 65536 },
    { start: 300000, count: 10 },
  ])
  t.same(map, [
    { containerId: 0, hostId: 1001, size: 1 },
    { containerId: 1, hostId: 100000, size: 65536 },
    { containerId: 65537, hostId: 300000, size: 10 },
  ])
  t.equal(formatIdMap(map), '0 1001 1,1 100000 65536,65537 300000 10')
  t.equal(toHostId(map, 0), 1001)
  t.equal(toHostId(map, 1000), 100999)
  t.equal(toHostId(map, 65540), 300003)
  t.equal(toHostId(map, 70000), undefined)
  t.equal(toContainerId(map, 100999), 1000)
  t.equal(toContainerId(map, 5), undefined)
  t.same(buildIdMap(1001, [{ start: 100000, count: 65536 }]), buildIdMap(1001, [{ start: 100000, count: 65536 }]), 'deterministic')
})

t.test('buildIdMap drops ranges the kernel would refuse (overlaps)', async t => {
  const map = buildIdMap(1001, [
    { start: 100000, count: 100 },
    { start: 100050, count: 100 }, // overlaps the first
    { start: 1000, count: 5 }, // contains the user's own id
    { start: 200000, count: 5 },
  ])
  t.same(formatIdMap(map), '0 1001 1,1 100000 100,101 200000 5')
})

t.test('buildIdMap keeps at most 340 lines', async t => {
  const ranges = Array.from({ length: 400 }, (_, i) => ({ start: 100000 + i * 10, count: 10 }))
  t.equal(buildIdMap(1001, ranges).length, 340)
})

t.test('loadIdMaps: the ranges of the current user', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'tspod-idmap-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const subuid = join(dir, 'subuid')
  const subgid = join(dir, 'subgid')
  await writeFile(subuid, 'dev:100000:65536\n')
  await writeFile(subgid, 'dev:200000:65536\n')
  const maps = await loadIdMaps({ uid: 1001, gid: 1002, userName: 'dev', subuidPath: subuid, subgidPath: subgid })
  t.equal(formatIdMap(maps.uidMap), '0 1001 1,1 100000 65536')
  t.equal(formatIdMap(maps.gidMap), '0 1002 1,1 200000 65536')
})

t.test('loadIdMaps without ranges maps only the own id and warns once with the fix', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'tspod-idmap-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const subuid = join(dir, 'subuid')
  const subgid = join(dir, 'subgid')
  await writeFile(subuid, 'someone:100000:65536\n')
  await writeFile(subgid, 'someone:100000:65536\n')
  const lines: string[] = []
  setLogSink(line => lines.push(line))
  t.teardown(() => setLogSink(line => process.stderr.write(line + '\n')))

  const opts = { uid: 1001, gid: 1001, userName: 'dev', subuidPath: subuid, subgidPath: join(dir, 'missing') }
  const maps = await loadIdMaps(opts)
  t.same(maps.uidMap, [{ containerId: 0, hostId: 1001, size: 1 }])
  t.same(maps.gidMap, [{ containerId: 0, hostId: 1001, size: 1 }])
  t.ok(isSingleIdMap(maps.uidMap))
  await loadIdMaps(opts)
  t.equal(lines.length, 1, 'warned once')
  t.match(lines[0], /^WARN\[\d{4}\] no subordinate UID range for "dev" in .*subuid and no subordinate GID range for "dev" in .*missing; /)
  t.match(lines[0], 'files owned by other users in images will be owned by you')
  t.match(lines[0], 'add one with "sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 dev"')
})

t.test('loadIdMaps as uid 0 (real root, or inside the namespace): the process\'s own maps, no warning', async t => {
  const lines: string[] = []
  setLogSink(line => lines.push(line))
  t.teardown(() => setLogSink(line => process.stderr.write(line + '\n')))
  const dir = await mkdtemp(join(tmpdir(), 'tspod-idmap-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'uid_map'), '         0          0 4294967295\n')
  await writeFile(join(dir, 'gid_map'), '         0       1001          1\n         1     100000      65536\n')
  const maps = await loadIdMaps({ uid: 0, gid: 0, uidMapPath: join(dir, 'uid_map'), gidMapPath: join(dir, 'gid_map') })
  t.equal(formatIdMap(maps.uidMap), '0 0 4294967295')
  t.equal(formatIdMap(maps.gidMap), '0 1001 1,1 100000 65536')
  t.same(lines, [])
})

t.test('parseProcIdMap', async t => {
  t.same(parseProcIdMap('         0       1001          1\n         1     100000      65536\n'), [
    { containerId: 0, hostId: 1001, size: 1 },
    { containerId: 1, hostId: 100000, size: 65536 },
  ])
  t.same(parseProcIdMap(''), [])
})
