import t from 'tap'
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseLogLine, type LogStream } from './log-format.js'
import { readContainerLogs, readLogRecords } from './log-reader.js'
import { LogWriter } from './log-writer.js'
import { Collector, nsOfIso, rng, scriptedClock, tempDir } from './testing.js'

const T0 = { ns: nsOfIso('2024-05-01T10:00:00Z') + 123456789n, offsetSeconds: 0 }

async function fileLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'latin1')
  t.ok(text === '' || text.endsWith('\n'), 'file ends with a newline')
  return text.split('\n').slice(0, -1)
}

async function records(file: string) {
  const out = []
  for await (const r of readLogRecords(file)) out.push({ stream: r.stream, text: r.message.toString('latin1'), complete: r.complete })
  return out
}

t.test('full lines become F lines with conmon\'s header', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file, { clock: scriptedClock([T0]) })
  w.write('stdout', Buffer.from('hello\nworld\n'))
  w.write('stderr', Buffer.from('\n'))
  await w.close()
  t.same(await fileLines(file), [
    '2024-05-01T10:00:00.123456789+00:00 stdout F hello',
    '2024-05-01T10:00:00.123456789+00:00 stdout F world',
    '2024-05-01T10:00:00.123456789+00:00 stderr F ',
  ])
  t.equal((await stat(file)).mode & 0o777, 0o640)
})

t.test('a chunk without a trailing newline is written at once as a P line and reassembled on reading', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file, { clock: scriptedClock([T0, { ns: T0.ns + 1n, offsetSeconds: 7200 }]) })
  w.write('stdout', Buffer.from('Name? '))
  await w.flush()
  t.same(await fileLines(file), ['2024-05-01T10:00:00.123456789+00:00 stdout P Name? '], 'partial is on disk before the newline')
  w.write('stdout', Buffer.from('Bob\nnext'))
  await w.close()
  t.same((await fileLines(file)).slice(1), [
    '2024-05-01T12:00:00.123456790+02:00 stdout F Bob',
    '2024-05-01T12:00:00.123456790+02:00 stdout P next',
  ])
  t.same(await records(file), [
    { stream: 'stdout', text: 'Name? Bob', complete: true },
    { stream: 'stdout', text: 'next', complete: false },
  ])
})

t.test('long lines are split into P fragments of maxLineSize', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file, { maxLineSize: 10, clock: scriptedClock([T0]) })
  const long = 'abcdefghijklmnopqrstuvwxy' // 25 bytes
  w.write('stdout', Buffer.from(`${long}\n${long}`))
  await w.close()
  const lines = (await fileLines(file)).map(l => l.split(' ').slice(2).join(' '))
  t.same(lines, ['P abcdefghij', 'P klmnopqrst', 'F uvwxy', 'P abcdefghij', 'P klmnopqrst', 'P uvwxy'])
  t.same(await records(file), [
    { stream: 'stdout', text: long, complete: true },
    { stream: 'stdout', text: long, complete: false },
  ])
})

t.test('interleaved streams keep separate partial lines', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file)
  w.write('stdout', Buffer.from('progress: '))
  w.write('stderr', Buffer.from('warning: x\n'))
  w.write('stdout', Buffer.from('50%'))
  w.write('stderr', Buffer.from('err'))
  w.write('stdout', Buffer.from(' done\n'))
  w.write('stderr', Buffer.from('or\n'))
  await w.close()
  t.same(await records(file), [
    { stream: 'stderr', text: 'warning: x', complete: true },
    { stream: 'stdout', text: 'progress: 50% done', complete: true },
    { stream: 'stderr', text: 'error', complete: true },
  ])
})

