/**
 * Stream-level behaviour of unpackLayer that needs no user namespace
 * (entries here are owned by the running user).
 */
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { sha256Of, tarOf } from './test-support/archive.js'
import { unpackLayer } from './unpack.js'

const dir = mkdtempSync(join(tmpdir(), 'tspod-unpack-stream-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const { uid, gid } = userInfo()

/** A stream that yields `chunks` one by one, then fails with `err` if given. */
function source(chunks: Buffer[], err?: Error): Readable {
  return Readable.from(
    (async function* () {
      for (const c of chunks) yield c
      if (err) throw err
    })(),
    { objectMode: false },
  )
}

t.test('unpacks from a stream cut into odd chunks', async t => {
  const tar = await tarOf([{ name: 'dir/', type: 'directory', uid, gid }, { name: 'dir/file', data: 'x'.repeat(5000), uid, gid }])
  const gz = gzipSync(tar)
  const chunks = [gz.subarray(0, 1), gz.subarray(1, 7), gz.subarray(7, 600), gz.subarray(600)]
  const dest = join(dir, 'odd')
  const result = await unpackLayer(source(chunks), dest, { expectedDiffId: sha256Of(tar) })
  t.equal(result.diffId, sha256Of(tar))
  t.same(result.warnings, [])
  t.equal(readFileSync(join(dest, 'dir/file'), 'utf8'), 'x'.repeat(5000))
})

t.test("the caller's input failing is passed on as it is", async t => {
  const tar = await tarOf([{ name: 'file', data: 'x'.repeat(100_000), uid, gid }])
  const gz = gzipSync(tar)
  const err = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
  await t.rejects(unpackLayer(source([gz.subarray(0, 1000)], err), join(dir, 'reset')), err)
  await t.rejects(unpackLayer(source([tar.subarray(0, 3000)], err), join(dir, 'reset-plain')), err)
})

t.test('a refused layer stops reading its input', async t => {
  const tar = await tarOf([{ name: '../escaped', data: 'x' }, { name: 'more', data: 'y'.repeat(1 << 20) }])
  const input = source([tar])
  await t.rejects(unpackLayer(input, join(dir, 'refused')), { code: 'permission-denied' })
  t.ok(input.destroyed, 'input destroyed')
})
