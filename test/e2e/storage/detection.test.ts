// Which storage driver tspod picks, and what it says about it: native
// overlay on this machine, probed once and cached in the run root; when the
// probe has said no (a cached answer planted by the test: the CLI must trust
// it, not probe again), fuse-overlayfs with one warning line naming the fix;
// without fuse-overlayfs either (a PATH without it), vfs with its own line.
// Forcing a driver warns only when what is forced has to fall back; a bad
// name or an unusable forced driver is one error line, exit 125.
import t from 'tap'
import { execa } from 'execa'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import { join } from 'node:path'
import { pushFixture } from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import type { StoreEnv, TspodResult } from '../../harness/tspod.js'
import { probeCachePath, type OverlayProbeCache } from '../../../src/storage/probe-overlay.js'
import { containerStore, tspod } from './helpers.js'

const reg = await withRegistry(t)
const image = (await pushFixture(reg, 'busybox')).reference

const driverOf = (env: StoreEnv, extra: string[] = [], extraEnv: Record<string, string> = {}) =>
  tspod(env, [...extra, 'info', '--format', '{{.Store.GraphDriverName}}'], { extraEnv })

/** The lines tspod warned with (podman's `WARN[0000] …` shape). */
const warnings = (r: TspodResult) => r.stderr.split('\n').filter(l => /^WARN\[\d+\] /.test(l))

/** The answer a probe that failed would have left. */
function plantFailedProbe(env: StoreEnv, reason: string): void {
  const cache: OverlayProbeCache = { graphRoot: env.root, kernel: release(), nativeOverlay: { ok: false, reason } }
  mkdirSync(env.runroot, { recursive: true })
  writeFileSync(probeCachePath(env.runroot), JSON.stringify(cache))
}

/** A directory of links to every program on the PATH except fuse-overlayfs: a host without it. */
function pathWithoutFuse(env: StoreEnv): string {
  const dir = join(env.base, 'bin-without-fuse')
  mkdirSync(dir)
  for (const from of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    if (!existsSync(from)) continue
    for (const name of readdirSync(from)) {
      if (name === 'fuse-overlayfs' || existsSync(join(dir, name))) continue
      symlinkSync(join(from, name), join(dir, name))
    }
  }
  return dir
}

const PRETEND = 'pretend: the overlay mount was refused'
const FUSE_LINE = `native overlay is not available (${PRETEND}): using fuse-overlayfs; `
const VFS_LINE =
  `native overlay is not available (${PRETEND}) and fuse-overlayfs is not installed: using the vfs driver, ` +
  'which copies every image for every container: install fuse-overlayfs (apt-get install fuse-overlayfs) or '

t.test('this machine: native overlay, probed once, cached in the run root', async t => {
  const env = await containerStore(t, [reg])
  const first = await driverOf(env, ['--log-level', 'debug'])
  t.equal(first.stdout, 'overlay\n', first.stderr)
  t.match(first.stderr, /probing native rootless overlay/, 'the first command probes')
  t.same(warnings(first), [], 'no warning')
  const cache = JSON.parse(readFileSync(probeCachePath(env.runroot), 'utf8')) as OverlayProbeCache
  t.same(cache, { graphRoot: env.root, kernel: release(), nativeOverlay: { ok: true } }, 'the answer is kept in the run root')
  t.same(readdirSync(join(env.root, 'tmp')), [], 'the probe cleaned up after itself')
  const mtime = statSync(probeCachePath(env.runroot)).mtimeMs

  const run = await tspod(env, ['--log-level', 'debug', 'run', '--rm', image, 'echo', 'hi'])
  t.equal(run.stdout, 'hi\n', run.stderr)
  t.notMatch(run.stderr, /probing native rootless overlay/, 'the next command does not probe again')
  t.match(run.stderr, /native overlay probe result from /, 'it reads the cached answer')
  t.same(warnings(run), [], 'no warning')
  t.equal(statSync(probeCachePath(env.runroot)).mtimeMs, mtime, 'the cache is not rewritten')

  const status = await tspod(env, ['info', '--format', '{{json .Store.GraphStatus}}'])
  const magic = (await execa('stat', ['-f', '-c', '%t', env.root])).stdout.trim()
  const backing = { ef53: 'extfs', '58465342': 'xfs', '9123683e': 'btrfs', '1021994': 'tmpfs' }[magic] ?? `unlisted file system 0x${magic}`
  t.same(JSON.parse(status.stdout), { 'Backing Filesystem': backing, 'Native Overlay Diff': 'true', 'Supports d_type': 'true', 'Using metacopy': 'false' }, 'GraphStatus as podman shows native overlay')
  const options = await tspod(env, ['info', '--format', '{{json .Store.GraphOptions}}'])
  t.same(JSON.parse(options.stdout), {}, 'no graph options')
})

