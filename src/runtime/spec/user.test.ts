import t from 'tap'
import { setLogSink } from '../../util/log.js'
import { resolveUser, userSpecFor, type ImageFileReader } from './user.js'

const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
app:x:1000:1000:App User:/home/app:/bin/sh
dup:x:1000:2000::/first:/bin/sh
nohome:x:1001:1001::::
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
   
`
const GROUP = `root:x:0:root
daemon:x:1:
wheel:x:10:root,app
app:x:1000:
staff:x:50:app
audio:x:29:nohome,app
huge:x:100000:app
nogroup:x:65534:
`

function reader(files: Record<string, string>): ImageFileReader {
  return async p => (p in files ? Buffer.from(files[p] as string) : undefined)
}
const image = reader({ '/etc/passwd': PASSWD, '/etc/group': GROUP })
const empty = reader({})
const invalid = (message: string | RegExp) => ({ code: 'invalid-argument', message })

t.test('resolution table', async t => {
  const cases: [string, object][] = [
    // no user: root's entry; root is listed in 'root' and 'wheel'
    ['', { uid: 0, gid: 0, additionalGids: [0, 10], home: '/root' }],
    ['root', { uid: 0, gid: 0, additionalGids: [0, 10], home: '/root' }],
    ['0', { uid: 0, gid: 0, additionalGids: [0, 10], home: '/root' }],
    // name: primary gid first, then the groups listing the name (huge is unmapped)
    ['app', { uid: 1000, gid: 1000, additionalGids: [1000, 10, 50, 29], home: '/home/app' }],
    // numeric uid matches the first passwd entry with that uid
    ['1000', { uid: 1000, gid: 1000, additionalGids: [1000, 10, 50, 29], home: '/home/app' }],
    // explicit group: no supplementary groups
    ['app:staff', { uid: 1000, gid: 50, additionalGids: [50], home: '/home/app' }],
    ['app:0', { uid: 1000, gid: 0, additionalGids: [0], home: '/home/app' }],
    ['app:4242', { uid: 1000, gid: 4242, additionalGids: [4242], home: '/home/app' }],
    // numeric ids without entries
    ['4242', { uid: 4242, gid: 0, additionalGids: [0] }],
    ['4242:4343', { uid: 4242, gid: 4343, additionalGids: [4343] }],
    ['4242:app', { uid: 4242, gid: 1000, additionalGids: [1000] }],
    // an empty home field gives no HOME
    ['nohome', { uid: 1001, gid: 1001, additionalGids: [1001, 29] }],
    ['nobody', { uid: 65534, gid: 65534, additionalGids: [65534], home: '/nonexistent' }],
    // runc reads only user and group of "a:b:c"
    ['app:staff:ignored', { uid: 1000, gid: 50, additionalGids: [50], home: '/home/app' }],
    // "app:" names no group: passwd's gid, and (podman) no membership groups
    ['app:', { uid: 1000, gid: 1000, additionalGids: [1000], home: '/home/app' }],
  ]
  const warnings: string[] = []
  setLogSink(l => warnings.push(l))
  for (const [user, want] of cases) {
    t.strictSame(await resolveUser({ user, readFile: image }), want, JSON.stringify(user))
  }
  t.ok(warnings.some(w => w.includes('Additional gid=100000 is not present in the user namespace, skip setting it')))
})

t.test('errors in podman words', async t => {
  await t.rejects(resolveUser({ user: 'nosuch', readFile: image }), invalid('unable to find user nosuch: no matching entries in passwd file'))
  await t.rejects(resolveUser({ user: 'app:nosuch', readFile: image }), invalid('unable to find group nosuch: no matching entries in group file'))
  await t.rejects(resolveUser({ user: '-1', readFile: image }), invalid('uids and gids must be in range 0-2147483647'))
  await t.rejects(resolveUser({ user: '0:2147483648', readFile: image }), invalid('uids and gids must be in range 0-2147483647'))
})

t.test('an image without /etc/passwd and /etc/group', async t => {
  t.strictSame(await resolveUser({ user: '', readFile: empty }), { uid: 0, gid: 0, additionalGids: [] })
  t.strictSame(await resolveUser({ user: '1000:1000', readFile: empty }), { uid: 1000, gid: 1000, additionalGids: [1000] })
  t.strictSame(await resolveUser({ user: '123', readFile: empty }), { uid: 123, gid: 0, additionalGids: [0] })
  await t.rejects(resolveUser({ user: 'app', readFile: empty }), invalid('unable to find user app: no matching entries in passwd file'))
  await t.rejects(resolveUser({ user: '0:wheel', readFile: empty }), invalid('unable to find group wheel: no matching entries in group file'))
})

t.test('only the files needed are read', async t => {
  const read: string[] = []
  const spy: ImageFileReader = async p => {
    read.push(p)
    return image(p)
  }
  await resolveUser({ user: '4242', readFile: spy })
  t.strictSame(read, ['/etc/passwd'], 'numeric uid without entry: no group lookup')
})

t.test('gid ranges of a small namespace', async t => {
  setLogSink(() => {})
  const u = await resolveUser({ user: 'app', readFile: image, gidRanges: [{ containerID: 0, size: 30 }] })
  t.strictSame(u.additionalGids, [1000, 10, 29], 'primary gid kept; unmapped supplementary ones (50) dropped')
})

t.test('userSpecFor', async t => {
  t.equal(userSpecFor(undefined, 'app'), 'app')
  t.equal(userSpecFor('0', 'app'), '0')
  t.equal(userSpecFor(undefined, undefined), '')
})
