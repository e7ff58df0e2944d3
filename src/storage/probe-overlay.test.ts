/**
 * The native-overlay probe, for real: a tiny overlay mounted with userxattr
 * inside a user namespace of the test's own (its own pause process), on the
 * temp dir's file system; then the answer kept in the run root and trusted.
 */
import t, { type Test } from 'tap'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import { join } from 'node:path'
import { setLogLevel, setLogSink } from '../util/log.js'
import { tempNamespace } from '../rootless/testing.js'
import { nativeOverlayWorks, probeCachePath, type OverlayProbeCache } from './probe-overlay.js'

const lines: string[] = []
setLogSink(line => lines.push(line))
setLogLevel('debug')

/** A namespace, store paths in it, and an `enter` that counts how often the probe entered it. */
async function probeSetup(t: Test) {
  const ns = await tempNamespace(t)
  const paths = { root: join(ns.dataDir, 'graph'), runRoot: join(ns.dataDir, 'run') }
  mkdirSync(paths.root, { recursive: true })
  mkdirSync(paths.runRoot, { recursive: true })
  let count = 0
  const enter = async () => {
    count++
    return ns
  }
  return { paths, enter, entered: () => count }
}

t.test('probes once, keeps the answer for its graph root', async t => {
  const { paths, enter, entered } = await probeSetup(t)
  lines.length = 0
  t.same(await nativeOverlayWorks(paths, enter), { ok: true }, 'native rootless overlay works on this machine')
  t.equal(entered(), 1, 'the probe ran in the namespace')
  t.match(lines.join('\n'), /probing native rootless overlay/)
  t.same(readdirSync(join(paths.root, 'tmp')), [], 'the probe directory is gone')
  const cache = JSON.parse(readFileSync(probeCachePath(paths.runRoot), 'utf8')) as OverlayProbeCache
  t.same(cache, { graphRoot: paths.root, kernel: release(), nativeOverlay: { ok: true } }, 'the answer, kept in the run root')

  t.same(await nativeOverlayWorks(paths, enter), { ok: true })
  t.equal(entered(), 1, 'asked again: the cached answer, no second probe')

  // A cached "no" is trusted as well (the e2e tests rely on this to stand for a host without overlay).
  const no: OverlayProbeCache = { ...cache, nativeOverlay: { ok: false, reason: 'planted' } }
  writeFileSync(probeCachePath(paths.runRoot), JSON.stringify(no))
  t.same(await nativeOverlayWorks(paths, enter), { ok: false, reason: 'planted' })
  t.equal(entered(), 1)

  // An answer for another graph root (or a damaged file) is not this one's.
  writeFileSync(probeCachePath(paths.runRoot), JSON.stringify({ ...no, graphRoot: '/elsewhere' }))
  t.same(await nativeOverlayWorks(paths, enter), { ok: true }, 'another graph root: probed again')
  t.equal(entered(), 2)
  writeFileSync(probeCachePath(paths.runRoot), '{"graphRoot": ')
  t.same(await nativeOverlayWorks(paths, enter), { ok: true }, 'a damaged cache: probed again')
  t.equal(entered(), 3)
})

t.test('concurrent first commands probe once', async t => {
  const { paths, enter, entered } = await probeSetup(t)
  const results = await Promise.all([1, 2, 3, 4].map(() => nativeOverlayWorks(paths, enter)))
  t.same(results, [{ ok: true }, { ok: true }, { ok: true }, { ok: true }])
  t.equal(entered(), 1, 'the lock lets one probe run; the others read its answer')
})
