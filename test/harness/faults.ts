/**
 * Damage a real registry's storage, to test how a client handles what a
 * registry serves after disk corruption. Blobs are stored once per registry
 * and shared by every repository that uses them (busybox's layer is also the
 * first layer of `layers` and `multiarch`): damage a fresh registry holding
 * only the image under test. The registry keeps no cache (see registry.ts),
 * so damage is visible on the next request.
 */
import { open, readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises'
import type { RegistryHandle } from './registry.js'

async function existingBlob(registry: Pick<RegistryHandle, 'blobPath'>, digest: string): Promise<string> {
  const path = registry.blobPath(digest)
  try {
    await stat(path)
  } catch {
    throw new Error(`blob ${digest} is not stored in this registry (${path})`)
  }
  return path
}

/**
 * Flips one byte (default: the middle one) in place. Size and headers stay
 * the same; only the content's digest no longer matches → a client must
 * report a digest mismatch (tspod: 'data-loss').
 */
export async function corruptBlob(registry: Pick<RegistryHandle, 'blobPath'>, digest: string, offset?: number): Promise<void> {
  const path = await existingBlob(registry, digest)
  const { size } = await stat(path)
  if (size === 0) throw new Error(`blob ${digest} is empty: nothing to corrupt`)
  const at = offset ?? Math.floor(size / 2)
  const fh = await open(path, 'r+')
  try {
    const byte = Buffer.alloc(1)
    await fh.read(byte, 0, 1, at)
    byte[0] = byte[0]! ^ 0xff
    await fh.write(byte, 0, 1, at)
  } finally {
    await fh.close()
  }
}

/**
 * Cuts the stored blob to `length` bytes (default: half). distribution then
 * serves the short content with a matching Content-Length, so the client
 * sees fewer bytes than the manifest's descriptor promises.
 */
export async function truncateBlob(registry: Pick<RegistryHandle, 'blobPath'>, digest: string, length?: number): Promise<void> {
  const path = await existingBlob(registry, digest)
  const { size } = await stat(path)
  await truncate(path, length ?? Math.floor(size / 2))
}

/** Replaces the stored bytes with `data` (any size): the digest no longer matches. */
export async function replaceBlob(registry: Pick<RegistryHandle, 'blobPath'>, digest: string, data: Buffer): Promise<void> {
  await writeFile(await existingBlob(registry, digest), data)
}

/**
 * Deletes the stored bytes while manifests still reference the blob: the
 * registry answers 404 BLOB_UNKNOWN for it.
 */
export async function deleteBlobData(registry: Pick<RegistryHandle, 'blobPath'>, digest: string): Promise<void> {
  await unlink(await existingBlob(registry, digest))
}

/** The stored bytes of a blob (to compare with what a client wrote). */
export async function readStoredBlob(registry: Pick<RegistryHandle, 'blobPath'>, digest: string): Promise<Buffer> {
  return readFile(await existingBlob(registry, digest))
}
