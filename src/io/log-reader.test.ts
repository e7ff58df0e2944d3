import t from 'tap'
import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { setLogSink } from '../util/log.js'
import { parseLogLine, type LogStream } from './log-format.js'
import { readContainerLogs, readLogRecords, type LogReadOptions } from './log-reader.js'
import { parseLogTimeArg } from './log-time.js'
import { LogWriter } from './log-writer.js'
import { Collector, deferred, nsOfIso, rng, scriptedClock, tempDir, waitFor } from './testing.js'

const T0 = nsOfIso('2024-05-01T10:00:00Z')
const S = 1_000_000_000n

function captureWarnings(t: { teardown(fn: () => unknown): void }): string[] {
  const lines: string[] = []
  setLogSink(line => lines.push(line))
  t.teardown(() => setLogSink(line => process.stderr.write(line + '\n')))
  return lines
}

async function logs(file: string, options: LogReadOptions = {}) {
  const out = new Collector()
  const err = new Collector()
  await readContainerLogs(file, { stdout: out, stderr: err }, options)
  return { out: out.text, err: err.text }
}

/** A log with one line per second from T0: "line 0" ... */
async function secondsLog(file: string, count: number, offsetSeconds = 0) {
  const times = Array.from({ length: count }, (_, i) => ({ ns: T0 + BigInt(i) * S, offsetSeconds }))
  const w = await LogWriter.open(file, { clock: scriptedClock(times) })
  for (let i = 0; i < count; i++) w.write(i % 3 === 2 ? 'stderr' : 'stdout', Buffer.from(`line ${i}\n`))
  await w.close()
}

t.test('stdout and stderr lines go to their own sinks', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  await secondsLog(file, 6)
  t.same(await logs(file), { out: 'line 0\nline 1\nline 3\nline 4\n', err: 'line 2\nline 5\n' })
  const onlyOut = new Collector()
  await readContainerLogs(file, { stdout: onlyOut })
  t.equal(onlyOut.text, 'line 0\nline 1\nline 3\nline 4\n', 'a missing sink drops that stream')
})

t.test('a missing log file shows nothing, like podman', async t => {
  t.same(await logs(path.join(await tempDir(t), 'nope.log'), { follow: true }), { out: '', err: '' })
})

t.test('--timestamps prints podman\'s format once per logical line', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file, {
    clock: scriptedClock([
      { ns: T0 + 120_000_000n, offsetSeconds: 0 },
      { ns: T0 + 2n * S, offsetSeconds: 0 },
      { ns: T0 + 3n * S + 5n, offsetSeconds: 3600 },
    ]),
  })
  w.write('stdout', Buffer.from('hel'))
  w.write('stdout', Buffer.from('lo\n'))
  w.write('stderr', Buffer.from('oops\n'))
  await w.close()
  t.same(await logs(file, { timestamps: true }), {
    out: '2024-05-01T10:00:00.120000000Z hello\n',
    err: '2024-05-01T11:00:03.000000005+01:00 oops\n',
  })
})

t.test('since and until accept podman\'s forms and compare strictly', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  await secondsLog(file, 10)
  const pick = async (o: LogReadOptions) => {
    const records = []
    for await (const r of readLogRecords(file, o)) records.push(r.message.toString())
    return records.join(',')
  }
  const unix = Number(T0 / S)
  t.equal(await pick({ since: parseLogTimeArg('2024-05-01T10:00:03Z', 'since') }), 'line 4,line 5,line 6,line 7,line 8,line 9')
  t.equal(await pick({ since: parseLogTimeArg('2024-05-01T12:00:03+02:00', 'since'), until: parseLogTimeArg(`${unix + 6}`, 'until') }), 'line 4,line 5')
  t.equal(await pick({ until: parseLogTimeArg(`${unix + 1}.5`, 'until') }), 'line 0,line 1')
  t.equal(await pick({ since: parseLogTimeArg('2024-05-01', 'since'), until: parseLogTimeArg('2024-05-01T10:00:00.5', 'until') }), 'line 0')
  // Durations are relative to now.
  const now = Date.now()
  const dfile = path.join(path.dirname(file), 'recent.log')
  const ago = (minutes: number) => ({ ns: BigInt(now - minutes * 60_000) * 1_000_000n, offsetSeconds: 0 })
  const w = await LogWriter.open(dfile, { clock: scriptedClock([ago(30), ago(20), ago(5)]) })
  for (const m of ['30m ago', '20m ago', '5m ago']) w.write('stdout', Buffer.from(`${m}\n`))
  await w.close()
  t.same(await logs(dfile, { since: parseLogTimeArg('10m', 'since') }), { out: '5m ago\n', err: '' })
  t.same(await logs(dfile, { since: parseLogTimeArg('25m', 'since'), until: parseLogTimeArg('-15m', 'until') }), { out: '20m ago\n', err: '' })
})

