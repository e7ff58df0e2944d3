import t from 'tap'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { checkLayerMediaType, openLayerStream } from './decompress.js'

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(parts)
}

t.test('media types', async t => {
  for (const type of [
    'application/vnd.oci.image.layer.v1.tar',
    'application/vnd.oci.image.layer.v1.tar+gzip',
    'application/vnd.docker.image.rootfs.diff.tar.gzip',
    'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ]) {
    t.doesNotThrow(() => checkLayerMediaType(type), type)
  }
  t.throws(() => checkLayerMediaType('application/vnd.oci.image.layer.v1.tar+zstd'), {
    code: 'unsupported',
    message: 'unsupported layer media type "application/vnd.oci.image.layer.v1.tar+zstd": zstd is not available in Node 20\'s zlib',
  })
  t.throws(() => checkLayerMediaType('text/plain'), { code: 'unsupported', message: /"text\/plain"/ })
})

t.test('the bytes choose the decompressor, and none are lost', async t => {
  const data = Buffer.alloc(100_000, 'tar bytes ')
  const chunks = (buf: Buffer) => Readable.from([buf.subarray(0, 1), buf.subarray(1, 3), buf.subarray(3)], { objectMode: false })

  const gz = await openLayerStream(chunks(gzipSync(data)))
  t.ok(gz.inflate, 'gzip magic found across small chunks')
  t.ok((await collect(gz.stream.pipe(gz.inflate!))).equals(data))

  const plain = await openLayerStream(chunks(data))
  t.notOk(plain.inflate)
  t.ok((await collect(plain.stream)).equals(data), 'peeked bytes given back')

  const tiny = await openLayerStream(Readable.from([Buffer.from('ab')], { objectMode: false }))
  t.equal((await collect(tiny.stream)).toString(), 'ab', 'input shorter than the peek')
  const empty = await openLayerStream(Readable.from([], { objectMode: false }))
  t.equal((await collect(empty.stream)).length, 0, 'empty input')

  await t.rejects(openLayerStream(Readable.from([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0])])), { code: 'unsupported', message: /zstd-compressed/ })
  await t.rejects(openLayerStream(Readable.from([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0])])), { code: 'unsupported', message: /xz-compressed/ })
})
