/**
 * The exit code of a `--rm` container outlives its record: the shim writes
 * it to `RUNROOT/exits/ID` before removing the container, so a `wait` that
 * was waiting on it still learns how it ended (podman keeps them likewise).
 * Files older than a few minutes are pruned after a new one is written.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../../util/atomic.js'

const KEEP_MS = 5 * 60_000

function exitsDir(runRoot: string): string {
  return join(runRoot, 'exits')
}

export function writeExitCode(runRoot: string, id: string, exitCode: number): void {
  const dir = exitsDir(runRoot)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  // No fsync: the run root does not outlive a reboot anyway.
  writeFileAtomicSync(join(dir, id), `${exitCode}\n`, 0o600, false)
}

/** Forget exit codes no `wait` can still be waiting for. */
export function pruneExitCodes(runRoot: string): void {
  const dir = exitsDir(runRoot)
  const now = Date.now()
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    try {
      if (now - statSync(join(dir, name)).mtimeMs > KEEP_MS) rmSync(join(dir, name), { force: true })
    } catch {
      // removed meanwhile by another shim
    }
  }
}

/** The recorded exit code of a removed container, if it is still kept. */
export function readExitCode(runRoot: string, id: string): number | undefined {
  try {
    const code = Number.parseInt(readFileSync(join(exitsDir(runRoot), id), 'utf8'), 10)
    return Number.isInteger(code) ? code : undefined
  } catch {
    return undefined
  }
}
