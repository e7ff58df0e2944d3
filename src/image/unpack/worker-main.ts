/**
 * The unpack worker's entry (dist/unpack-worker.mjs), started by the engine
 * through tspod-nsexec so that it runs as root of tspod's user namespace.
 * Jobs run concurrently; each answer carries its request's id.
 */
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { TspodError } from '../../engine/errors.js'
import { unpackLayer } from './unpack.js'
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js'

function answer(res: WorkerResponse): void {
  process.stdout.write(JSON.stringify(res) + '\n')
}

async function handle(req: WorkerRequest): Promise<void> {
  try {
    if (req.op === 'unpack') {
      const result = await unpackLayer(createReadStream(req.blob, { highWaterMark: 1 << 20 }), req.dest, {
        mediaType: req.mediaType,
        expectedDiffId: req.diffId,
      })
      answer({ id: req.id, ok: true, diffId: result.diffId, size: result.size, warnings: result.warnings })
    } else {
      await Promise.all(req.paths.map(p => rm(p, { recursive: true, force: true })))
      answer({ id: req.id, ok: true })
    }
  } catch (err) {
    const code = err instanceof TspodError ? err.code : 'internal'
    answer({ id: req.id, ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } })
  }
}

const lines = createInterface({ input: process.stdin })
lines.on('line', line => {
  if (line.trim() === '') return
  void handle(JSON.parse(line) as WorkerRequest)
})
