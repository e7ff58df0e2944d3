import t from 'tap'
import { DetachKeyMatcher, parseDetachKeys } from './detach-keys.js'

t.test('podman key names', async t => {
  t.same([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17])
  t.same([...parseDetachKeys('ctrl-@,ctrl-a,ctrl-z,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_')], [0, 1, 26, 27, 28, 29, 30, 31])
  t.same([...parseDetachKeys('a,ctrl-x,DEL')], [97, 24, 127])
  t.equal(parseDetachKeys('').length, 0)
  t.throws(() => parseDetachKeys('ctrl-P'), { code: 'invalid-argument', message: "invalid detach keys: Unknown character: 'ctrl-P'" })
  t.throws(() => parseDetachKeys('ctrl-p,,ctrl-q'), { message: "invalid detach keys: Unknown character: ''" })
})

t.test('the sequence is found across reads and never forwarded', async t => {
  const m = new DetachKeyMatcher(parseDetachKeys('ctrl-p,ctrl-q'))
  t.same(m.push(Buffer.from('ab\x10')), { data: Buffer.from('ab'), detach: false }, 'a possible start is held back')
  t.same(m.push(Buffer.from('\x11after')), { data: Buffer.from(''), detach: true })

  const n = new DetachKeyMatcher(parseDetachKeys('ctrl-p,ctrl-q'))
  t.same(n.push(Buffer.from('\x10')), { data: Buffer.from(''), detach: false })
  t.same(n.push(Buffer.from('x')), { data: Buffer.from('\x10x'), detach: false }, 'a broken sequence is passed on')
  t.same(n.push(Buffer.from('\x10\x10\x11')), { data: Buffer.from('\x10'), detach: true }, 'ctrl-p ctrl-p ctrl-q detaches')
  t.same(n.push(Buffer.from('\x10')), { data: Buffer.from(''), detach: false })
  t.same(n.flush(), Buffer.from('\x10'), 'held bytes come out at end of input')

  const off = new DetachKeyMatcher(parseDetachKeys(''))
  t.same(off.push(Buffer.from('\x10\x11')), { data: Buffer.from('\x10\x11'), detach: false }, 'disabled')
})
