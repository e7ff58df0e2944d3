/**
 * Tests only: storage-driver jobs run as root of a user namespace with the
 * full subordinate id map (worker.ts does them there), as tspod's shim runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RootfsSpec } from '../driver.js'
import { runInUserNamespace } from '../../image/unpack/test-support/userns.js'

export type Job =
  | { op: 'unpack'; blob: string; dest: string }
  /** Mount `spec` with its driver, describe the tree at its target, unmount. */
  | { op: 'view'; spec: RootfsSpec }
  | { op: 'rm'; path: string }

export type JobResult = { ok: true; value: unknown } | { ok: false; code?: string; message: string }

/** A view: path -> "type mode uid:gid mtime [content|target] [xattrs] [link=first name]", plus what was mounted. */
export interface ViewResult {
  mountType: string | undefined
  mountedAfterUnmount: boolean
  tree: Record<string, string>
}

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url))

/** Node flags that let a child run TypeScript: the ones tap gave this process. */
function typescriptFlags(): string[] {
  const flags = process.execArgv.filter(a => a.includes('@tapjs/typescript') || a === '--enable-source-maps')
  if (!flags.some(a => a.includes('@tapjs/typescript'))) flags.push(`--import=${import.meta.resolve('@tapjs/typescript/import')}`)
  return flags
}

export async function runJobs(jobs: readonly Job[]): Promise<JobResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tspod-storage-jobs-'))
  try {
    const file = join(dir, 'jobs.json')
    writeFileSync(file, JSON.stringify(jobs))
    const r = await runInUserNamespace([process.execPath, ...typescriptFlags(), workerPath, file])
    if (r.code !== 0) throw new Error(`storage worker failed (exit ${r.code}): ${r.stderr.trim()}`)
    return JSON.parse(r.stdout) as JobResult[]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function valueOf<T>(result: JobResult | undefined): T {
  if (result === undefined) throw new Error('no result')
  if (!result.ok) throw new Error(`job failed: ${result.code ?? ''} ${result.message}`)
  return result.value as T
}
