/**
 * Where tspod keeps things. Data (images, layers, container records) lives in
 * the graph root, `$XDG_DATA_HOME/tspod` (default ~/.local/share/tspod).
 * Runtime files (pause process, runc state, shim sockets) live in the run root,
 * `$XDG_RUNTIME_DIR/tspod`; without a login session (su -, cron, ssh without
 * pam_systemd) there is no XDG_RUNTIME_DIR, so a private directory under the
 * temp dir takes its place, checked to be ours and not a symlink.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir, userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { TspodError } from './errors.js'
import { log } from '../util/log.js'

export interface StorePaths {
  /** Graph root: images, layers, containers (persistent). */
  root: string
  /** Run root: state that is meaningless after a reboot. */
  runRoot: string
}

export interface PathOverrides {
  root?: string
  runRoot?: string
}

type Env = Record<string, string | undefined>

export function defaultGraphRoot(env: Env = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share')
  return join(dataHome, 'tspod')
}

/** The runtime dir for the current user, creating the fallback if needed. */
export function defaultRunRoot(env: Env = process.env, uid = process.getuid?.() ?? 0): string {
  const xdg = env.XDG_RUNTIME_DIR
  if (xdg && isOwnedDir(xdg, uid)) return join(xdg, 'tspod')
  if (xdg) log.debug(`XDG_RUNTIME_DIR=${xdg} is not a directory owned by uid ${uid}; using a private fallback`)
  return privateTempDir(`tspod-run-${uid}`, uid)
}

export function resolveStorePaths(overrides: PathOverrides = {}, env: Env = process.env): StorePaths {
  return {
    root: resolve(overrides.root ?? env.TSPOD_ROOT ?? defaultGraphRoot(env)),
    runRoot: resolve(overrides.runRoot ?? env.TSPOD_RUNROOT ?? defaultRunRoot(env)),
  }
}

function isOwnedDir(path: string, uid: number): boolean {
  try {
    const st = lstatSync(path)
    return st.isDirectory() && st.uid === uid
  } catch {
    return false
  }
}

/** /tmp/NAME, mode 0700, owned by `uid`; refuses anything another user could have planted. */
function privateTempDir(name: string, uid: number): string {
  const dir = join(tmpdir(), name)
  try {
    mkdirSync(dir, { mode: 0o700 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const st = lstatSync(dir)
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new TspodError(
      'permission-denied',
      `${dir} is not a private directory owned by ${userInfo().username}: remove it or set XDG_RUNTIME_DIR`,
    )
  }
  return dir
}

/**
 * Runtime state written before a reboot describes processes that no longer
 * exist. The run root remembers the boot it belongs to; on a new boot its
 * contents are dropped (records in the graph root are reconciled separately).
 */
export function ensureRunRoot(runRoot: string): void {
  mkdirSync(runRoot, { recursive: true, mode: 0o700 })
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  const marker = join(runRoot, 'boot-id')
  let recorded: string | undefined
  try {
    recorded = readFileSync(marker, 'utf8').trim()
  } catch {}
  if (recorded === bootId) return
  if (recorded !== undefined) {
    log.debug(`run root ${runRoot} is from an earlier boot; clearing it`)
    for (const entry of readdirSync(runRoot)) rmSync(join(runRoot, entry), { recursive: true, force: true })
  }
  writeFileSync(marker, bootId + '\n')
}
