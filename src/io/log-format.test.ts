import t from 'tap'
import {
  formatFileTimestamp, formatLineHeader, formatPrintedTimestamp, parseLogLine, parseTimestamp, MalformedLogLineError,
} from './log-format.js'

const ns = (iso: string, frac = 0n) => BigInt(Date.parse(iso)) * 1_000_000n + frac

t.test('file timestamps look like conmon writes them', async t => {
  t.equal(formatFileTimestamp({ ns: ns('2024-05-01T10:00:00Z', 123456789n), offsetSeconds: 0 }), '2024-05-01T10:00:00.123456789+00:00')
  t.equal(formatFileTimestamp({ ns: ns('2024-05-01T10:00:00Z', 5n), offsetSeconds: 2 * 3600 }), '2024-05-01T12:00:00.000000005+02:00')
  t.equal(formatFileTimestamp({ ns: ns('2024-01-01T02:00:00Z'), offsetSeconds: -(5 * 3600 + 30 * 60) }), '2023-12-31T20:30:00.000000000-05:30')
  t.equal(formatLineHeader({ ns: ns('2024-05-01T10:00:00Z'), offsetSeconds: 0 }, 'stderr', true), '2024-05-01T10:00:00.000000000+00:00 stderr P ')
})

t.test('printed timestamps follow Go\'s RFC3339 with nine digits and Z for UTC', async t => {
  t.equal(formatPrintedTimestamp({ ns: ns('2024-05-01T10:00:00Z', 120000000n), offsetSeconds: 0 }), '2024-05-01T10:00:00.120000000Z')
  t.equal(formatPrintedTimestamp({ ns: ns('2024-05-01T10:00:00Z'), offsetSeconds: 3600 }), '2024-05-01T11:00:00.000000000+01:00')
})

t.test('timestamps parse back to the same instant and offset', async t => {
  for (const text of ['2024-05-01T10:00:00.123456789+00:00', '2023-12-31T20:30:00.000000000-05:30', '2024-02-29T23:59:59.999999999+14:00']) {
    const parsed = parseTimestamp(text)
    t.ok(parsed, text)
    t.equal(formatFileTimestamp(parsed!), text)
  }
  t.same(parseTimestamp('2024-05-01T10:00:00Z'), { ns: ns('2024-05-01T10:00:00Z'), offsetSeconds: 0 })
  t.equal(parseTimestamp('2023-02-29T10:00:00Z'), undefined, 'no Feb 29 in 2023')
  t.equal(parseTimestamp('2024-05-01 10:00:00Z'), undefined)
  t.equal(parseTimestamp('2024-13-01T10:00:00Z'), undefined)
})

t.test('log lines parse into fragments with raw message bytes', async t => {
  const f = parseLogLine(Buffer.from('2024-05-01T10:00:00.000000001+00:00 stdout F hello  world '))
  t.equal(f.stream, 'stdout')
  t.equal(f.partial, false)
  t.equal(f.message.toString(), 'hello  world ')
  t.equal(f.time.ns, ns('2024-05-01T10:00:00Z', 1n))

  const bin = Buffer.concat([Buffer.from('2024-05-01T10:00:00.000000001+00:00 stderr P '), Buffer.from([0, 0xff, 0x0d, 0x20])])
  const g = parseLogLine(bin)
  t.equal(g.partial, true)
  t.same([...g.message], [0, 0xff, 0x0d, 0x20])

  t.equal(parseLogLine(Buffer.from('2024-05-01T10:00:00.000000001+00:00 stdout F ')).message.length, 0)
  t.equal(parseLogLine(Buffer.from('2024-05-01T10:00:00.000000001+00:00 stdout F')).message.length, 0, 'missing space before an empty message')
})

t.test('garbage lines are rejected with a data-loss error', async t => {
  for (const bad of ['', 'hello', '2024-05-01T10:00:00Z stdin F x', '2024-05-01T10:00:00Z stdout X x', 'yesterday stdout F x', '2024-05-01T10:00:00Z stdout FF x']) {
    t.throws(() => parseLogLine(Buffer.from(bad)), { code: 'data-loss' }, JSON.stringify(bad))
  }
  try {
    parseLogLine(Buffer.from('nonsense'))
    t.fail('accepted nonsense')
  } catch (err) {
    t.ok(err instanceof MalformedLogLineError)
    t.match((err as Error).message, /is not a valid container log line/)
  }
})
