/**
 * Does native rootless overlay work here? Asked the only reliable way: by
 * mounting a tiny overlay with `userxattr` in tspod's namespace, on the graph
 * root's file system (user xattrs and whiteouts depend on it), and checking
 * that a whiteout and an opaque directory in a lower layer hide what they
 * should and that the upper layer takes a write and a delete. The answer is
 * kept in the run root, which is emptied at every boot (a new kernel), so
 * one probe serves every command until then.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import { join } from 'node:path'
import { lsetxattr } from '../../native-bindings/fs.js'
import type { StorePaths } from '../engine/paths.js'
import { runInUserNamespace, type UserNamespace } from '../rootless/userns.js'
import { readJsonSync, writeJsonAtomicSync } from '../util/atomic.js'
import { withLock } from '../util/lock.js'
import { log } from '../util/log.js'

export interface OverlayProbe {
  ok: boolean
  /** Why not, in a few words (the mount's error, or what the merged view got wrong). */
  reason?: string
}

/** What the run root remembers: the answer for one graph root. */
export interface OverlayProbeCache {
  graphRoot: string
  kernel: string
  nativeOverlay: OverlayProbe
}

export function probeCachePath(runRoot: string): string {
  return join(runRoot, 'storage-probe.json')
}

/** The cached answer for this graph root, or a new probe (one at a time per run root). */
export async function nativeOverlayWorks(paths: StorePaths, ns: () => Promise<UserNamespace>): Promise<OverlayProbe> {
  const cached = readCache(paths)
  if (cached) return cached
  return withLock(join(paths.runRoot, 'storage-probe.lock'), async () => {
    const again = readCache(paths)
    if (again) return again
    log.debug(`storage: probing native rootless overlay under ${paths.root}`)
    const result = await probeNativeOverlay(paths.root, await ns())
    log.debug(`storage: native overlay ${result.ok ? 'works' : `does not work: ${result.reason}`}`)
    const entry: OverlayProbeCache = { graphRoot: paths.root, kernel: release(), nativeOverlay: result }
    writeJsonAtomicSync(probeCachePath(paths.runRoot), entry)
    return result
  })
}

function readCache(paths: StorePaths): OverlayProbe | undefined {
  try {
    const c = readJsonSync<OverlayProbeCache>(probeCachePath(paths.runRoot))
    if (c && c.graphRoot === paths.root && c.kernel === release() && typeof c.nativeOverlay?.ok === 'boolean') {
      log.debug(`storage: native overlay probe result from ${probeCachePath(paths.runRoot)}`)
      return c.nativeOverlay
    }
  } catch {
    // unreadable or half-written by a crashed tspod: probe again
  }
  return undefined
}

/**
 * The probe, in the namespace: make the whiteout (a 0/0 device), mount, look,
 * write, delete, unmount, clean up. One line per step on stdout.
 */
const PROBE_SCRIPT = `
cd "$1" || exit 1
probe() {
  mknod l2/gone c 0 0 || return 1
  mount -t overlay overlay -o lowerdir=l2:l1,upperdir=upper,workdir=work,userxattr merged || return 1
  echo "view: $(ls -A merged | tr '\\n' ' ')/ $(ls -A merged/d | tr '\\n' ' ')"
  echo x > merged/written && rm merged/d/new && echo "after: $(ls -A merged/d | tr '\\n' ' ')"
  umount merged
}
probe
status=$?
umount -l merged 2>/dev/null
cd / && rm -rf "$1"
exit $status
`
const EXPECTED = 'view: d / new \nafter: \n'

async function probeNativeOverlay(graphRoot: string, ns: UserNamespace): Promise<OverlayProbe> {
  const parent = join(graphRoot, 'tmp')
  mkdirSync(parent, { recursive: true, mode: 0o700 })
  const dir = mkdtempSync(join(parent, 'overlay-probe-'))
  let r
  try {
    // Lower l1: gone, d/old. Lower l2 (on top): a whiteout for gone (made in
    // the namespace), an opaque d holding new.
    for (const d of ['l1/d', 'l2/d', 'upper', 'work', 'merged']) mkdirSync(join(dir, d), { recursive: true })
    writeFileSync(join(dir, 'l1/gone'), 'hidden by a whiteout\n')
    writeFileSync(join(dir, 'l1/d/old'), 'hidden by an opaque directory\n')
    writeFileSync(join(dir, 'l2/d/new'), 'new\n')
    try {
      lsetxattr(join(dir, 'l2/d'), 'user.overlay.opaque', Buffer.from('y'))
    } catch (err) {
      return { ok: false, reason: `the graph root's file system does not take user extended attributes (${(err as NodeJS.ErrnoException).code})` }
    }
    r = await runInUserNamespace(ns, 'sh', ['-c', PROBE_SCRIPT, 'sh', dir], { reject: false })
  } finally {
    // The script removes the directory itself; this covers the steps before it.
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch (err) {
      log.debug(`storage: leaving ${dir}: ${(err as Error).message}`)
    }
  }
  if (r.exitCode === 0 && r.stdout === EXPECTED) return { ok: true }
  if (r.exitCode !== 0) {
    const detail = r.stderr.trim().split('\n').pop()?.replace(/^mount: /, '') ?? ''
    return { ok: false, reason: detail || `the probe failed (exit status ${r.exitCode})` }
  }
  return { ok: false, reason: `the merged view is wrong (${r.stdout.trim().replace(/\n/g, '; ')}): rootless whiteouts or opaque directories are not honoured` }
}
