import t from 'tap'
import { FakeSyscalls } from './fake.js'
import type { Syscalls } from './index.js'

t.test('the fake records calls and returns scripted results', async t => {
  const fake = new FakeSyscalls({
    exitStatus: pid => ({ exitCode: pid, signal: null, status: pid }),
    winsize: { rows: 50, cols: 200 },
    receivedFds: [{ fd: 42, name: '/dev/ptmx' }],
  })
  const sys: Syscalls = fake
  t.equal(sys.tryFlock(3, 'exclusive'), true)
  await sys.flock(3, 'shared')
  sys.unlock(3)
  sys.setChildSubreaper()
  t.same(await sys.waitForExit(7), { exitCode: 7, signal: null, status: 7 })
  sys.mount('overlay', '/m', 'overlay', 0, 'lowerdir=/l')
  sys.umount('/m')
  t.same(sys.getWinsize(0), { rows: 50, cols: 200 })
  sys.setWinsize(9, { rows: 1, cols: 2 })
  const listener = sys.listenForFd('/run/sock')
  t.same(await listener.receive(), { fd: 42, name: '/dev/ptmx' })
  await t.rejects(listener.receive(), /no scripted fd/)
  listener.close()
  await t.rejects(listener.receive(), /is closed/)
  sys.sendFd('/run/sock', 5, 'x')
  t.same(fake.calls.map(c => c.name), [
    'tryFlock', 'flock', 'unlock', 'setChildSubreaper', 'waitForExit', 'mount', 'umount',
    'getWinsize', 'setWinsize', 'listenForFd', 'sendFd',
  ])
  t.same(fake.callsOf('mount'), [['overlay', '/m', 'overlay', 0, 'lowerdir=/l']])
})

t.test('scripted failures', async t => {
  const fake = new FakeSyscalls({ lockFree: false, fail: { waitForExit: new Error('ECHILD') } })
  t.equal(fake.tryFlock(3, 'exclusive'), false)
  await t.rejects(fake.waitForExit(1), { message: 'ECHILD' })
})
