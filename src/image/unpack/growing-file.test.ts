import t from 'tap'
import { appendFile, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GrowingFile } from './growing-file.js'

async function scratch(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tspod-growing-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function readAll(file: GrowingFile): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of file.stream()) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

/** Rejects if `p` has not settled after a generous delay (a hang is the failure these tests look for). */
function settles<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending (hung)`)), 5000)
  })
  return Promise.race([p, limit]).finally(() => clearTimeout(timer))
}

t.test('reads what is announced, waits for more, follows a rename', async t => {
  const dir = await scratch(t)
  const ingest = join(dir, 'ingest')
  await writeFile(ingest, 'hello ')
  const file = new GrowingFile(ingest, 11)
  file.grow(6)
  const reading = readAll(file)
  await appendFile(ingest, 'world')
  await rename(ingest, join(dir, 'blob'))
  file.moved(join(dir, 'blob'))
  file.grow(11)
  t.equal((await settles(reading, 'read')).toString(), 'hello world')
})

t.test('a download that fails half-way fails the reader', async t => {
  const dir = await scratch(t)
  const ingest = join(dir, 'ingest')
  await writeFile(ingest, 'hel')
  const file = new GrowingFile(ingest, 11)
  file.grow(3)
  const reading = readAll(file)
  file.fail(new Error('the download failed'))
  await t.rejects(settles(reading, 'read'), /the download failed/)
})

t.test('every byte announced, then the writer deleted the file and failed, before the reader opened it', async t => {
  // A download that failed its digest check: complete, then removed. The
  // reader must fail, not wait for a rename that will never come.
  const dir = await scratch(t)
  const ingest = join(dir, 'ingest')
  await writeFile(ingest, 'hello world')
  const file = new GrowingFile(ingest, 11)
  file.grow(11)
  await unlink(ingest)
  file.fail(new Error('blob digest mismatch'))
  await t.rejects(settles(readAll(file), 'read'), /blob digest mismatch/)
})

t.test('every byte announced and the file still there: a late failure (the connection closed) does not stop the reader', async t => {
  const dir = await scratch(t)
  const ingest = join(dir, 'ingest')
  const data = Buffer.alloc(3 << 20, 'x')
  await writeFile(ingest, data)
  const file = new GrowingFile(ingest, data.length)
  file.grow(data.length)
  file.fail(new Error('the connection closed'))
  t.same(await settles(readAll(file), 'read'), data)
})

t.test('renamed (committed), then the writer went away, before the reader opened it: the reader reads the new name', async t => {
  const dir = await scratch(t)
  const ingest = join(dir, 'ingest')
  await writeFile(ingest, 'hello world')
  const file = new GrowingFile(ingest, 11)
  file.grow(11)
  await rename(ingest, join(dir, 'blob'))
  file.moved(join(dir, 'blob'))
  file.fail(new Error('the download stopped'))
  t.equal((await settles(readAll(file), 'read')).toString(), 'hello world')
})