t.test('tail counts logical lines, keeps partial fragments and the unfinished last line', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file)
  w.write('stdout', Buffer.from('one\n'))
  w.write('stdout', Buffer.from('tw'))
  w.write('stderr', Buffer.from('err\n'))
  w.write('stdout', Buffer.from('o\n'))
  w.write('stdout', Buffer.from('thr'))
  await w.close()
  t.same(await logs(file, { tail: 1 }), { out: 'thr', err: '' }, 'the unfinished line is the last line')
  t.same(await logs(file, { tail: 2 }), { out: 'two\nthr', err: '' }, 'both fragments of "two" even with stderr between them')
  t.same(await logs(file, { tail: 3 }), { out: 'two\nthr', err: 'err\n' })
  t.same(await logs(file, { tail: 10 }), { out: 'one\ntwo\nthr', err: 'err\n' })
  t.same(await logs(file, { tail: 0 }), { out: '', err: '' })
  t.same(await logs(file, { tail: -1 }), { out: 'one\ntwo\nthr', err: 'err\n' })
})

t.test('tail matches the last N reassembled lines on random interleaved logs', async t => {
  const dir = await tempDir(t)
  for (let seed = 1; seed <= 8; seed++) {
    const rand = rng(seed * 7919)
    const file = path.join(dir, `r${seed}.log`)
    const w = await LogWriter.open(file, { maxLineSize: 1 + rand(30) })
    for (let i = 0; i < 400; i++) {
      const words = Array.from({ length: rand(4) }, () => (rand(3) ? `w${rand(1000)}` : '\n')).join('')
      w.write(rand(2) ? 'stdout' : 'stderr', Buffer.from(words))
    }
    await w.close()
    // Reference: assemble forward; a line's position is that of its last fragment.
    const lines = (await readFile(file, 'latin1')).split('\n').slice(0, -1).map(l => parseLogLine(Buffer.from(l, 'latin1')))
    const open: Partial<Record<LogStream, { text: string; at: number }>> = {}
    const all: { text: string; complete: boolean; order: number }[] = []
    lines.forEach((f, at) => {
      const text = (open[f.stream]?.text ?? '') + f.message.toString('latin1')
      if (f.partial) open[f.stream] = { text, at }
      else {
        delete open[f.stream]
        all.push({ text: `${f.stream}:${text}`, complete: true, order: at })
      }
    })
    for (const [s, o] of Object.entries(open)) all.push({ text: `${s}:${o.text}`, complete: false, order: o.at })
    all.sort((a, b) => a.order - b.order)
    for (const n of [1, 2, 5, 17, 60, 1000]) {
      const want = all.slice(-n)
      const got = []
      for await (const r of readLogRecords(file, { tail: n })) got.push({ text: `${r.stream}:${r.message.toString('latin1')}`, complete: r.complete })
      const key = (x: { text: string; complete: boolean }) => `${x.complete}|${x.text}`
      t.same(got.filter(x => x.complete).map(key), want.filter(x => x.complete).map(key), `seed ${seed} tail ${n} complete lines`)
      t.same(got.filter(x => !x.complete).map(key).sort(), want.filter(x => !x.complete).map(key).sort(), `seed ${seed} tail ${n} unfinished lines`)
    }
  }
})

t.test('tail on a large file reads only its end', async t => {
  const warnings = captureWarnings(t)
  const file = path.join(await tempDir(t), 'big.log')
  // 64 MiB of zeros without a newline: reading it would trip the over-long-line guard.
  await writeFile(file, '')
  await truncate(file, 64 << 20)
  const w = await LogWriter.open(file)
  for (let i = 0; i < 50_000; i++) w.write('stdout', Buffer.from(`entry ${i}\n`))
  await w.close()
  t.same(await logs(file, { tail: 3 }), { out: 'entry 49997\nentry 49998\nentry 49999\n', err: '' })
  const many = await logs(file, { tail: 40_000 })
  t.equal(many.out.split('\n').length - 1, 40_000)
  t.ok(many.out.startsWith('entry 10000\n'))
  t.same(warnings, [], 'the start of the file was never read')
  // The control: a full read does reach the zeros, so the check above can fail.
  await logs(file, { since: T0 })
  t.match(warnings.join('\n'), /skipping a log line longer than/)
})

t.test('a torn last line is not printed; garbage lines are skipped with a warning', async t => {
  const warnings = captureWarnings(t)
  const file = path.join(await tempDir(t), 'ctr.log')
  await writeFile(
    file,
    '2024-05-01T10:00:00.000000000+00:00 stdout F good\n' +
      'this is not a log line\n' +
      '2024-05-01T10:00:01.000000000+00:00 stdout F also good\n' +
      '2024-05-01T10:00:02.000000000+00:00 stdout F half a li',
  )
  t.same(await logs(file), { out: 'good\nalso good\n', err: '' })
  t.same(await logs(file, { tail: 1 }), { out: 'also good\n', err: '' })
  t.match(warnings[0], /^WARN\[\d{4}\] Getting new log line: 'this is not a log line' is not a valid container log line/)
})

