/**
 * unpackLayer run for real: as root of a user namespace with the subordinate
 * id map (ids 1000 and 65534 land on host ids START+999 and START+65533),
 * checked from outside, on the host's view of the files.
 */
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync, type Stats } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { lgetxattr, llistxattr } from '../../../native-bindings/fs.js'
import type { Digest } from '../digest.js'
import type { UnpackResult } from './unpack.js'
import { gnuLongName, paxHeader, rawEntry, sha256Of, tarOf, type TarEntry } from './test-support/archive.js'
import { runJobs, scratchDir, valueOf, type Job, type JobResult } from './test-support/jobs.js'
import { subIdRange } from './test-support/userns.js'

const OCI_TAR = 'application/vnd.oci.image.layer.v1.tar'
const OCI_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip'
const DIR_TIME = new Date('2020-01-02T03:04:05Z')
const FILE_TIME = new Date('2021-02-03T04:05:06Z')
const LINK_TIME = new Date('2022-03-04T05:06:07Z')

const me = userInfo()
const subuid = subIdRange('/etc/subuid').start
const subgid = subIdRange('/etc/subgid').start
/** Host uid of namespace uid `id` (0 is the user, 1.. the subordinate range). */
const hostUid = (id: number) => (id === 0 ? me.uid : subuid + id - 1)
const hostGid = (id: number) => (id === 0 ? me.gid : subgid + id - 1)

// security.capability v2, CAP_SETUID|CAP_NET_BIND_SERVICE permitted+effective:
// byte 0x80 is not valid UTF-8 on its own, so a lossy PAX decoder would mangle it.
const CAP_V2 = Buffer.from([0x01, 0x00, 0x00, 0x02, 0x80, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
const BINARY_VALUE = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41])
const BIG = randomBytes(3 * 1024 * 1024 + 17)
const LONG_PAX = `deep/${'p'.repeat(120)}/${'q'.repeat(90)}`
const LONG_GNU = `deep/${'g'.repeat(130)}`

