import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import { lazyFn } from './libc.js'
import { getWinsize, setWinsize } from './winsize.js'

function openPty(t: Test): { master: number; slavePath: string } {
  const master = openSync('/dev/ptmx', constants.O_RDWR | constants.O_NOCTTY)
  t.teardown(() => closeSync(master))
  const unlockpt = lazyFn<(fd: number) => number>('int unlockpt(int fd)')
  const ptsname = lazyFn<(fd: number) => string>('const char *ptsname(int fd)')
  t.equal(unlockpt()(master), 0)
  return { master, slavePath: ptsname()(master) }
}

t.test('set on the master, read back, and seen by stty on the slave', async t => {
  const { master, slavePath } = openPty(t)
  setWinsize(master, { rows: 41, cols: 132 })
  t.same(getWinsize(master), { rows: 41, cols: 132 })
  const slave = openSync(slavePath, constants.O_RDWR | constants.O_NOCTTY)
  t.teardown(() => closeSync(slave))
  t.same(getWinsize(slave), { rows: 41, cols: 132 })
  const stty = spawnSync('stty', ['size'], { stdio: [slave, 'pipe', 'pipe'], encoding: 'utf8' })
  t.equal(stty.status, 0, stty.stderr)
  t.equal(stty.stdout, '41 132\n')
})

t.test('not a terminal: ENOTTY', async t => {
  const fd = openSync('/dev/null', 'r')
  t.teardown(() => closeSync(fd))
  t.throws(() => getWinsize(fd), { code: 'ENOTTY', syscall: 'ioctl(TIOCGWINSZ)' })
  t.throws(() => setWinsize(fd, { rows: 1, cols: 1 }), { code: 'ENOTTY' })
})
