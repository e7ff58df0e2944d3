import t from 'tap'
import { koffi, loadPrebuiltKoffi } from './libc.js'

t.test("koffi's prebuilt native module loads directly (the fast path every run takes)", async t => {
  const direct = loadPrebuiltKoffi()
  t.ok(direct, 'found and loaded without going through koffi\'s entry')
  const getpid = direct!.load('libc.so.6').func('int getpid(void)') as () => number
  t.equal(getpid(), process.pid, 'and it calls into libc')
  t.equal(koffi(), koffi(), 'one module per process')
})
