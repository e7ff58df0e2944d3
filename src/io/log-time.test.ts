import t from 'tap'
import { isTspodError } from '../engine/errors.js'
import { parseGoDuration, parseLogTimeArg } from './log-time.js'

const NOW = Date.parse('2024-05-01T10:00:00Z')
const nsOf = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n

t.test('RFC3339 and the other date forms podman accepts', async t => {
  t.equal(parseLogTimeArg('2024-05-01T10:00:00Z', 'since'), nsOf('2024-05-01T10:00:00Z'))
  t.equal(parseLogTimeArg('2024-05-01T10:00:00.5+02:00', 'since'), nsOf('2024-05-01T08:00:00.500Z'))
  t.equal(parseLogTimeArg('2024-05-01T10:00:00.123456789Z', 'until'), nsOf('2024-05-01T10:00:00Z') + 123456789n)
  t.equal(parseLogTimeArg('2024-05-01T10:00:00', 'since'), nsOf('2024-05-01T10:00:00Z'), 'no zone = UTC')
  t.equal(parseLogTimeArg('2024-05-01', 'since'), nsOf('2024-05-01T00:00:00Z'))
  t.equal(parseLogTimeArg('2024-05-01Z', 'since'), nsOf('2024-05-01T00:00:00Z'))
  t.equal(parseLogTimeArg('2024-05-01-03:00', 'since'), nsOf('2024-05-01T03:00:00Z'))
})

t.test('Unix timestamps, whole and fractional', async t => {
  t.equal(parseLogTimeArg('1714557600', 'since'), 1714557600n * 1_000_000_000n)
  t.equal(parseLogTimeArg('1714557600.25', 'until'), 1714557600n * 1_000_000_000n + 250_000_000n)
  t.equal(parseLogTimeArg('0', 'since'), 0n, '"0" is a timestamp before it is a duration')
  t.equal(parseLogTimeArg('1.5e9', 'since'), 1_500_000_000n * 1_000_000_000n)
})

t.test('Go durations count back from now for since and forward for until', async t => {
  t.equal(parseLogTimeArg('10m', 'since', NOW), nsOf('2024-05-01T09:50:00Z'))
  t.equal(parseLogTimeArg('1h30m', 'since', NOW), nsOf('2024-05-01T08:30:00Z'))
  t.equal(parseLogTimeArg('10m', 'until', NOW), nsOf('2024-05-01T10:10:00Z'))
  t.equal(parseLogTimeArg('-10m', 'until', NOW), nsOf('2024-05-01T09:50:00Z'))
  t.equal(parseGoDuration('1.5s'), 1_500_000_000n)
  t.equal(parseGoDuration('.5ms'), 500_000n)
  t.equal(parseGoDuration('2h45m3s200ms7us8ns'), ((2n * 60n + 45n) * 60n + 3n) * 1_000_000_000n + 200_000_000n + 7_000n + 8n)
  t.equal(parseGoDuration('3µs'), 3000n)
  t.equal(parseGoDuration('0'), 0n)
  for (const bad of ['', '10', 'm', '10x', '1h-2m', '.s', '1d']) t.equal(parseGoDuration(bad), undefined, JSON.stringify(bad))
})

t.test('anything else is an invalid argument with podman\'s message', async t => {
  for (const bad of ['yesterday', '2024-05-32', '2024-05-01T25:00:00Z', '10 m', '']) {
    try {
      parseLogTimeArg(bad, 'since')
      t.fail(`accepted ${JSON.stringify(bad)}`)
    } catch (err) {
      t.ok(isTspodError(err, 'invalid-argument'), JSON.stringify(bad))
      t.equal((err as Error).message, `parsing --since ${JSON.stringify(bad)}: unable to interpret time value`)
    }
  }
})
