/**
 * For commands that start a container, the shim is started first thing, so
 * its Node start-up runs beside the CLI's work (loading the command, creating
 * the container, building the bundle) instead of after it. If the command
 * fails before it needs the shim, the shim is told to exit.
 */
import type { GlobalFlags } from './base.js'
import { ensureRunRoot, resolveStorePaths } from '../engine/paths.js'
import { loadIdMaps } from '../rootless/idmap.js'
import { PendingShim } from '../engine/containers/shim-launcher.js'
import { join } from 'node:path'

export async function prestartShim(split: { globals: GlobalFlags; rest: string[] }): Promise<PendingShim | undefined> {
  // A --runroot after the command name is only known once the command parses: no head start then.
  if (split.rest.some(a => a === '--runroot' || a.startsWith('--runroot='))) return undefined
  try {
    const paths = resolveStorePaths({ root: split.globals.root, runRoot: split.globals.runRoot })
    ensureRunRoot(paths.runRoot)
    const maps = await loadIdMaps()
    return PendingShim.spawn({ pauseDir: paths.runRoot, maps }, join(paths.runRoot, 'shim-logs'))
  } catch {
    // The command itself will meet (and report) whatever failed here.
    return undefined
  }
}
