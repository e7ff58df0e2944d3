/**
 * Tests only: run unpack jobs as root of a user namespace with the full
 * subordinate id map (worker.ts does them there), and collect the results.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Digest } from '../../digest.js'
import { runInUserNamespace } from './userns.js'

export type Job =
  | { op: 'unpack'; blob: string; dest: string; mediaType?: string; expectedDiffId?: Digest }
  /** Mount overlay (userxattr) over `lowers` (top first) and describe the merged tree. */
  | { op: 'overlay'; lowers: string[]; mountpoint: string }
  | { op: 'rm'; path: string }
  | { op: 'id' }

export type JobResult = { ok: true; value: unknown } | { ok: false; code?: string; message: string }

/** A file tree as a map from relative path to a short description. */
export type TreeListing = Record<string, string>

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url))

/** Node flags that let a child run TypeScript: the ones tap gave this process. */
function typescriptFlags(): string[] {
  const flags = process.execArgv.filter(a => a.includes('@tapjs/typescript') || a === '--enable-source-maps')
  if (!flags.some(a => a.includes('@tapjs/typescript'))) {
    flags.push(`--import=${import.meta.resolve('@tapjs/typescript/import')}`)
  }
  return flags
}

export function runJobs(jobs: readonly Job[]): Promise<JobResult[]> {
  return runWorkerJobs(workerPath, jobs)
}

/** Run a TypeScript job worker (`worker FILE`, FILE holding the jobs as JSON) as root of a fully mapped user namespace. */
export async function runWorkerJobs<J, R>(worker: string, jobs: readonly J[]): Promise<R[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tspod-test-jobs-'))
  try {
    const file = join(dir, 'jobs.json')
    writeFileSync(file, JSON.stringify(jobs))
    const r = await runInUserNamespace([process.execPath, ...typescriptFlags(), worker, file])
    if (r.code !== 0) throw new Error(`${worker} failed (exit ${r.code}): ${r.stderr.trim()}`)
    return JSON.parse(r.stdout) as R[]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The value of a job that must have succeeded. */
export function valueOf<T>(result: { ok: boolean; code?: string; message?: string; value?: unknown } | undefined): T {
  if (result === undefined) throw new Error('no result')
  if (!result.ok) throw new Error(`job failed: ${result.code ?? ''} ${result.message}`)
  return result.value as T
}

/** A scratch directory under os.tmpdir(); `remove()` deletes it from inside the namespace (it holds subordinate-owned files). */
export function scratchDir(prefix: string): { path: string; remove: () => Promise<void> } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {
    path,
    remove: async () => {
      const [r] = await runJobs([{ op: 'rm', path }])
      rmSync(path, { recursive: true, force: true })
      valueOf(r)
    },
  }
}

/** A job worker's main: run each job of the file named in argv[2], print the results as JSON. */
export async function serveJobs<J>(run: (job: J) => Promise<unknown>): Promise<void> {
  const { readFileSync } = await import('node:fs')
  const jobs = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as J[]
  const results: unknown[] = []
  for (const job of jobs) {
    try {
      results.push({ ok: true, value: await run(job) })
    } catch (err) {
      const e = err as { code?: string; message?: string }
      results.push({ ok: false, code: e.code, message: e.message ?? String(err) })
    }
  }
  process.stdout.write(JSON.stringify(results))
}
