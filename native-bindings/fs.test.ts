import t from 'tap'
import { lstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lchmod, lgetxattr, llistxattr, lsetxattr, makedev, mknod, S_IFIFO } from './fs.js'

const dir = mkdtempSync(join(tmpdir(), 'tspod-fs-test-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

t.test('extended attributes', async t => {
  const file = join(dir, 'x')
  writeFileSync(file, '')
  const value = Buffer.from([0, 1, 0xff, 0x80])
  lsetxattr(file, 'user.tspod', value)
  t.same(lgetxattr(file, 'user.tspod'), value, 'binary value round-trips')
  t.equal(lgetxattr(file, 'user.absent'), undefined, 'absent attribute')
  t.ok(llistxattr(file).includes('user.tspod'))
  lsetxattr(file, 'user.empty', Buffer.alloc(0))
  t.same(lgetxattr(file, 'user.empty'), Buffer.alloc(0), 'empty value')
  t.throws(() => lsetxattr(join(dir, 'missing'), 'user.a', value), { code: 'ENOENT', syscall: 'lsetxattr' })
  const link = join(dir, 'link')
  symlinkSync(file, link)
  t.throws(() => lsetxattr(link, 'user.a', value), { code: 'EPERM' }, 'user xattrs are not allowed on the symlink itself')
  t.same(llistxattr(link), [], 'the symlink, not its target')
})

t.test('mknod makes a fifo', async t => {
  const fifo = join(dir, 'fifo')
  mknod(fifo, S_IFIFO | 0o600)
  t.ok(lstatSync(fifo).isFIFO())
  t.throws(() => mknod(fifo, S_IFIFO | 0o600), { code: 'EEXIST', syscall: 'mknod' })
})

t.test('lchmod changes a file and refuses a symlink', async t => {
  const file = join(dir, 'mode')
  writeFileSync(file, '')
  lchmod(file, 0o4711)
  t.equal(lstatSync(file).mode & 0o7777, 0o4711)
  const link = join(dir, 'mode-link')
  symlinkSync(file, link)
  t.throws(() => lchmod(link, 0o600), { code: 'ENOTSUP' }, 'EOPNOTSUPP (Node names errno 95 ENOTSUP)')
  t.equal(lstatSync(file).mode & 0o7777, 0o4711, 'target unchanged')
})

t.test('makedev matches glibc', async t => {
  t.equal(makedev(0, 0), 0)
  t.equal(makedev(1, 3), 0x103)
  t.equal(makedev(8, 1), 0x801)
  t.equal(makedev(0x1234, 0x56789), 0x1000_5672_3489, 'wide numbers')
})
