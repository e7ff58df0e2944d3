/**
 * Content store: blobs (layers, configs, manifests) addressed by digest.
 *
 * Vocabulary (after containerd's content store): a blob is *ingested* through a
 * writer that streams into `ingest/`, hashing as it goes; `commit()` checks the
 * size and digest, fsyncs and renames into `blobs/ALG/HEX`. Nothing partial is
 * ever visible under `blobs/`, so a pull killed half-way leaves only temp files
 * in `ingest/`, which the next writer for the same digest is free to ignore.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto'
import { createReadStream, writeSync, type ReadStream } from 'node:fs'
import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { TspodError } from '../../engine/errors.js'
import { digestAlgorithm, digestHex, type Digest } from '../digest.js'
import { readdirOrEmpty } from '../../util/fs.js'

export interface BlobInfo {
  digest: Digest
  size: number
}

export interface ContentProvider {
  /** Size of a committed blob, or undefined when absent. */
  info(digest: Digest): Promise<BlobInfo | undefined>
  read(digest: Digest): Promise<Buffer>
  readStream(digest: Digest): ReadStream
  /** Path of a committed blob (for readers that want a file). */
  blobPath(digest: Digest): string
}

export interface ContentWriter {
  write(chunk: Uint8Array): Promise<void>
  readonly written: number
  /** The file being written, for readers that follow a download (see GrowingFile). */
  readonly ingestPath: string
  /** Verify size (when known) and digest, then make the blob visible. */
  commit(): Promise<BlobInfo>
  abort(): Promise<void>
}

export interface ContentIngester {
  writer(expected: Digest, expectedSize?: number): Promise<ContentWriter>
}

export interface ContentDeleter {
  delete(digest: Digest): Promise<void>
  list(): Promise<Digest[]>
}

export type ContentStore = ContentProvider & ContentIngester & ContentDeleter

export class DigestMismatchError extends TspodError {
  constructor(readonly expected: Digest, readonly actual: string, what = 'blob') {
    super('data-loss', `${what} digest mismatch: expected ${expected}, got ${actual}`)
  }
}

export class SizeMismatchError extends TspodError {
  constructor(readonly digest: Digest, readonly expectedSize: number, readonly actualSize: number) {
    super(
      'data-loss',
      actualSize < expectedSize
        ? `blob ${digest} is truncated: got ${actualSize} of ${expectedSize} bytes`
        : `blob ${digest} is larger than its descriptor says: ${actualSize} > ${expectedSize} bytes`,
    )
  }
}

export class LocalContentStore implements ContentStore {
  constructor(readonly root: string) {}

  blobPath(digest: Digest): string {
    return join(this.root, 'blobs', digestAlgorithm(digest), digestHex(digest))
  }

  async info(digest: Digest): Promise<BlobInfo | undefined> {
    try {
      const st = await stat(this.blobPath(digest))
      return { digest, size: st.size }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
  }

  read(digest: Digest): Promise<Buffer> {
    return readFile(this.blobPath(digest))
  }

  readStream(digest: Digest): ReadStream {
    return createReadStream(this.blobPath(digest))
  }

  async writer(expected: Digest, expectedSize?: number): Promise<ContentWriter> {
    const ingestDir = join(this.root, 'ingest')
    await mkdir(ingestDir, { recursive: true, mode: 0o700 })
    const tmp = join(ingestDir, `${digestHex(expected)}-${randomBytes(4).toString('hex')}`)
    const fh = await open(tmp, 'wx', 0o644)
    return new LocalWriter(fh, tmp, this.blobPath(expected), expected, expectedSize)
  }

  async delete(digest: Digest): Promise<void> {
    await unlink(this.blobPath(digest)).catch(err => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    })
  }

  /**
   * Delete every file in ingest/: downloads a killed process never finished.
   * Only while no writer can be open (the caller holds the layer lock exclusively).
   */
  async clearIngest(): Promise<void> {
    const dir = join(this.root, 'ingest')
    const names = await readdirOrEmpty(dir)
    await Promise.all(names.map(n => unlink(join(dir, n)).catch(() => {})))
  }

  async list(): Promise<Digest[]> {
    const out: Digest[] = []
    for (const alg of ['sha256', 'sha512']) {
      for (const n of await readdirOrEmpty(join(this.root, 'blobs', alg))) out.push(`${alg}:${n}`)
    }
    return out
  }
}

class LocalWriter implements ContentWriter {
  private readonly hash: Hash
  written = 0
  private done = false

  constructor(
    private readonly fh: FileHandle,
    readonly ingestPath: string,
    private readonly target: string,
    private readonly expected: Digest,
    private readonly expectedSize: number | undefined,
  ) {
    this.hash = createHash(digestAlgorithm(expected))
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.written += chunk.length
    if (this.expectedSize !== undefined && this.written > this.expectedSize) {
      await this.abort()
      throw new SizeMismatchError(this.expected, this.expectedSize, this.written)
    }
    this.hash.update(chunk)
    // Synchronous: a write into the page cache costs less than the thread-pool
    // round trip of an asynchronous one, and a download issues thousands.
    writeSync(this.fh.fd, chunk)
  }

  async commit(): Promise<BlobInfo> {
    if (this.expectedSize !== undefined && this.written !== this.expectedSize) {
      await this.abort()
      throw new SizeMismatchError(this.expected, this.expectedSize, this.written)
    }
    const actual = `${digestAlgorithm(this.expected)}:${this.hash.digest('hex')}`
    if (actual !== this.expected) {
      await this.abort()
      throw new DigestMismatchError(this.expected, actual)
    }
    await this.fh.sync()
    await this.fh.close()
    this.done = true
    const dir = join(this.target, '..')
    await mkdir(dir, { recursive: true })
    await rename(this.ingestPath, this.target)
    return { digest: this.expected, size: this.written }
  }

  async abort(): Promise<void> {
    if (this.done) return
    this.done = true
    await this.fh.close().catch(() => {})
    await unlink(this.ingestPath).catch(() => {})
  }
}
