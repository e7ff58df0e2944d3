/**
 * A file read while another party is still writing it: a download in
 * progress. The writer announces how many bytes are on disk (`grow`); the
 * reader reads up to there in large pieces and waits for more, until the
 * announced total has been read. The bytes never travel twice: the writer
 * puts them in the page cache, the reader takes them from there.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'

const READ_BYTES = 1 << 20

export class GrowingFile {
  private available = 0
  private failure: Error | undefined
  private wake: (() => void) | undefined

  constructor(
    private path: string,
    readonly total: number,
  ) {}

  /**
   * The writer renamed the file (a download's temp file committed into the
   * store). A reader that already opened it keeps reading the same file.
   */
  moved(path: string): void {
    this.path = path
    this.wake?.()
  }

  /** Open the file, following a rename that may race with the first open. */
  private async openFile(): Promise<FileHandle> {
    for (;;) {
      const tried = this.path
      try {
        return await open(tried, 'r')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
        if (this.path !== tried) continue // renamed meanwhile: open the new name
        if (this.failure) throw this.failure
        await this.waitForMore()
      }
    }
  }

  /** `bytes` are now on disk (a running total). */
  grow(bytes: number): void {
    this.available = Math.max(this.available, Math.min(bytes, this.total))
    this.wake?.()
  }

  /** Every byte has been announced: the writer's part is done. */
  get complete(): boolean {
    return this.available >= this.total
  }

  /**
   * The writer gave up: the reader fails with `err`. Once every byte was
   * announced, a reader that has the file open reads on (the bytes are on
   * disk); one that has not opened it yet fails, since the writer may have
   * deleted it (a download that failed its digest check).
   */
  fail(err: Error): void {
    this.failure ??= err
    this.wake?.()
  }

  private waitForMore(): Promise<void> {
    return new Promise(resolve => (this.wake = resolve))
  }

  stream(): Readable {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const file = this
    async function* chunks(): AsyncGenerator<Buffer> {
      let fh: FileHandle | undefined
      try {
        fh = await file.openFile()
        let offset = 0
        while (offset < file.total) {
          if (file.failure && !file.complete) throw file.failure
          if (offset >= file.available) {
            await file.waitForMore()
            continue
          }
          const want = Math.min(READ_BYTES, file.available - offset)
          const buf = Buffer.allocUnsafe(want)
          const { bytesRead } = await fh.read(buf, 0, want, offset)
          if (bytesRead === 0) throw new Error(`${file.path}: the file ended at ${offset} of ${file.total} announced bytes`)
          offset += bytesRead
          yield bytesRead === want ? buf : buf.subarray(0, bytesRead)
        }
      } finally {
        await fh?.close()
      }
    }
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 2 * READ_BYTES })
  }
}