t.test('forced drivers: reported by info, no warning when nothing falls back', async t => {
  const env = await containerStore(t, [reg])
  for (const [driver, how] of [
    ['overlay', { extra: ['--storage-driver', 'overlay'] }],
    ['fuse-overlayfs', { extraEnv: { STORAGE_DRIVER: 'fuse-overlayfs' } }],
    ['vfs', { extra: ['--storage-driver=vfs'] }],
  ] as const) {
    const r = await driverOf(env, 'extra' in how ? [...how.extra] : [], 'extraEnv' in how ? how.extraEnv : {})
    t.equal(r.stdout, `${driver}\n`, `${driver}: ${r.stderr}`)
    t.equal(r.stderr, '', `${driver}: nothing on stderr`)
  }
  const fuse = await tspod(env, ['--storage-driver', 'fuse-overlayfs', 'info', '--format', '{{json .Store}}'])
  const store = JSON.parse(fuse.stdout) as { graphStatus: Record<string, string>; graphOptions: Record<string, { Executable: string; Version: string }> }
  t.equal(store.graphStatus['Native Overlay Diff'], 'false', 'fuse-overlayfs: no native overlay diff')
  t.equal(store.graphOptions['overlay.mount_program']?.Executable, '/usr/bin/fuse-overlayfs', 'fuse-overlayfs: the mount program is listed')
  t.match(store.graphOptions['overlay.mount_program']?.Version, /fuse-overlayfs: version \d/, 'with its version')
  const vfs = await tspod(env, ['--storage-driver', 'vfs', 'info', '--format', '{{json .Store.GraphStatus}}'])
  t.same(JSON.parse(vfs.stdout), {}, 'vfs: an empty GraphStatus, as podman shows it')
  // The flag wins over the variable.
  const both = await driverOf(env, ['--storage-driver', 'vfs'], { STORAGE_DRIVER: 'fuse-overlayfs' })
  t.equal(both.stdout, 'vfs\n', 'the flag wins over STORAGE_DRIVER')
})

t.test('no native overlay: fuse-overlayfs, with one line naming the fix', async t => {
  const env = await containerStore(t, [reg])
  plantFailedProbe(env, PRETEND)
  const info = await driverOf(env, ['--log-level', 'debug'])
  t.equal(info.stdout, 'fuse-overlayfs\n', info.stderr)
  t.notMatch(info.stderr, /probing native rootless overlay/, 'the cached answer is trusted')
  t.equal(warnings(info).length, 1, 'one warning line')
  t.match(warnings(info)[0], FUSE_LINE, 'saying why and what to do')

  const run = await tspod(env, ['run', '--rm', image, 'echo', 'hi'])
  t.equal(run.stdout, 'hi\n', run.stderr)
  t.equal(warnings(run).length, 1, 'run: the warning once')
  t.match(run.stderr, FUSE_LINE)
  const forcedOverlay = await driverOf(env, ['--storage-driver', 'overlay'])
  t.equal(forcedOverlay.stdout, 'fuse-overlayfs\n', 'overlay (podman\'s meaning) goes through fuse-overlayfs')
  t.equal(warnings(forcedOverlay).length, 1, 'and says so: it is a fallback')
  const forcedFuse = await driverOf(env, ['--storage-driver', 'fuse-overlayfs'])
  t.equal(forcedFuse.stderr, '', 'fuse-overlayfs asked for: no warning')
})

