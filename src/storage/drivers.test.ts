/**
 * The three drivers on the same unpacked layers, as root of a user namespace
 * with the subordinate ids mapped (as the shim runs them): native overlay,
 * fuse-overlayfs and the vfs copy must show the same tree — owners, modes,
 * times, contents, links, attributes — and that tree must be what the
 * layers say. A hostile symlink in a lower layer must not lead the vfs copy
 * out of its root. Missing tools (fuse-overlayfs, newuidmap) fail the test.
 */
import t from 'tap'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import { paxHeader, tarOf, type RawBlocks, type TarEntry } from '../image/unpack/test-support/archive.js'
import { runJobs, valueOf, type ViewResult } from './test-support/jobs.js'
import { STORAGE_DRIVERS, type RootfsSpec, type StorageDriverName } from './driver.js'

// A host directory a hostile layer points at; nothing may ever be written into it.
const outside = mkdtempSync(join(tmpdir(), 'tspod-storage-outside-'))
t.teardown(() => rmSync(outside, { recursive: true, force: true }))

const MTIME = new Date('2021-02-03T04:05:06Z')
const LATER = new Date('2022-03-04T05:06:07Z')

const layer1: (TarEntry | RawBlocks)[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/passwd', data: 'root:x:0:0::/root:/bin/sh\n' },
  { name: 'srv/', type: 'directory' },
  { name: 'srv/suid', data: '#!/bin/sh\n', mode: 0o4755 },
  { name: 'srv/setgid-dir/', type: 'directory', mode: 0o2775, gid: 1000 },
  { name: 'srv/sticky/', type: 'directory', mode: 0o1777 },
  { name: 'srv/owned', data: 'app\n', mode: 0o640, uid: 1000, gid: 1000 },
  { name: 'srv/nobody', data: 'nobody\n', mode: 0o600, uid: 65534, gid: 65534 },
  { name: 'srv/hl-a', data: 'linked\n', uid: 1000, gid: 1000 },
  { name: 'srv/hl-b', type: 'link', linkname: 'srv/hl-a', uid: 1000, gid: 1000 },
  { name: 'srv/fifo', type: 'fifo', mode: 0o640 },
  { name: 'srv/sym', type: 'symlink', linkname: 'hl-a' },
  { name: 'srv/abs', type: 'symlink', linkname: '/etc/passwd' },
  { name: 'srv/doomed', data: 'doomed\n' },
  { name: 'srv/doomed-dir/inner', data: 'inner\n' },
  { name: 'srv/opaque/old', data: 'old\n' },
  { name: 'srv/opaque/sub/older', data: 'older\n' },
  { name: 'srv/merged/a', data: 'a\n' },
  { name: 'srv/owner-flip/', type: 'directory', mode: 0o700, uid: 1000, gid: 1000 },
  { name: 'srv/replaced', data: 'v1\n' },
  { name: 'srv/file-over-dir/inner', data: 'hidden by a file\n' },
  { name: 'srv/dir-over-file', data: 'hidden by a directory\n' },
  // Symlinks out of the root: a later layer puts entries "under" them.
  { name: 'srv/escape', type: 'symlink', linkname: outside },
  { name: 'srv/escape-rel', type: 'symlink', linkname: `../../../../../../../../..${outside}` },
  paxHeader([['SCHILY.xattr.user.note', 'kept']]),
  { name: 'srv/xattr-file', data: 'with an attribute\n' },
]

const layer2: TarEntry[] = [
  { name: 'srv/', type: 'directory', mtime: LATER },
  { name: 'srv/.wh.doomed', data: '' },
  { name: 'srv/.wh.doomed-dir', data: '' },
  { name: 'srv/opaque/', type: 'directory' },
  { name: 'srv/opaque/.wh..wh..opq', data: '' },
  { name: 'srv/opaque/new', data: 'new\n' },
  { name: 'srv/merged/b', data: 'b\n' },
  { name: 'srv/owner-flip/', type: 'directory', mode: 0o755 },
  { name: 'srv/owner-flip/inside', data: 'x\n' },
  { name: 'srv/replaced', data: 'v2\n', mode: 0o600, uid: 1000 },
  { name: 'srv/file-over-dir', data: 'a file now\n' },
  { name: 'srv/dir-over-file/inner', data: 'a directory now\n' },
  { name: 'srv/escape/pwned', data: 'must stay inside\n' },
  { name: 'srv/escape-rel/pwned', data: 'must stay inside\n' },
]

const layer3: TarEntry[] = [
  { name: 'srv/', type: 'directory', mtime: LATER },
  { name: 'srv/merged/', type: 'directory', mode: 0o750, uid: 1000 },
  { name: 'srv/merged/c', data: 'c\n' },
  { name: 'srv/.wh.hl-b', data: '' },
  { name: 'srv/late-suid', data: 'x\n', mode: 0o6755, uid: 1000, gid: 1000 },
]

