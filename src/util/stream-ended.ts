import type { Readable } from 'node:stream'

/** Settles when `stream` has ended, closed or failed: however its data stopped. */
export function ended(stream: Readable): Promise<void> {
  return new Promise(resolve => {
    if (stream.readableEnded || stream.destroyed) return resolve()
    stream.once('end', resolve)
    stream.once('close', resolve)
    stream.once('error', () => resolve())
  })
}
