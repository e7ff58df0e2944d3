/**
 * Layer blobs as stored: a tar, plain or gzip-compressed. The media type is
 * checked first (zstd and unknown types are refused before anything is
 * written); the bytes then decide, as containerd does, since some registries
 * serve plain tars under a gzip media type.
 */
import { Readable, type Transform } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { TspodError } from '../../engine/errors.js'

const TAR_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
])

/** Throws 'unsupported' for a media type this unpacker cannot read. */
export function checkLayerMediaType(mediaType: string): void {
  if (TAR_MEDIA_TYPES.has(mediaType)) return
  if (/zstd$/.test(mediaType)) {
    throw new TspodError('unsupported', `unsupported layer media type "${mediaType}": zstd is not available in Node 20's zlib`)
  }
  throw new TspodError('unsupported', `unsupported layer media type "${mediaType}"`)
}

/** Large inflate chunks: fewer, bigger writes and fewer stream hops per MiB. */
const INFLATE_CHUNK = 1 << 20

/**
 * The decompressor the blob's first bytes call for (none for a plain tar),
 * and a stream that still yields those first bytes.
 */
export async function openLayerStream(input: Readable): Promise<{ stream: Readable; inflate?: Transform }> {
  const { head, stream } = await peek(input, 6)
  if (head[0] === 0x1f && head[1] === 0x8b) return { stream, inflate: createGunzip({ chunkSize: INFLATE_CHUNK }) }
  const compression = head.readUInt32LE(0) === 0xfd2fb528 ? 'zstd'
    : head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) ? 'xz'
    : head.subarray(0, 3).toString('latin1') === 'BZh' ? 'bzip2'
    : undefined
  if (compression !== undefined) {
    input.destroy()
    throw new TspodError('unsupported', `layer is ${compression}-compressed, which tspod cannot decompress`)
  }
  return { stream }
}

/** Read at least `n` bytes (fewer at the end of input) and give them back. */
async function peek(input: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const parts: Buffer[] = []
  let length = 0
  for await (const chunk of input.iterator({ destroyOnReturn: false })) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
    parts.push(buf)
    length += buf.length
    if (length >= n) break
  }
  const head = Buffer.concat(parts, length)
  const padded = length >= n ? head : Buffer.concat([head, Buffer.alloc(n - length)])
  if (length >= n) {
    input.unshift(head)
    return { head: padded, stream: input }
  }
  // The input ended: it cannot take the bytes back.
  return { head: padded, stream: Readable.from(length > 0 ? [head] : [], { objectMode: false }) }
}