function requireTool(tool: string, pkg: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`])
  if (r.status !== 0) throw new Error(`${tool} is not installed: this test needs it (Debian package ${pkg})`)
}

t.test('overlay, fuse-overlayfs and vfs show the same, right, tree', async t => {
  requireTool('fuse-overlayfs', 'fuse-overlayfs')
  const work = mkdtempSync(join(tmpdir(), 'tspod-storage-drivers-'))
  t.teardown(async () => {
    await runJobs([{ op: 'rm', path: work }])
    rmSync(work, { recursive: true, force: true })
  })
  const layers = [layer1, layer2, layer3]
  const lowerDirs: string[] = []
  const unpack = []
  for (const [i, entries] of layers.entries()) {
    const blob = join(work, `layer${i}.tgz`)
    writeFileSync(blob, gzipSync(await tarOf(entries.map(e => ('raw' in e ? e : { mtime: MTIME, ...e })))))
    const dest = join(work, 'overlay', `l${i}`, 'diff')
    lowerDirs.push(dest)
    unpack.push({ op: 'unpack' as const, blob, dest })
  }
  const spec = (driver: StorageDriverName): RootfsSpec => {
    const c = join(work, 'containers', driver)
    mkdirSync(c, { recursive: true })
    return { driver, lowerDirs, upperDir: join(c, 'upper'), workDir: join(c, 'work'), copyDir: join(c, 'rootfs'), target: join(c, 'merged') }
  }
  const results = await runJobs([...unpack, ...STORAGE_DRIVERS.map(d => ({ op: 'view' as const, spec: spec(d) }))])
  for (const r of results.slice(0, layers.length)) valueOf(r)
  const views = Object.fromEntries(STORAGE_DRIVERS.map((d, i) => [d, valueOf<ViewResult>(results[layers.length + i])])) as Record<StorageDriverName, ViewResult>

  t.equal(views.overlay.mountType, 'overlay', 'native overlay mounted')
  t.equal(views['fuse-overlayfs'].mountType, 'fuse.fuse-overlayfs', 'fuse-overlayfs mounted')
  t.ok(views.vfs.mountType, 'vfs: the copy is bind-mounted')
  for (const d of STORAGE_DRIVERS) t.notOk(views[d].mountedAfterUnmount, `${d}: nothing mounted after unmount`)

  const tree = views.overlay.tree
  const m = (s: number) => `mtime=${Math.floor(s / 1000)}`
  const at = m(MTIME.getTime())
  t.match(tree, {
    'srv': `dir 755 0:0 ${m(LATER.getTime())}`,
    'srv/suid': `file 4755 0:0 ${at} "#!/bin/sh\\n"`,
    'srv/late-suid': `file 6755 1000:1000 ${at} "x\\n"`,
    'srv/setgid-dir': `dir 2775 0:1000 ${at}`,
    'srv/sticky': `dir 1777 0:0 ${at}`,
    'srv/owned': `file 640 1000:1000 ${at} "app\\n"`,
    'srv/nobody': `file 600 65534:65534 ${at} "nobody\\n"`,
    'srv/hl-a': `file 644 1000:1000 ${at} "linked\\n"`,
    'srv/fifo': `fifo 640 0:0 ${at}`,
    'srv/sym': `symlink 777 0:0 ${at} -> hl-a`,
    'srv/abs': `symlink 777 0:0 ${at} -> /etc/passwd`,
    'srv/opaque/new': `file 644 0:0 ${at} "new\\n"`,
    'srv/merged': `dir 750 1000:0 ${at}`,
    'srv/owner-flip': `dir 755 0:0 ${at}`,
    'srv/replaced': `file 600 1000:0 ${at} "v2\\n"`,
    'srv/file-over-dir': `file 644 0:0 ${at} "a file now\\n"`,
    'srv/dir-over-file': /^dir /,
    'srv/dir-over-file/inner': /"a directory now\\n"/,
    'srv/escape': /^dir /,
    'srv/escape/pwned': /"must stay inside\\n"/,
    'srv/escape-rel/pwned': /"must stay inside\\n"/,
    'srv/xattr-file': `file 644 0:0 ${at} "with an attribute\\n" xattrs=user.note=kept`,
  })
  for (const gone of ['srv/doomed', 'srv/doomed-dir', 'srv/opaque/old', 'srv/opaque/sub', 'srv/file-over-dir/inner', 'srv/hl-b', 'srv/.wh.doomed']) {
    t.notOk(gone in tree, `${gone} is not in the merged view`)
  }
  t.same(Object.keys(tree).filter(p => p.startsWith('srv/merged/')).sort(), ['srv/merged/a', 'srv/merged/b', 'srv/merged/c'], 'a directory merges across layers')

  t.same(views['fuse-overlayfs'].tree, tree, 'fuse-overlayfs shows what native overlay shows')
  t.same(views.vfs.tree, tree, 'the vfs copy is what native overlay shows')
  t.same(readdirSync(outside), [], 'nothing was written through the symlinks out of the root')
})

t.test('hard links in the vfs copy are links', async t => {
  const work = mkdtempSync(join(tmpdir(), 'tspod-storage-links-'))
  t.teardown(async () => {
    await runJobs([{ op: 'rm', path: work }])
    rmSync(work, { recursive: true, force: true })
  })
  const blob = join(work, 'layer.tgz')
  writeFileSync(
    blob,
    gzipSync(
      await tarOf([
        { name: 'a', data: 'same inode\n', mode: 0o4750, uid: 1000, gid: 1000 },
        { name: 'dir/b', type: 'link', linkname: 'a' },
        { name: 'c', type: 'link', linkname: 'a' },
      ]),
    ),
  )
  const lower = join(work, 'overlay/l0/diff')
  const c = join(work, 'c')
  const [u, v] = await runJobs([
    { op: 'unpack', blob, dest: lower },
    { op: 'view', spec: { driver: 'vfs', lowerDirs: [lower], upperDir: join(c, 'upper'), workDir: join(c, 'work'), copyDir: join(c, 'rootfs'), target: join(c, 'merged') } },
  ])
  valueOf(u)
  const tree = valueOf<ViewResult>(v).tree
  t.match(tree, { a: /^file 4750 1000:1000 /, c: / link=a$/, 'dir/b': / link=a$/ })
})
