import t from 'tap'
import { execa } from 'execa'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeSyscalls } from '../../native-bindings/fake.js'
import { nodeWithTs } from '../rootless/testing.js'
import { acquireLock, withLock } from './lock.js'

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tspod-lock-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

const othersCanLock = async (file: string, mode = '-x') =>
  (await execa('flock', [mode, '-n', file, 'true'], { reject: false })).exitCode === 0

t.test('withLock creates the file, holds the lock while fn runs, releases after', async t => {
  const file = join(await tempDir(t), 'sub.lock')
  const seen = await withLock(file, async () => othersCanLock(file))
  t.equal(seen, false, 'another process could not lock it meanwhile')
  t.equal(await othersCanLock(file), true, 'released')
})

t.test('withLock releases when fn throws', async t => {
  const file = join(await tempDir(t), 'lock')
  await t.rejects(withLock(file, () => Promise.reject(new Error('boom'))), { message: 'boom' })
  t.equal(await othersCanLock(file), true)
})

t.test('shared locks admit other readers, not writers', async t => {
  const file = join(await tempDir(t), 'lock')
  const lock = await acquireLock(file, { shared: true })
  t.equal(await othersCanLock(file, '-s'), true)
  t.equal(await othersCanLock(file, '-x'), false)
  const second = await acquireLock(file, { shared: true })
  t.pass('a second shared holder in this process did not wait')
  await second.release()
  await lock.release()
  await lock.release() // idempotent
  t.equal(await othersCanLock(file, '-x'), true)
})

t.test('in one process, exclusive holders of a path take turns (and many waiters do not deadlock)', async t => {
  const file = join(await tempDir(t), 'lock')
  const events: string[] = []
  let inside = 0
  let maxInside = 0
  await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      withLock(file, async () => {
        inside++
        maxInside = Math.max(maxInside, inside)
        events.push(`in ${i}`)
        // fs work on the threadpool while others wait for the same lock
        await rm(join(file, '..', `nothing-${i}`), { force: true })
        inside--
      }),
    ),
  )
  t.equal(maxInside, 1)
  t.equal(events.length, 12)
})

t.test('a lock held by a killed process is free at once (no stale locks)', async t => {
  const file = join(await tempDir(t), 'lock')
  const lockModule = new URL('./lock.ts', import.meta.url).pathname
  const [node, ...args] = nodeWithTs(
    `const { acquireLock } = await import(${JSON.stringify(lockModule)}); await acquireLock(${JSON.stringify(file)}); console.log('locked'); setInterval(() => {}, 1000)`,
  )
  const child = execa(node!, args, { reject: false })
  await new Promise<void>(resolve => child.stdout!.once('data', () => resolve()))
  t.equal(await othersCanLock(file), false, 'the child holds it')
  let got = false
  const waiting = acquireLock(file).then(l => {
    got = true
    return l
  })
  await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(got, false, 'we wait for it')
  child.kill('SIGKILL')
  const lock = await waiting
  t.equal(got, true)
  await lock.release()
})

t.test('the syscalls can be injected (recording fake)', async t => {
  const file = join(await tempDir(t), 'lock')
  const fake = new FakeSyscalls({ lockFree: false })
  await withLock(file, () => {}, { syscalls: fake, shared: true })
  t.same(
    fake.calls.map(c => c.name),
    ['tryFlock', 'flock', 'unlock'],
  )
  t.equal(fake.callsOf('flock')[0]![1], 'shared')
})