t.test('follow prints appended output and ends once the container exited and the file is drained', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file)
  w.write('stdout', Buffer.from('before\n'))
  await w.flush()
  const out = new Collector()
  const err = new Collector()
  const exited = deferred()
  let finished = false
  const reading = readContainerLogs(file, { stdout: out, stderr: err }, { follow: true, exited: exited.promise, pollIntervalMs: 60_000 }).then(() => {
    finished = true
  })
  await waitFor(() => out.text === 'before\n', 'existing output')
  w.write('stdout', Buffer.from('prompt> '))
  await w.flush()
  await waitFor(() => out.text === 'before\nprompt> ', 'a partial line shows before its newline')
  w.write('stderr', Buffer.from('warn\n'))
  w.write('stdout', Buffer.from('typed\n'))
  await w.flush()
  await waitFor(() => err.text === 'warn\n' && out.text.endsWith('typed\n'), 'appended output')
  t.notOk(finished, 'still following while the container runs')
  // Output right before the exit must not be lost.
  for (let i = 0; i < 1000; i++) w.write('stdout', Buffer.from(`last ${i}\n`))
  await w.close()
  exited.resolve()
  await reading
  t.equal(out.text, `before\nprompt> typed\n${Array.from({ length: 1000 }, (_, i) => `last ${i}\n`).join('')}`)
  t.equal(err.text, 'warn\n')
})

t.test('follow with tail starts after the tail and sees the rest', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  await secondsLog(file, 5)
  const w = await LogWriter.open(file)
  const exited = deferred()
  const out = new Collector()
  const reading = readContainerLogs(file, { stdout: out, stderr: new Collector() }, { follow: true, tail: 2, exited: exited.promise })
  await waitFor(() => out.text === 'line 3\nline 4\n', 'tail')
  w.write('stdout', Buffer.from('new\n'))
  await w.close()
  exited.resolve()
  await reading
  t.equal(out.text, 'line 3\nline 4\nnew\n')
})

t.test('follow completes a torn line once the rest is written', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  await writeFile(file, '2024-05-01T10:00:00.000000000+00:00 stdout F whole\n2024-05-01T10:00:01.000000000+00:00 stdout F ha')
  const exited = deferred()
  const out = new Collector()
  const reading = readContainerLogs(file, { stdout: out }, { follow: true, exited: exited.promise })
  await waitFor(() => out.text === 'whole\n', 'complete lines')
  await appendFile(file, 'lf\n')
  exited.resolve()
  await reading
  t.equal(out.text, 'whole\nhalf\n')
})

t.test('follow keeps going across max-size truncation without losing lines', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file, { maxSize: 600 })
  const exited = deferred()
  const out = new Collector()
  const reading = readContainerLogs(file, { stdout: out }, { follow: true, exited: exited.promise })
  let expected = ''
  for (let batch = 0; batch < 20; batch++) {
    for (let i = 0; i < 4; i++) {
      const line = `batch ${batch} line ${i}\n`
      expected += line
      w.write('stdout', Buffer.from(line))
    }
    await w.flush()
    await waitFor(() => out.text === expected, `batch ${batch}`)
  }
  await w.close()
  exited.resolve()
  await reading
  t.equal(out.text, expected)
})

t.test('follow stops on abort and when until has passed', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  await secondsLog(file, 2)
  const ac = new AbortController()
  const out = new Collector()
  const reading = readContainerLogs(file, { stdout: out, stderr: new Collector() }, { follow: true, signal: ac.signal })
  await waitFor(() => out.text === 'line 0\nline 1\n', 'output')
  ac.abort()
  await reading
  t.pass('abort ended follow')

  const untilSoon = BigInt(Date.now() + 200) * 1_000_000n
  const r = await logs(file, { follow: true, until: untilSoon })
  t.same(r, { out: 'line 0\nline 1\n', err: '' }, 'until in the future ends follow when it passes')
})

t.test('a sink that stops reading gets backpressure, not unbounded buffering', async t => {
  const file = path.join(await tempDir(t), 'ctr.log')
  const w = await LogWriter.open(file)
  for (let i = 0; i < 20_000; i++) w.write('stdout', Buffer.from(`${'y'.repeat(50)} ${i}\n`))
  await w.close()
  const slow = new Collector({ highWaterMark: 1024 })
  slow.cork()
  const reading = readContainerLogs(file, { stdout: slow })
  await waitFor(() => slow.writableLength > 0, 'first write')
  // Give a reader that ignored backpressure every chance to queue more.
  for (let i = 0; i < 20; i++) await new Promise(r => setTimeout(r, 5))
  t.ok(slow.writableLength < 256 * 1024, 'the reader waits for drain instead of queueing the whole file')
  slow.uncork()
  await reading
  t.equal(slow.text.split('\n').length - 1, 20_000)
})
