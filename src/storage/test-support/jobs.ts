/**
 * Tests only: storage-driver jobs run as root of a user namespace with the
 * full subordinate id map (worker.ts does them there), as tspod's shim runs.
 */
import { fileURLToPath } from 'node:url'
import type { RootfsSpec } from '../driver.js'
import { runWorkerJobs } from '../../image/unpack/test-support/jobs.js'
export { valueOf } from '../../image/unpack/test-support/jobs.js'

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

export function runJobs(jobs: readonly Job[]): Promise<JobResult[]> {
  return runWorkerJobs(workerPath, jobs)
}