t.test('no native overlay, no fuse-overlayfs: vfs, with one line naming the fix', async t => {
  const env = await containerStore(t, [reg])
  plantFailedProbe(env, PRETEND)
  const PATH = pathWithoutFuse(env)
  const info = await driverOf(env, [], { PATH })
  t.equal(info.stdout, 'vfs\n', info.stderr)
  t.equal(warnings(info).length, 1, 'one warning line')
  t.match(warnings(info)[0], VFS_LINE, 'saying why and what to do')

  const run = await tspod(env, ['run', '--rm', image, 'echo', 'hi'], { extraEnv: { PATH } })
  t.equal(run.stdout, 'hi\n', run.stderr)
  t.equal(warnings(run).length, 1, 'run: the warning once')

  const overlay = await driverOf(env, ['--storage-driver', 'overlay'], { PATH })
  t.equal(overlay.exitCode, 125, 'overlay asked for and impossible: an error')
  t.match(overlay.stderr, /^Error: the overlay storage driver cannot be used: native overlay is not available \(pretend[^\n]*\n$/, 'one line')
  const fuse = await driverOf(env, [], { PATH, STORAGE_DRIVER: 'fuse-overlayfs' })
  t.equal(fuse.exitCode, 125)
  t.equal(fuse.stderr, 'Error: the fuse-overlayfs storage driver cannot be used: fuse-overlayfs is not installed: install fuse-overlayfs (apt-get install fuse-overlayfs)\n', 'one line naming the fix')
  const vfs = await driverOf(env, ['--storage-driver', 'vfs'], { PATH })
  t.equal(vfs.stderr, '', 'vfs asked for: no warning')
})

t.test('a bad driver name: one error line, exit 125, for any command', async t => {
  const env = await containerStore(t, [reg])
  for (const [args, extraEnv] of [
    [['--storage-driver', 'btrfs', 'ps'], {}],
    [['ps', '--storage-driver', 'zfs'], {}],
    [['ps'], { STORAGE_DRIVER: 'aufs' }],
  ] as const) {
    const r = await tspod(env, [...args], { extraEnv })
    t.equal(r.exitCode, 125, args.join(' '))
    t.match(r.stderr, /^Error: unsupported storage driver "\w+": choose from overlay, fuse-overlayfs, vfs\n$/, 'one line')
    t.equal(r.stdout, '')
  }
})

t.test('a container keeps the driver it was created with', async t => {
  const env = await containerStore(t, [reg])
  const created = await tspod(env, ['create', '--storage-driver', 'vfs', '--name', 'kept', image, 'sh', '-c', 'echo $(cat /marker 2>/dev/null) >> /log; echo run >> /marker; cat /log'])
  t.equal(created.exitCode, 0, created.stderr)
  const id = created.stdout.trim()
  const first = await tspod(env, ['start', '-a', 'kept'])
  t.equal(first.stdout, '\n', first.stderr)
  // Started again while STORAGE_DRIVER says otherwise: still the vfs copy, with its files.
  const second = await tspod(env, ['start', '-a', 'kept'], { extraEnv: { STORAGE_DRIVER: 'fuse-overlayfs' } })
  t.equal(second.stdout, '\nrun\n', second.stderr)
  t.ok(existsSync(join(env.root, 'containers', id, 'rootfs', 'marker')), 'its files are in its vfs copy')
  t.notOk(existsSync(join(env.root, 'containers', id, 'upper', 'marker')), 'not in an upper directory')
})
