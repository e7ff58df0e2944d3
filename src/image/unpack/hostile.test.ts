/**
 * Hostile layers, unpacked for real as root of a user namespace, which can
 * write the user's own files: so a breakout would really land. For each one:
 * nothing outside the layer directory changes (canaries are checked byte,
 * link count, mode, mtime, owner and xattr), and the outcome is the one the
 * documented rule gives (entry-name.ts, layer-tree.ts, entry-writer.ts):
 * - a name or hard-link target climbing above the root with `..`: refused;
 * - an absolute name: inside the root;
 * - symlinks in parent paths: followed inside the root (chroot semantics);
 * - a hard link to anything but a non-directory this layer wrote: refused;
 * - an entry over a symlink replaces the symlink, never follows it.
 */
import t, { type Test } from 'tap'
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { llistxattr } from '../../../native-bindings/fs.js'
import { OPAQUE_XATTR } from './layer-tree.js'
import { tarOf, type TarEntry } from './test-support/archive.js'
import { runJobs, scratchDir, type JobResult } from './test-support/jobs.js'

const work = scratchDir('tspod-unpack-hostile-')
t.teardown(work.remove)

const W = work.path
const canary = join(W, 'canary') // must stay empty
const outside = join(W, 'outside') // a file of the user's
const secretDir = join(W, 'secret-dir')
const victims = join(W, 'victims')
const layersDir = join(W, 'x') // layers at W/x/NAME: `../../outside` from one is W/outside
const blobs = join(W, 'blobs')
/** A relative path from a layer root that lexically reaches `abs` on the host. */
const up = (abs: string) => `${'../'.repeat(12)}${abs.slice(1)}`

interface HostileCase {
  entries: TarEntry[]
  /** 'refused': permission-denied naming `entry`; 'malformed': data-loss; else checks on the layer. */
  expect: { refused: string } | { malformed: string } | ((t: Tap, dest: string) => void)
}
type Tap = Test

const cases: Record<string, HostileCase> = {
  dotdotName: { entries: [{ name: '../escaped', data: 'x' }], expect: { refused: '../escaped' } },
  climbingName: {
    entries: [{ name: 'a/', type: 'directory' }, { name: 'a/../../x', data: 'x' }],
    expect: { refused: 'a/../../x' },
  },
  climbingThroughSymlinkName: {
    entries: [{ name: 'link', type: 'symlink', linkname: '/' }, { name: 'link/../../x', data: 'x' }],
    expect: { refused: 'link/../../x' },
  },
  absoluteName: {
    entries: [{ name: '/abs/path', data: 'abs' }, { name: `${outside}`, data: 'not the real one' }],
    expect: (t, dest) => {
      t.equal(readFileSync(join(dest, 'abs/path'), 'utf8'), 'abs', '/abs/path is rooted at the layer')
      t.equal(readFileSync(join(dest, outside), 'utf8'), 'not the real one', 'an absolute host path too')
    },
  },
  symlinkToHostDir: {
    entries: [{ name: 'link', type: 'symlink', linkname: canary }, { name: 'link/file', data: 'contained' }],
    expect: (t, dest) => {
      t.equal(readlinkSync(join(dest, 'link')), canary, 'the symlink itself is kept as written')
      t.equal(readFileSync(join(dest, canary, 'file'), 'utf8'), 'contained', 'followed inside the root')
    },
  },
  symlinkUpwards: {
    entries: [{ name: 'link', type: 'symlink', linkname: '../../..' }, { name: 'link/file', data: 'at root' }],
    expect: (t, dest) => {
      t.equal(readFileSync(join(dest, 'file'), 'utf8'), 'at root', '`..` stops at the layer root')
    },
  },
  symlinkChain: {
    entries: [
      { name: 'a', type: 'symlink', linkname: 'b' },
      { name: 'b', type: 'symlink', linkname: 'dir/c' },
      { name: 'dir/c', type: 'symlink', linkname: up(canary) },
      { name: 'd/e', type: 'symlink', linkname: '../a/sub' },
      { name: 'a/file', data: 'one' },
      { name: 'd/e/deeper', data: 'two' },
    ],
    expect: (t, dest) => {
      t.equal(readFileSync(join(dest, canary, 'file'), 'utf8'), 'one')
      t.equal(readFileSync(join(dest, canary, 'sub/deeper'), 'utf8'), 'two')
    },
  },
  symlinkLoop: {
    entries: [
      { name: 'x', type: 'symlink', linkname: 'y' },
      { name: 'y', type: 'symlink', linkname: '/x' },
      { name: 'x/file', data: 'x' },
    ],
    expect: { refused: 'x/file' },
  },
  hardlinkToEtcPasswd: {
    entries: [{ name: 'pw', type: 'link', linkname: '/etc/passwd' }],
    expect: { refused: 'pw' },
  },
  hardlinkUpwards: {
    entries: [{ name: 'h', type: 'link', linkname: '../../outside' }],
    expect: { refused: 'h' },
  },
  hardlinkThroughSymlinkedDir: {
    entries: [{ name: 's', type: 'symlink', linkname: secretDir }, { name: 'h', type: 'link', linkname: 's/secret' }],
    expect: { refused: 'h' },
  },
  hardlinkThroughSymlinkedDirInside: {
    entries: [
      { name: 'data/f', data: 'mine' },
      { name: 's', type: 'symlink', linkname: '/data' },
      { name: 'h', type: 'link', linkname: 's/f' },
    ],
    expect: (t, dest) => {
      t.equal(lstatSync(join(dest, 'h')).ino, lstatSync(join(dest, 'data/f')).ino, 'resolved inside the root')
    },
  },
  hardlinkToSymlink: {
    entries: [{ name: 's', type: 'symlink', linkname: outside }, { name: 'h', type: 'link', linkname: 's' }],
    expect: (t, dest) => {
      t.ok(lstatSync(join(dest, 'h')).isSymbolicLink(), 'links the symlink itself, not its target')
    },
  },
  hardlinkToDirectory: {
    entries: [{ name: 'd/', type: 'directory' }, { name: 'h', type: 'link', linkname: 'd' }],
    expect: { refused: 'h' },
  },
  fileReplacingSymlinkToHostDir: {
    entries: [{ name: 's', type: 'symlink', linkname: canary }, { name: 's', data: 'a file now' }],
    expect: (t, dest) => {
      t.ok(lstatSync(join(dest, 's')).isFile())
      t.equal(readFileSync(join(dest, 's'), 'utf8'), 'a file now')
    },
  },
  fileReplacingSymlinkToHostFile: {
    entries: [{ name: 's', type: 'symlink', linkname: outside, uid: 1000 }, { name: 's', data: 'replaced', mode: 0o777 }],
    expect: (t, dest) => {
      t.equal(readFileSync(join(dest, 's'), 'utf8'), 'replaced')
    },
  },
  dirReplacingSymlinkThenFile: {
    entries: [
      { name: 's', type: 'symlink', linkname: canary },
      { name: 's/', type: 'directory', mode: 0o777 },
      { name: 's/file', data: 'in the new dir' },
    ],
    expect: (t, dest) => {
      t.ok(lstatSync(join(dest, 's')).isDirectory())
      t.equal(readFileSync(join(dest, 's/file'), 'utf8'), 'in the new dir')
    },
  },
  dirReplacedBySymlinkBeforeItsMetadata: {
    // The directory's mode and mtime are applied at the end: never through the symlink that replaced it.
    entries: [
      { name: 'd/', type: 'directory', mode: 0o777, mtime: new Date('2001-01-01T00:00:00Z') },
      { name: 'd', type: 'symlink', linkname: canary },
    ],
    expect: (t, dest) => {
      t.equal(readlinkSync(join(dest, 'd')), canary)
    },
  },
  whiteoutThroughSymlink: {
    entries: [{ name: 's', type: 'symlink', linkname: victims }, { name: 's/.wh.victim', data: '' }],
    expect: (t, dest) => {
      const wh = lstatSync(join(dest, victims, 'victim'))
      t.ok(wh.isCharacterDevice() && wh.rdev === 0, 'the whiteout lands inside the root')
    },
  },
  opaqueThroughSymlink: {
    entries: [{ name: 's', type: 'symlink', linkname: victims }, { name: 's/.wh..wh..opq', data: '' }],
    expect: (t, dest) => {
      t.ok(llistxattr(join(dest, victims)).includes(OPAQUE_XATTR), 'the opaque mark lands inside the root')
    },
  },
  whiteoutOfParent: { entries: [{ name: 'a/.wh...', data: '' }], expect: { malformed: 'a/.wh...' } },
}

