/**
 * Whiteouts and opaque directories, checked the only way that counts: two
 * layers unpacked independently, then a real rootless overlay mount
 * (`-o userxattr`) over them inside a user+mount namespace, and its merged view.
 */
import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { tarOf, type TarEntry } from './test-support/archive.js'
import { runJobs, scratchDir, valueOf, type TreeListing } from './test-support/jobs.js'
import type { UnpackResult } from './unpack.js'

const lower: TarEntry[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/keep', data: 'keep' },
  { name: 'etc/deleted', data: 'deleted by the upper layer' },
  { name: 'etc/deleted-dir/inner', data: 'deleted with its directory' },
  { name: 'etc/tar-whiteout', data: 'hidden by a 0/0 device in the upper tar' },
  { name: 'opaque/old', data: 'old' },
  { name: 'opaque/sub/older', data: 'older' },
  { name: 'merged/a', data: 'a' },
  { name: 'recreated/old', data: 'old' },
  { name: 'same-layer/old', data: 'old' },
]

const upper: TarEntry[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/.wh.deleted', data: '' },
  { name: 'etc/.wh.deleted-dir', data: '' },
  { name: 'etc/.wh..wh.plnk', data: '' }, // aufs bookkeeping: ignored
  { name: 'etc/tar-whiteout', type: 'character-device', devmajor: 0, devminor: 0 },
  { name: 'opaque/', type: 'directory' },
  { name: 'opaque/.wh..wh..opq', data: '' },
  { name: 'opaque/new', data: 'new' },
  { name: 'merged/b', data: 'b' },
  // Deleted, then made again in the same layer: the lower content stays gone.
  { name: '.wh.recreated', data: '' },
  { name: 'recreated/', type: 'directory' },
  { name: 'recreated/new', data: 'new' },
  // Written, then whited out in the same layer: a whiteout only hides lower layers.
  { name: 'same-layer/', type: 'directory' },
  { name: 'same-layer/new', data: 'new' },
  { name: '.wh.same-layer', data: '' },
  { name: '.wh.never-existed', data: '' },
]

const work = scratchDir('tspod-unpack-overlay-')
t.teardown(work.remove)

t.test('merged view of two unpacked layers', async t => {
  const W = work.path
  writeFileSync(join(W, 'lower.tgz'), gzipSync(await tarOf(lower)))
  writeFileSync(join(W, 'upper.tgz'), gzipSync(await tarOf(upper)))
  mkdirSync(join(W, 'merged'))
  const [l, u, view] = await runJobs([
    { op: 'unpack', blob: join(W, 'lower.tgz'), dest: join(W, 'L1') },
    { op: 'unpack', blob: join(W, 'upper.tgz'), dest: join(W, 'L2') },
    { op: 'overlay', lowers: [join(W, 'L2'), join(W, 'L1')], mountpoint: join(W, 'merged') },
  ])
  valueOf<UnpackResult>(l)
  t.same(valueOf<UnpackResult>(u).warnings, [], 'no warnings')
  t.same(valueOf<TreeListing>(view), {
    etc: 'dir',
    'etc/keep': 'file:keep',
    merged: 'dir',
    'merged/a': 'file:a',
    'merged/b': 'file:b',
    opaque: 'dir',
    'opaque/new': 'file:new',
    recreated: 'dir',
    'recreated/new': 'file:new',
    'same-layer': 'dir',
    'same-layer/new': 'file:new',
  })
})
