import t from 'tap'
import { goPathMatch, groupFilters, matchLabelFilters, parseGoDuration, parseTimestamp } from './filter-values.js'

t.test('goPathMatch: path.Match globs', async t => {
  const cases: [string, string, boolean][] = [
    ['*box', 'busybox', true],
    ['*box', 'library/busybox', false],
    ['busy?ox', 'busybox', true],
    ['[a-c]*', 'busybox', true],
    ['[^a-c]*', 'busybox', false],
    ['busybox:*', 'busybox:latest', true],
    ['*/busybox', '127.0.0.1:5000/busybox', true],
    ['\\*', '*', true],
    ['[', 'x', false],
    ['a.b', 'axb', false],
  ]
  for (const [pattern, name, want] of cases) t.equal(goPathMatch(pattern, name), want, `${pattern} ~ ${name}`)
})

t.test('matchLabelFilters: every filter must match a label; values exact; * in keys', async t => {
  const labels = { app: 'web', 'x.y/z': 'w', tier: '' }
  t.ok(matchLabelFilters(['app'], labels))
  t.ok(matchLabelFilters(['app=web'], labels))
  t.notOk(matchLabelFilters(['app=db'], labels))
  t.ok(matchLabelFilters(['app=web', 'x.y/z=w'], labels), 'several: all')
  t.notOk(matchLabelFilters(['app=web', 'missing'], labels))
  t.ok(matchLabelFilters(['x.y*'], labels), 'glob key')
  t.ok(matchLabelFilters([], labels))
})

t.test('groupFilters keeps key order and values; a flag without = is an error', async t => {
  t.same([...groupFilters(['a=1', 'b=2', 'a=3=4'], f => f)], [['a', ['1', '3=4']], ['b', ['2']]])
  t.throws(() => groupFilters(['oops'], f => `invalid filter "${f}"`), { message: 'invalid filter "oops"', code: 'invalid-argument' })
})

t.test('Go durations and timestamps', async t => {
  t.equal(parseGoDuration('1h30m'), 5_400_000)
  t.equal(parseGoDuration('1.5s'), 1500)
  t.equal(parseGoDuration('-2m'), -120_000)
  t.equal(parseGoDuration('10'), undefined)
  const now = Date.parse('2024-06-01T12:00:00Z')
  t.equal(parseTimestamp('1h', now), now - 3_600_000)
  t.equal(parseTimestamp('1700000000', now), 1_700_000_000_000)
  t.equal(parseTimestamp('2024-01-01T00:00:00Z', now), Date.parse('2024-01-01T00:00:00Z'))
  t.throws(() => parseTimestamp('yesterday', now), /failed to parse value as time or duration: "yesterday"/)
})