t.test('random binary chunks on both streams round-trip byte for byte', async t => {
  const dir = await tempDir(t)
  for (let seed = 1; seed <= 12; seed++) {
    const rand = rng(seed)
    const file = path.join(dir, `ctr-${seed}.log`)
    const w = await LogWriter.open(file, { maxLineSize: 1 + rand(200) })
    const sent: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] }
    for (let i = 0; i < 300; i++) {
      const stream = rand(2) ? 'stdout' : 'stderr'
      const chunk = Buffer.alloc(rand(400))
      for (let j = 0; j < chunk.length; j++) {
        // Plenty of newlines, spaces, CRs and bytes that are not UTF-8.
        const k = rand(10)
        chunk[j] = k === 0 ? 0x0a : k === 1 ? 0x20 : k === 2 ? 0x0d : rand(256)
      }
      sent[stream].push(Buffer.from(chunk))
      w.write(stream, chunk)
      // Hand the writer a buffer it must not keep referencing.
      chunk.fill(0x41)
    }
    await w.close()
    const out = new Collector()
    const err = new Collector()
    await readContainerLogs(file, { stdout: out, stderr: err })
    // F lines print with their newline, P fragments without one: each
    // stream's output is exactly its input.
    t.ok(out.buffer.equals(Buffer.concat(sent.stdout)), `seed ${seed} stdout`)
    t.ok(err.buffer.equals(Buffer.concat(sent.stderr)), `seed ${seed} stderr`)
  }
})

t.test('chunks are copied: reusing the caller\'s buffer does not change the log', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file)
  const buf = Buffer.from('first\n')
  w.write('stdout', buf)
  buf.write('XXXXX\n')
  await w.close()
  t.same(await records(file), [{ stream: 'stdout', text: 'first', complete: true }])
})

t.test('max-size replaces the file with an empty one, like conmon without --log-rotate', async t => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'ctr.log')
  const w = await LogWriter.open(file, { maxSize: 300, clock: scriptedClock([T0]) })
  let written = 0
  for (let i = 0; i < 40; i++) {
    w.write('stdout', Buffer.from(`line ${i}\n`))
    written++
    if (i % 7 === 0) await w.flush()
    t.ok((await stat(file)).size <= 300, `size within limit after line ${i}`)
  }
  await w.close()
  const lines = await fileLines(file)
  t.ok(lines.length > 0 && lines.length < written, 'older lines were dropped')
  t.match(lines[0], / stdout F line \d+$/, 'file starts with a whole line')
  t.equal(lines.at(-1), '2024-05-01T10:00:00.123456789+00:00 stdout F line 39')
  t.same(await readdir(dir), ['ctr.log'], 'no temp or backup files left')

  const big = path.join(dir, 'big.log')
  const w2 = await LogWriter.open(big, { maxSize: 100 })
  w2.write('stdout', Buffer.from('short\n'))
  w2.write('stdout', Buffer.from(`${'x'.repeat(150)}\n`))
  await w2.close()
  t.same(await records(big), [{ stream: 'stdout', text: 'x'.repeat(150), complete: true }], 'a line over the limit is still written whole')
})

t.test('appending to an existing log ends a torn last line first', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  await writeFile(file, '2024-05-01T10:00:00.000000000+00:00 stdout F before\n2024-05-01T10:00:00.000000000+00:00 stdout F tor')
  const w = await LogWriter.open(file)
  w.write('stdout', Buffer.from('after\n'))
  await w.close()
  t.same(await records(file), [
    { stream: 'stdout', text: 'before', complete: true },
    { stream: 'stdout', text: 'tor', complete: true },
    { stream: 'stdout', text: 'after', complete: true },
  ])
})

t.test('close flushes everything queued; write after close is refused', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file, { highWaterMark: 1024 })
  let sawBackpressure = false
  for (let i = 0; i < 5000; i++) {
    if (!w.write(i % 2 ? 'stdout' : 'stderr', Buffer.from(`message number ${i}\n`))) sawBackpressure = true
  }
  t.ok(sawBackpressure, 'write() reports backpressure above highWaterMark')
  await w.close()
  const lines = await fileLines(file)
  t.equal(lines.length, 5000)
  t.equal(parseLogLine(Buffer.from(lines[4999]!)).message.toString(), 'message number 4999')
  t.throws(() => w.write('stdout', Buffer.from('late\n')), { code: 'failed-precondition' })
  await w.close()
})

t.test('timestamps from the real clock are ordered and in the local format', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file)
  for (let i = 0; i < 50; i++) w.write('stdout', Buffer.from(`${i}\n`))
  await w.close()
  const times = (await fileLines(file)).map(l => parseLogLine(Buffer.from(l)).time.ns)
  for (let i = 1; i < times.length; i++) t.ok(times[i]! > times[i - 1]!, `line ${i} later than line ${i - 1}`)
  const nowNs = BigInt(Date.now()) * 1_000_000n
  t.ok(nowNs - times[0]! < 60_000_000_000n && times[0]! <= nowNs + 1_000_000_000n, 'close to the wall clock')
})
