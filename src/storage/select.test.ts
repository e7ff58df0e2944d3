/**
 * The choice of driver and the words that go with a fallback, with the two
 * probes injected (the real ones run in test/e2e/storage/detection.test.ts).
 */
import t from 'tap'
import { isTspodError } from '../engine/errors.js'
import type { FuseCheck } from './fuse-check.js'
import type { OverlayProbe } from './probe-overlay.js'
import { fixForNative, selectStorageDriver, type SelectOptions } from './select.js'

const paths = { root: '/nonexistent/root', runRoot: '/nonexistent/run' }
const NATIVE_OK: OverlayProbe = { ok: true }
const NATIVE_NO: OverlayProbe = { ok: false, reason: 'mount: permission denied' }
const FUSE_OK: FuseCheck = { ok: true, program: '/usr/bin/fuse-overlayfs' }
const FUSE_MISSING: FuseCheck = { ok: false, reason: 'fuse-overlayfs is not installed', fix: 'install fuse-overlayfs (apt-get install fuse-overlayfs)' }

function options(requested: string | undefined, native: OverlayProbe, fuse: FuseCheck, kernel = '6.1.0'): SelectOptions & { probes: string[] } {
  const probes: string[] = []
  return {
    requested,
    paths,
    ns: () => Promise.reject(new Error('no namespace in this test')),
    probeNative: async () => {
      probes.push('native')
      return native
    },
    checkFuse: () => {
      probes.push('fuse')
      return fuse
    },
    kernel,
    probes,
  }
}

t.test('detection, in podman order', async t => {
  t.same(await selectStorageDriver(options(undefined, NATIVE_OK, FUSE_OK)), { driver: 'overlay' }, 'native overlay when it works, no warning')
  t.same(await selectStorageDriver(options('', NATIVE_OK, FUSE_MISSING)), { driver: 'overlay' }, 'an empty request means detect')
  t.same(
    await selectStorageDriver(options(undefined, NATIVE_NO, FUSE_OK)),
    {
      driver: 'fuse-overlayfs',
      mountProgram: '/usr/bin/fuse-overlayfs',
      warning:
        'native overlay is not available (mount: permission denied): using fuse-overlayfs; ' +
        'for native rootless overlay, put the graph root (--root) on a file system that supports it (ext4, xfs, btrfs)',
    },
    'fuse-overlayfs next, saying why',
  )
  const old = await selectStorageDriver(options(undefined, NATIVE_NO, FUSE_OK, '5.10.0-28-amd64'))
  t.match(old.warning, /: using fuse-overlayfs; install a kernel ≥ 5\.11 for native rootless overlay$/, 'on an old kernel, the fix is a newer one')
  t.same(
    await selectStorageDriver(options(undefined, NATIVE_NO, FUSE_MISSING, '5.4.0')),
    {
      driver: 'vfs',
      warning:
        'native overlay is not available (mount: permission denied) and fuse-overlayfs is not installed: ' +
        'using the vfs driver, which copies every image for every container: install fuse-overlayfs (apt-get install fuse-overlayfs) or install a kernel ≥ 5.11',
    },
    'vfs last, naming both fixes',
  )
})

t.test('asked for', async t => {
  const vfs = options('vfs', NATIVE_NO, FUSE_MISSING)
  t.same(await selectStorageDriver(vfs), { driver: 'vfs' }, 'vfs: no warning')
  t.same(vfs.probes, [], 'and nothing probed')
  const fuse = options('fuse-overlayfs', NATIVE_OK, FUSE_OK)
  t.same(await selectStorageDriver(fuse), { driver: 'fuse-overlayfs', mountProgram: '/usr/bin/fuse-overlayfs' }, 'fuse-overlayfs: no warning even where native overlay works')
  t.same(fuse.probes, ['fuse'], 'native overlay not probed')
  t.same(await selectStorageDriver(options('overlay', NATIVE_OK, FUSE_MISSING)), { driver: 'overlay' }, 'overlay: native')
  const viaFuse = await selectStorageDriver(options('overlay', NATIVE_NO, FUSE_OK))
  t.equal(viaFuse.driver, 'fuse-overlayfs', "overlay, podman's meaning: through fuse-overlayfs when native overlay does not work")
  t.match(viaFuse.warning, /^native overlay is not available/, 'which is a fallback, and says so')
})

t.test('cannot be had: errors naming the fix', async t => {
  await t.rejects(selectStorageDriver(options('fuse-overlayfs', NATIVE_OK, FUSE_MISSING)), {
    code: 'unavailable',
    message: 'the fuse-overlayfs storage driver cannot be used: fuse-overlayfs is not installed: install fuse-overlayfs (apt-get install fuse-overlayfs)',
  })
  await t.rejects(selectStorageDriver(options('overlay', NATIVE_NO, FUSE_MISSING)), {
    code: 'unavailable',
    message:
      'the overlay storage driver cannot be used: native overlay is not available (mount: permission denied) and fuse-overlayfs is not installed: ' +
      'install fuse-overlayfs (apt-get install fuse-overlayfs), put the graph root on ext4, xfs or btrfs, or use --storage-driver vfs',
  })
  const err = await selectStorageDriver(options('btrfs', NATIVE_OK, FUSE_OK)).catch(e => e)
  t.ok(isTspodError(err, 'invalid-argument'), 'an unknown name is invalid input')
  t.equal(err.message, 'unsupported storage driver "btrfs": choose from overlay, fuse-overlayfs, vfs')
})

t.test('the native fix follows the kernel version', async t => {
  t.equal(fixForNative('5.10.209').short, 'install a kernel ≥ 5.11')
  t.equal(fixForNative('4.19.0-26-amd64').short, 'install a kernel ≥ 5.11')
  t.equal(fixForNative('5.11.0').short, 'put the graph root on ext4, xfs or btrfs')
  t.equal(fixForNative('6.18.44-fc-v769').short, 'put the graph root on ext4, xfs or btrfs')
})
