import t from 'tap'
import { roffCodeLine, roffLine, roffLiteral, roffParagraphs, roffProse } from './roff.js'

t.test('literal text: every dash a minus, backslashes escaped', async t => {
  t.equal(roffLiteral('--env-file'), '\\-\\-env\\-file')
  t.equal(roffLiteral('a\\b'), 'a\\eb')
})

t.test('prose: options are minus signs, words keep their hyphens, code is bold', async t => {
  t.equal(roffProse('use --format json for read-only output'), 'use \\-\\-format json for read-only output')
  t.equal(roffProse('a `-t` value'), 'a \\fB\\-t\\fR value')
  t.equal(roffProse('(`KEY=VALUE`)'), '(\\fBKEY=VALUE\\fR)')
  t.equal(roffProse('one ` left'), 'one ` left', 'an unmatched backtick stays')
  t.equal(roffProse('app → x …'), 'app \\[u2192] x \\[u2026]', 'non-ASCII as \\[uXXXX]')
})

t.test('lines never start a request', async t => {
  t.equal(roffLine('.ID is a field'), '\\&.ID is a field')
  t.equal(roffLine("'quoted'"), "\\&'quoted'")
  t.equal(roffCodeLine('.hidden'), '\\&.hidden')
  t.same(roffParagraphs('  one\n  two\n\n  .three\n'), ['one two', '.PP', '\\&.three'])
})
