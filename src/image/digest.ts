import { createHash } from 'node:crypto'
import { InvalidArgumentError } from '../engine/errors.js'

/** An OCI content digest, `algorithm:hex`. Only sha256 (and sha512) are accepted. */
export type Digest = `${string}:${string}`

const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/

export function isDigest(value: string): value is Digest {
  return DIGEST_RE.test(value)
}

export function parseDigest(value: string): Digest {
  if (!isDigest(value)) throw new InvalidArgumentError(`invalid digest "${value}"`)
  return value
}

export function digestAlgorithm(digest: Digest): 'sha256' | 'sha512' {
  return digest.slice(0, digest.indexOf(':')) as 'sha256' | 'sha512'
}

export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1)
}

export function sha256(data: string | Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/**
 * Chain ID of a layer stack (OCI image spec): chain(L0) = diffID(L0),
 * chain(Ln) = sha256(chain(Ln-1) + " " + diffID(Ln)). Layers are keyed by it.
 */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = []
  for (const diffId of diffIds) {
    const prev = out[out.length - 1]
    out.push(prev === undefined ? diffId : sha256(`${prev} ${diffId}`))
  }
  return out
}
