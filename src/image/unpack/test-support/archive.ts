/**
 * Tests only: layer tars built with tar-stream's pack, plus the few header
 * kinds pack cannot write (GNU long names, byte-exact PAX records).
 */
import { createHash } from 'node:crypto'
import { pack, type Header } from 'tar-stream'
import type { Digest } from '../../digest.js'

export interface TarEntry extends Partial<Omit<Header, 'type'>> {
  name: string
  type?: Header['type']
  data?: string | Buffer
}

/** Blocks written as they are (see gnuLongName, paxHeader). */
export interface RawBlocks {
  raw: Buffer
}

const END_OF_ARCHIVE = 1024
const MTIME = new Date('2024-05-06T07:08:09Z')

/** A tar of `items` in order. Entries default to mode 0644/0755, owner 0:0, one fixed mtime. */
export async function tarOf(items: ReadonlyArray<TarEntry | RawBlocks>): Promise<Buffer> {
  const parts: Buffer[] = []
  let batch: TarEntry[] = []
  const flush = async () => {
    if (batch.length === 0) return
    const packed = await packEntries(batch)
    parts.push(packed.subarray(0, packed.length - END_OF_ARCHIVE))
    batch = []
  }
  for (const item of items) {
    if ('raw' in item) {
      await flush()
      parts.push(item.raw)
    } else batch.push(item)
  }
  await flush()
  parts.push(Buffer.alloc(END_OF_ARCHIVE))
  return Buffer.concat(parts)
}

async function packEntries(entries: readonly TarEntry[]): Promise<Buffer> {
  const p = pack()
  const out: Buffer[] = []
  const collected = (async () => {
    for await (const chunk of p) out.push(chunk as Buffer)
  })()
  for (const { data, ...header } of entries) {
    const type = header.type ?? 'file'
    const full = {
      mode: type === 'directory' ? 0o755 : 0o644,
      uid: 0,
      gid: 0,
      mtime: MTIME,
      ...header,
      type,
    } as Header
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve())
      if (data !== undefined) p.entry(full, data, cb)
      else p.entry(full, cb)
    })
  }
  p.finalize()
  await collected
  return Buffer.concat(out)
}

/** PAX records (`LEN key=value\n`), byte-exact: values may be binary. */
export function paxRecords(records: ReadonlyArray<readonly [string, string | Buffer]>): Buffer {
  return Buffer.concat(
    records.map(([key, value]) => {
      const body = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')])
      let len = body.length + 1
      while (String(len).length + body.length !== len) len = String(len).length + body.length
      return Buffer.concat([Buffer.from(String(len)), body])
    }),
  )
}

/** A PAX extended header ('x') applying to the next entry. */
export function paxHeader(records: ReadonlyArray<readonly [string, string | Buffer]>): RawBlocks {
  return rawEntry('PaxHeaders.0/entry', 'x', paxRecords(records), 'ustar')
}

/** A GNU `././@LongLink` block naming the next entry (pack only writes PAX for long names). */
export function gnuLongName(name: string): RawBlocks {
  return rawEntry('././@LongLink', 'L', Buffer.from(name + '\0'), 'gnu')
}

/** One header block and its padded data, for entry kinds pack does not write. */
export function rawEntry(name: string, typeflag: string, data: Buffer, format: 'ustar' | 'gnu'): RawBlocks {
  const header = Buffer.alloc(512)
  header.write(name, 0, 'latin1')
  header.write('0000644\0', 100, 'latin1')
  header.write('0000000\0', 108, 'latin1')
  header.write('0000000\0', 116, 'latin1')
  header.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1')
  header.write('00000000000\0', 136, 'latin1')
  header.write(typeflag, 156, 'latin1')
  header.write(format === 'gnu' ? 'ustar  \0' : 'ustar\x0000', 257, 'latin1')
  header.fill(0x20, 148, 156) // the checksum counts its own field as spaces
  let sum = 0
  for (const byte of header) sum += byte
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512)
  data.copy(padded)
  return { raw: Buffer.concat([header, padded]) }
}

export function sha256Of(data: Buffer): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}
