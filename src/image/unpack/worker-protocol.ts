/**
 * Messages between the engine and the unpack worker, a Node process that runs
 * inside tspod's user namespace (where it may chown to subordinate ids) and
 * unpacks layer blobs the engine has already verified. Newline-delimited JSON
 * on the worker's stdin and stdout.
 */
import type { Digest } from '../digest.js'
import type { ErrorCode } from '../../engine/errors.js'

export type WorkerRequest =
  | { id: number; op: 'unpack'; blob: string; mediaType: string; dest: string; diffId: Digest }
  | { id: number; op: 'remove'; paths: string[] }

export type WorkerResponse =
  | { id: number; ok: true; diffId?: Digest; size?: number; warnings?: string[] }
  | { id: number; ok: false; error: { code: ErrorCode; message: string } }