const everyType: Array<TarEntry | { raw: Buffer }> = [
  { name: 'etc/', type: 'directory', mtime: DIR_TIME },
  { name: 'etc/hello', data: 'hello\n', uid: 1000, gid: 1000, mtime: FILE_TIME },
  { name: 'etc/link', type: 'symlink', linkname: 'hello', uid: 1000, gid: 1000, mtime: LINK_TIME },
  { name: 'etc/hello-again', type: 'link', linkname: 'etc/hello' },
  { name: 'usr/bin/su', data: '#!su', mode: 0o4755 }, // implied parents
  { name: 'usr/bin/newgrp', data: '#!newgrp', mode: 0o6755, uid: 1000, gid: 65534 },
  { name: 'tmp/', type: 'directory', mode: 0o1777, mtime: DIR_TIME },
  { name: 'var/mail/', type: 'directory', mode: 0o2775, gid: 1000, mtime: DIR_TIME },
  { name: 'var/mail/inbox', data: 'mail', mode: 0o660, uid: 65534, gid: 1000 },
  { name: 'run/fifo', type: 'fifo', mode: 0o640, uid: 65534, gid: 65534, mtime: FILE_TIME },
  { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
  { name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0, mode: 0o660 },
  { name: 'etc/gone', type: 'character-device', devmajor: 0, devminor: 0, mode: 0 },
  paxHeader([
    ['SCHILY.xattr.user.binary', BINARY_VALUE],
    ['SCHILY.xattr.security.capability', CAP_V2],
    ['SCHILY.xattr.trusted.secret', 'x'],
    ['SCHILY.xattr.user.overlay.opaque', 'y'],
  ]),
  { name: 'usr/bin/ping', data: 'ping', mode: 0o755 },
  paxHeader([['mtime', '1700000000.5'], ['uid', '1000'], ['gid', '65534']]),
  { name: 'frac', data: 'fractional', uid: 1, gid: 1 },
  { name: LONG_PAX, data: 'pax long name' },
  gnuLongName(LONG_GNU),
  { name: 'deep/placeholder', data: 'gnu long name' },
  { name: 'big', data: BIG, mode: 0o600 },
  { name: 'stranger', data: 'unmapped', uid: 70000, gid: 70000 },
  { name: 'old/contiguous', type: 'contiguous-file', data: 'contig' },
]

/** Entries that replace one another, as docker applies them. */
const replacing: TarEntry[] = [
  { name: 'a', data: 'file first' },
  { name: 'a/', type: 'directory' }, // dir over file
  { name: 'a/child', data: 'child' },
  { name: 'b/', type: 'directory' },
  { name: 'b/child', data: 'child' },
  { name: 'b', data: 'file over dir' },
  { name: 'c', type: 'symlink', linkname: '/etc' },
  { name: 'c/', type: 'directory', mode: 0o700 }, // dir over symlink: the symlink goes
  { name: 'd/', type: 'directory', mode: 0o700, mtime: DIR_TIME },
  { name: 'd/kept', data: 'kept' },
  { name: 'd/', type: 'directory', mode: 0o750, uid: 1000, mtime: FILE_TIME }, // dir over dir merges, last wins
  { name: 'e', data: 'target' },
  { name: 'f', data: 'to be replaced by a link' },
  { name: 'f', type: 'link', linkname: 'e' },
  { name: 'g', type: 'symlink', linkname: 'e' },
  { name: 'g', type: 'symlink', linkname: 'f' },
]

const work = scratchDir('tspod-unpack-test-')
t.teardown(work.remove)

interface Case {
  blob: Buffer
  tar: Buffer
  mediaType?: string
  expectedDiffId?: Digest
}
const cases: Record<string, Case> = {}
let results: Record<string, JobResult> = {}

t.before(async () => {
  const all = await tarOf(everyType)
  const repl = await tarOf(replacing)
  const gz = gzipSync(all)
  const zstdMagic = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(64)])
  const parentNotDir = await tarOf([{ name: 'a', data: 'x' }, { name: 'a/b', data: 'y' }])
  const sparse = await tarOf([rawEntry('sparse', 'S', Buffer.alloc(0), 'gnu')])
  Object.assign(cases, {
    gzip: { blob: gz, tar: all, mediaType: OCI_GZIP, expectedDiffId: sha256Of(all) },
    plain: { blob: all, tar: all, mediaType: OCI_TAR, expectedDiffId: sha256Of(all) },
    // Some registries serve a plain tar under a gzip media type: the bytes decide.
    plainAsGzip: { blob: all, tar: all, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
    replacing: { blob: gzipSync(repl), tar: repl, mediaType: OCI_GZIP, expectedDiffId: sha256Of(repl) },
    mismatch: { blob: gzipSync(repl), tar: repl, mediaType: OCI_GZIP, expectedDiffId: sha256Of(Buffer.from('other')) },
    truncatedGzip: { blob: gz.subarray(0, Math.floor(gz.length / 2)), tar: all, mediaType: OCI_GZIP },
    truncatedTar: { blob: all.subarray(0, 4096 + 100), tar: all, mediaType: OCI_TAR },
    notATar: { blob: Buffer.from('this is not a tar archive, just some text that is long enough '.repeat(20)), tar: all },
    zstdType: { blob: gz, tar: all, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' },
    zstdBytes: { blob: zstdMagic, tar: all, mediaType: OCI_GZIP },
    unknownType: { blob: gz, tar: all, mediaType: 'application/vnd.example.thing' },
    notEmpty: { blob: gz, tar: all, mediaType: OCI_GZIP },
    parentNotDir: { blob: parentNotDir, tar: parentNotDir },
    sparse: { blob: sparse, tar: sparse },
  } satisfies Record<string, Case>)
  const jobs: Job[] = []
  const names = Object.keys(cases)
  for (const name of names) {
    const c = cases[name]!
    const blob = join(work.path, `${name}.blob`)
    writeFileSync(blob, c.blob)
    if (name === 'notEmpty') {
      mkdirSync(join(work.path, name))
      writeFileSync(join(work.path, name, 'x'), 'x')
    }
    jobs.push({ op: 'unpack', blob, dest: join(work.path, name), mediaType: c.mediaType, expectedDiffId: c.expectedDiffId })
  }
  const out = await runJobs(jobs)
  results = Object.fromEntries(names.map((n, i) => [n, out[i]!]))
})

const layer = (name: string, ...path: string[]) => join(work.path, name, ...path)
const mode = (st: Stats) => st.mode & 0o7777

for (const name of ['gzip', 'plain', 'plainAsGzip']) {
  t.test(`every entry type (${name})`, async t => {
    const result = valueOf<UnpackResult>(results[name])
    const c = cases[name]!
    t.equal(result.diffId, sha256Of(c.tar), 'diff ID is the sha256 of the uncompressed tar')
    t.equal(result.size, c.tar.length, 'size counts the uncompressed bytes')

    const hello = lstatSync(layer(name, 'etc/hello'))
    t.ok(hello.isFile())
    t.equal(readFileSync(layer(name, 'etc/hello'), 'utf8'), 'hello\n')
    t.equal(hello.uid, hostUid(1000), 'uid 1000 -> subordinate START+999')
    t.equal(hello.gid, hostGid(1000))
    t.equal(mode(hello), 0o644)
    t.equal(hello.mtimeMs, FILE_TIME.getTime(), 'file mtime')

    const link = lstatSync(layer(name, 'etc/link'))
    t.ok(link.isSymbolicLink())
    t.equal(readlinkSync(layer(name, 'etc/link')), 'hello')
    t.equal(link.uid, hostUid(1000), 'symlink owner set with lchown')
    t.equal(link.mtimeMs, LINK_TIME.getTime(), 'symlink mtime set with lutimes')

    const again = lstatSync(layer(name, 'etc/hello-again'))
    t.equal(again.ino, hello.ino, 'hard link shares the inode')
    t.equal(again.nlink, 2)

    const su = lstatSync(layer(name, 'usr/bin/su'))
    t.equal(mode(su), 0o4755, 'setuid kept')
    t.equal(su.uid, me.uid, 'namespace root is the user')
    const newgrp = lstatSync(layer(name, 'usr/bin/newgrp'))
    t.equal(mode(newgrp), 0o6755, 'setuid+setgid survive the chown')
    t.equal(newgrp.uid, hostUid(1000))
    t.equal(newgrp.gid, hostGid(65534), 'gid 65534 -> START+65533')
    t.equal(hostGid(65534), subgid + 65533)

    t.equal(mode(lstatSync(layer(name, 'tmp'))), 0o1777, 'sticky directory')
    const mail = lstatSync(layer(name, 'var/mail'))
    t.equal(mode(mail), 0o2775, 'setgid directory survives its chown')
    t.equal(mail.gid, hostGid(1000))
    const inbox = lstatSync(layer(name, 'var/mail/inbox'))
    t.equal(inbox.uid, hostUid(65534), 'uid 65534 -> START+65533')
    t.equal(inbox.uid, subuid + 65533)
    t.equal(mode(inbox), 0o660, 'group-writable mode despite the umask')

    for (const dir of ['etc', 'tmp', 'var/mail']) {
      t.equal(lstatSync(layer(name, dir)).mtimeMs, DIR_TIME.getTime(), `${dir}: mtime applied after its children`)
    }
    t.equal(mode(lstatSync(layer(name, 'usr'))), 0o755, 'implied parent directories are 0755')

    const fifo = lstatSync(layer(name, 'run/fifo'))
    t.ok(fifo.isFIFO(), 'fifo is a fifo')
    t.equal(mode(fifo), 0o640)
    t.equal(fifo.uid, hostUid(65534))
    t.equal(fifo.mtimeMs, FILE_TIME.getTime())

    t.notOk(readdirSync(layer(name, 'dev')).includes('null'), 'char device skipped')
    t.notOk(readdirSync(layer(name, 'dev')).includes('sda'), 'block device skipped')
    const deviceWarnings = result.warnings.filter(w => w.includes('device node'))
    t.equal(deviceWarnings.length, 1, 'one warning for the devices')
    t.match(deviceWarnings[0], /"dev\/null".*"dev\/sda"/)
    const gone = lstatSync(layer(name, 'etc/gone'))
    t.ok(gone.isCharacterDevice() && gone.rdev === 0, 'a 0/0 character device (overlay whiteout) is created')

    const ping = layer(name, 'usr/bin/ping')
    t.same(lgetxattr(ping, 'user.binary'), BINARY_VALUE, 'user xattr, binary value byte-exact')
    const cap = lgetxattr(ping, 'security.capability')
    t.ok(cap, 'security.capability set')
    // Set by a namespace root, the kernel stores it as v3 with that root's host uid.
    t.equal(cap!.readUInt32LE(0), 0x03000001, 'v3 capability, effective')
    t.same(cap!.subarray(4, 8), CAP_V2.subarray(4, 8), 'permitted set byte-exact (includes 0x80)')
    t.equal(cap!.readUInt32LE(20), me.uid, 'rootid is the namespace root')
    t.notOk(llistxattr(ping).includes('user.overlay.opaque'), "the layer's own overlay xattr is not applied")
    t.notOk(llistxattr(ping).includes('trusted.secret'))
    t.ok(result.warnings.some(w => /trusted\.secret on "usr\/bin\/ping"/.test(w)), 'refused xattr warned')
    t.ok(result.warnings.some(w => /user\.overlay\.opaque on "usr\/bin\/ping"/.test(w)), 'overlay xattr warned')

    const frac = lstatSync(layer(name, 'frac'))
    t.equal(frac.mtimeMs, 1700000000500, 'PAX mtime with sub-second precision')
    t.equal(frac.uid, hostUid(1000), 'PAX uid wins over the header')
    t.equal(frac.gid, hostGid(65534))

    t.equal(readFileSync(layer(name, LONG_PAX), 'utf8'), 'pax long name', 'PAX long name')
    t.equal(readFileSync(layer(name, LONG_GNU), 'utf8'), 'gnu long name', 'GNU long name')
    t.notOk(readdirSync(layer(name, 'deep')).includes('placeholder'))
    t.ok(readFileSync(layer(name, 'big')).equals(BIG), 'multi-MiB file intact')
    t.equal(readFileSync(layer(name, 'old/contiguous'), 'utf8'), 'contig')

    const stranger = lstatSync(layer(name, 'stranger'))
    t.equal(stranger.uid, me.uid, 'owner outside the map: kept as root')
    t.ok(result.warnings.some(w => w.includes('"stranger" (70000:70000)')), 'and warned')
  })
}

t.test('entries replace one another as docker applies them', async t => {
  valueOf<UnpackResult>(results.replacing)
  const at = (p: string) => layer('replacing', p)
  t.ok(lstatSync(at('a')).isDirectory(), 'dir over file')
  t.equal(readFileSync(at('a/child'), 'utf8'), 'child')
  t.ok(lstatSync(at('b')).isFile(), 'file over dir')
  t.equal(readFileSync(at('b'), 'utf8'), 'file over dir')
  const c = lstatSync(at('c'))
  t.ok(c.isDirectory(), 'dir over symlink replaces the symlink')
  t.equal(mode(c), 0o700)
  const d = lstatSync(at('d'))
  t.equal(readFileSync(at('d/kept'), 'utf8'), 'kept', 'dir over dir merges')
  t.equal(mode(d), 0o750, 'the later header wins')
  t.equal(d.uid, hostUid(1000))
  t.equal(d.mtimeMs, FILE_TIME.getTime())
  t.equal(lstatSync(at('f')).ino, lstatSync(at('e')).ino, 'hard link over file')
  t.equal(readlinkSync(at('g')), 'f', 'symlink over symlink')
})

t.test('errors', async t => {
  const fail = (name: string) => {
    const r = results[name]!
    if (r.ok) throw new Error(`${name}: expected a failure`)
    return r
  }
  t.match(fail('mismatch'), { code: 'data-loss', message: /diff ID mismatch: expected sha256:[0-9a-f]{64}, got sha256:/ })
  t.match(fail('truncatedGzip'), { code: 'data-loss', message: /truncated or corrupt: unexpected end of file/ })
  t.match(fail('truncatedTar'), { code: 'data-loss', message: /truncated or corrupt/ })
  t.match(fail('notATar'), { code: 'data-loss', message: /truncated or corrupt: Invalid tar header/ })
  t.match(fail('zstdType'), { code: 'unsupported', message: /"application\/vnd\.oci\.image\.layer\.v1\.tar\+zstd"/ })
  t.match(fail('zstdBytes'), { code: 'unsupported', message: /zstd-compressed/ })
  t.match(fail('unknownType'), { code: 'unsupported', message: /"application\/vnd\.example\.thing"/ })
  t.match(fail('notEmpty'), { code: 'failed-precondition', message: /not empty/ })
  t.notOk(existsSync(layer('zstdType')), 'a refused media type writes nothing')
  t.match(fail('parentNotDir'), { code: 'data-loss', message: 'malformed layer: entry "a/b": "a" is not a directory' })
  t.match(fail('sparse'), { code: 'unsupported', message: /entry "sparse" has a tar entry type tspod does not support/ })
})
