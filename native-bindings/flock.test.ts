// flock(2) bindings, checked against util-linux flock(1) as the other process.
import t from 'tap'
import { execa, type ResultPromise } from 'execa'
import { closeSync, openSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lockFd, tryLockFd, unlockFd } from './flock.js'

async function tempFile(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tspod-flock-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'lock')
  await writeFile(file, '')
  return file
}

/**
 * flock(1) holding the lock (-o: only flock itself holds it, not its child
 * sleep) in its own process group: kill() ends both, so nothing keeps the
 * output pipes open.
 */
async function holder(file: string, mode: '-x' | '-s'): Promise<{ child: ResultPromise; kill(): void }> {
  const child = execa('flock', [mode, '-o', file, '-c', 'echo held; exec sleep 60'], { reject: false, detached: true })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve())
    child.once('exit', code => reject(new Error(`flock(1) exited with ${code}: is util-linux installed?`)))
  })
  // Not the (thenable) child itself: awaiting that would wait for its exit.
  return { child, kill: () => process.kill(-child.pid!, 'SIGKILL') }
}

/** Whether another process can take the lock right now (flock -n). */
async function othersCanLock(file: string, mode: '-x' | '-s'): Promise<boolean> {
  return (await execa('flock', [mode, '-n', file, 'true'], { reject: false })).exitCode === 0
}

t.test('an exclusive lock excludes other processes until unlocked', async t => {
  const file = await tempFile(t)
  const fd = openSync(file, 'r+')
  t.teardown(() => closeSync(fd))
  t.equal(tryLockFd(fd, 'exclusive'), true)
  t.equal(await othersCanLock(file, '-s'), false, 'no shared lock for others')
  t.equal(await othersCanLock(file, '-x'), false, 'no exclusive lock for others')
  unlockFd(fd)
  t.equal(await othersCanLock(file, '-x'), true, 'free after unlock')
})

t.test('shared locks coexist; exclusive waits for them', async t => {
  const file = await tempFile(t)
  const fd = openSync(file, 'r+')
  t.teardown(() => closeSync(fd))
  await lockFd(fd, 'shared')
  t.equal(await othersCanLock(file, '-s'), true)
  t.equal(await othersCanLock(file, '-x'), false)
  unlockFd(fd)
})

t.test('tryLockFd is false while another process holds the lock', async t => {
  const file = await tempFile(t)
  const other = await holder(file, '-x')
  t.teardown(() => other.kill())
  const fd = openSync(file, 'r+')
  t.teardown(() => closeSync(fd))
  t.equal(tryLockFd(fd, 'exclusive'), false)
  t.equal(tryLockFd(fd, 'shared'), false)
})

t.test('lockFd waits without blocking the event loop and gets the lock when the holder is killed', async t => {
  const file = await tempFile(t)
  const other = await holder(file, '-x')
  const fd = openSync(file, 'r+')
  t.teardown(() => closeSync(fd))
  let granted = false
  const waiting = lockFd(fd, 'exclusive').then(() => (granted = true))
  // The event loop still runs timers while the lock is awaited...
  await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(granted, false, 'still waiting while the holder lives')
  // ...and the kernel drops the holder's lock when it dies.
  other.kill()
  await other.child
  await waiting
  t.equal(granted, true)
  t.equal(await othersCanLock(file, '-s'), false, 'now we hold it')
})

t.test('flock on a bad descriptor is a Node-shaped error', async t => {
  t.throws(() => tryLockFd(-1, 'exclusive'), { code: 'EBADF', syscall: 'flock' })
  await t.rejects(lockFd(-1, 'exclusive'), { code: 'EBADF', syscall: 'flock' })
  t.throws(() => unlockFd(-1), { code: 'EBADF' })
})
