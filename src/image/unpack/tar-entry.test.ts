import t from 'tap'
import { createLayerExtract, decodePaxRecords, toLayerEntry } from './tar-entry.js'
import { paxRecords } from './test-support/archive.js'

t.test('PAX records keep xattr values byte-exact', async t => {
  const binary = Buffer.from([0x00, 0x80, 0xff, 0x0a, 0x3d])
  const records = decodePaxRecords(
    paxRecords([['path', 'dir/naïve'], ['SCHILY.xattr.user.bin', binary], ['mtime', '1.5']]),
  )
  t.equal(records.path, 'dir/naïve', 'UTF-8 text values')
  t.same(records['SCHILY.xattr.user.bin'], binary, 'binary, with a newline and = inside')
  t.equal(records.mtime, '1.5')
})

t.test('malformed PAX records are errors', async t => {
  t.throws(() => decodePaxRecords(Buffer.from('99 path=x\n')), /malformed PAX/, 'length past the end')
  t.throws(() => decodePaxRecords(Buffer.from('9 pathx\n')), /malformed PAX/, 'no =')
  t.throws(() => decodePaxRecords(Buffer.from('x path=y\n')), /malformed PAX/, 'no length')
  t.same(decodePaxRecords(Buffer.from('9 path=x\n\0\0\0')), { path: 'x' }, 'NUL padding after the records')
})

t.test('the extractor can be built (tar-stream internals still as expected)', async t => {
  t.ok(createLayerExtract())
})

t.test('headers become layer entries', async t => {
  const base = {
    name: 'bin/ping', size: 4, mode: 0o104755, mtime: new Date(1000_000), linkname: '', uid: 5, gid: 6,
    uname: '', gname: '', devmajor: 0, devminor: 0,
  }
  const entry = toLayerEntry({ ...base, type: 'file', pax: { 'SCHILY.xattr.user.a': Buffer.from('v'), gid: '7' } })
  t.equal(entry.mode, 0o4755, 'file-type bits dropped, setuid kept')
  t.equal(entry.uid, 5)
  t.equal(entry.gid, 7, 'PAX gid wins')
  t.equal(entry.mtime, 1000)
  t.same([...entry.xattrs], [['user.a', Buffer.from('v')]])
  t.equal(toLayerEntry({ ...base, type: 'contiguous-file' }).type, 'file')
  t.throws(() => toLayerEntry({ ...base, type: null as unknown as 'file' }), { code: 'unsupported', message: /"bin\/ping"/ })
})