/** Everything about the user's files that a breakout could change. */
function hostState(): Record<string, unknown> {
  const describe = (p: string) => {
    const st = lstatSync(p)
    return {
      mode: st.mode, uid: st.uid, gid: st.gid, nlink: st.nlink, mtimeMs: st.mtimeMs, size: st.size,
      xattrs: llistxattr(p),
      content: st.isFile() ? readFileSync(p, 'utf8') : st.isDirectory() ? readdirSync(p).sort() : null,
    }
  }
  const state: Record<string, unknown> = {}
  for (const name of readdirSync(W).sort()) {
    if (name === 'x' || name === 'blobs') continue
    state[name] = describe(join(W, name))
  }
  for (const p of [join(secretDir, 'secret'), join(victims, 'victim'), '/etc/passwd']) state[p] = describe(p)
  state.x = readdirSync(layersDir).sort()
  return state
}

let before: Record<string, unknown>
let results: Record<string, JobResult> = {}

t.before(async () => {
  mkdirSync(canary)
  writeFileSync(outside, 'the user\'s own file')
  mkdirSync(secretDir)
  writeFileSync(join(secretDir, 'secret'), 'secret')
  mkdirSync(victims)
  writeFileSync(join(victims, 'victim'), 'victim')
  mkdirSync(layersDir)
  mkdirSync(blobs)
  const names = Object.keys(cases)
  for (const name of names) writeFileSync(join(blobs, name), gzipSync(await tarOf(cases[name]!.entries)))
  before = hostState()
  const out = await runJobs(
    names.map(name => ({ op: 'unpack' as const, blob: join(blobs, name), dest: join(layersDir, name) })),
  )
  results = Object.fromEntries(names.map((n, i) => [n, out[i]!]))
})

t.test('nothing outside the layer directories changed', async t => {
  const after = hostState()
  t.same(after, { ...before, x: Object.keys(cases).sort() }, 'canaries, the user\'s files and /etc/passwd untouched')
})

for (const [name, c] of Object.entries(cases)) {
  t.test(name, async t => {
    const r = results[name]!
    const dest = join(layersDir, name)
    if (typeof c.expect === 'function') {
      t.ok(r.ok, `contained${r.ok ? '' : `, but failed: ${r.message}`}`)
      if (r.ok) c.expect(t, dest)
    } else if ('refused' in c.expect) {
      t.match(r, { ok: false, code: 'permission-denied', message: `entry "${c.expect.refused}"` }, 'refused')
    } else {
      t.match(r, { ok: false, code: 'data-loss', message: `entry "${c.expect.malformed}"` }, 'malformed')
    }
  })
}
