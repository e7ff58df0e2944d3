/**
 * Unpacks one image layer into its own directory, in the form rootless
 * overlayfs (`-o userxattr`) stacks: whiteouts become 0/0 character devices,
 * opaque directories get `user.overlay.opaque=y`. Layers are unpacked
 * independently, so nothing here looks at other layers.
 *
 * Runs as root of tspod's user namespace (so any mapped owner can be set),
 * which also gives it power over the user's own files: the containment rules
 * in entry-name.ts, layer-tree.ts and entry-writer.ts are the boundary.
 *
 * The diff_id is the sha256 of the uncompressed stream, computed while the
 * entries are written; a mismatch is reported after extraction, and the
 * caller deletes the directory (as on any error).
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, realpathSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { isTspodError, TspodError } from '../../engine/errors.js'
import type { Digest } from '../digest.js'
import { checkLayerMediaType, openLayerStream } from './decompress.js'
import { EntryWriter } from './entry-writer.js'
import { LayerTree } from './layer-tree.js'
import { createLayerExtract, toLayerEntry } from './tar-entry.js'
import { UnpackWarnings } from './warnings.js'

export interface UnpackOptions {
  /** The layer descriptor's media type: zstd and unknown types are refused up front. */
  mediaType?: string
  /** diff_id from the image config (sha256 of the uncompressed tar). */
  expectedDiffId?: Digest
}

export interface UnpackResult {
  /** sha256 of the uncompressed tar stream. */
  diffId: Digest
  /** Bytes of the uncompressed tar stream. */
  size: number
  /** What could not be reproduced (devices, unmapped owners, xattrs), a line each. */
  warnings: string[]
}

/**
 * Unpack the layer blob `input` (a tar, plain or gzip) into `destDir`, which
 * must be absent or empty. On error `destDir` holds a partial layer.
 */
export async function unpackLayer(input: Readable, destDir: string, options: UnpackOptions = {}): Promise<UnpackResult> {
  if (options.mediaType !== undefined) {
    try {
      checkLayerMediaType(options.mediaType)
    } catch (err) {
      input.destroy()
      throw err
    }
  }
  const root = prepareDestination(destDir, input)
  const what = options.expectedDiffId ? `layer ${options.expectedDiffId}` : 'layer'

  const { stream, inflate } = await openLayerStream(input)
  const extract = createLayerExtract()
  const hash = createHash('sha256')
  let size = 0
  let current = '' // the entry being written, for error messages
  // The pipeline passes a failure on to the other stages (as aborts, or as
  // the same error): the stage that reported first is where it happened.
  let failure: { stage: 'input' | 'inflate' | 'tar'; err: unknown } | undefined
  const watch = (stage: 'input' | 'inflate' | 'tar') => (err: unknown) => {
    if (!isKnockOn(err)) failure ??= { stage, err }
  }
  stream.on('error', watch('input'))
  inflate?.on('error', watch('inflate'))
  extract.on('error', watch('tar'))

  const feed = async (source: AsyncIterable<Buffer>) => {
    try {
      for await (const chunk of source) {
        hash.update(chunk)
        size += chunk.length
        if (!extract.write(chunk)) await writable(extract)
      }
      extract.end(undefined)
      await finished(extract)
    } catch (err) {
      extract.destroy() // wakes the entry loop; the cause is recorded above
      throw err
    }
  }
  const feeding = inflate ? pipeline(stream, inflate, feed) : pipeline(stream, feed)

  const tree = new LayerTree(root)
  const warnings = new UnpackWarnings()
  const writer = new EntryWriter(tree, warnings)
  const consuming = (async () => {
    for await (const body of extract) {
      current = body.header.name
      await writer.write(toLayerEntry(body.header), body as AsyncIterable<Uint8Array>)
    }
    current = ''
  })()

  const [fed, consumed] = await Promise.allSettled([feeding, consuming])
  // A refusal (hostile or unsupported entry) says the most.
  if (consumed.status === 'rejected' && isTspodError(consumed.reason)) throw consumed.reason
  // The caller's input failed (a read error): theirs to describe.
  if (failure?.stage === 'input') throw failure.err
  if (failure !== undefined) {
    throw new TspodError('data-loss', `${what} is truncated or corrupt: ${message(failure.err)}`, { cause: failure.err })
  }
  if (consumed.status === 'rejected') {
    const err = consumed.reason
    throw new TspodError('internal', `unpacking ${what}${current ? `, entry "${current}"` : ''}: ${message(err)}`, { cause: err })
  }
  if (fed.status === 'rejected') throw fed.reason

  tree.finish()
  const diffId: Digest = `sha256:${hash.digest('hex')}`
  if (options.expectedDiffId !== undefined && diffId !== options.expectedDiffId) {
    throw new TspodError('data-loss', `layer diff ID mismatch: expected ${options.expectedDiffId}, got ${diffId}`)
  }
  return { diffId, size, warnings: warnings.list() }
}

/** Create `destDir` if needed; refuse one with content (the layer must be alone in it). */
function prepareDestination(destDir: string, input: Readable): string {
  try {
    mkdirSync(destDir, { recursive: true, mode: 0o755 })
    if (readdirSync(destDir).length > 0) {
      throw new TspodError('failed-precondition', `layer directory ${destDir} is not empty`)
    }
    return realpathSync(destDir)
  } catch (err) {
    input.destroy()
    throw err
  }
}

class ExtractClosed extends Error {
  constructor() {
    super('tar extractor closed')
  }
}

/** An error that only passes on another stage's failure. */
function isKnockOn(err: unknown): boolean {
  return err === undefined || err instanceof ExtractClosed || (err as Error | null)?.name === 'AbortError'
}

interface EventSource {
  destroyed: boolean
  once(event: string, fn: (...args: unknown[]) => void): unknown
  off(event: string, fn: (...args: unknown[]) => void): unknown
}

/** Resolves on `resolveOn`; rejects when the stream closes first. */
function waitFor(stream: EventSource, resolveOn: 'drain' | 'finish'): Promise<void> {
  if (stream.destroyed) return Promise.reject(new ExtractClosed())
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off(resolveOn, done)
      stream.off('close', closed)
      resolve()
    }
    const closed = () => {
      stream.off(resolveOn, done)
      stream.off('close', closed)
      reject(new ExtractClosed())
    }
    stream.once(resolveOn, done)
    stream.once('close', closed)
  })
}

const writable = (stream: EventSource) => waitFor(stream, 'drain')
const finished = (stream: EventSource) => waitFor(stream, 'finish')

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
