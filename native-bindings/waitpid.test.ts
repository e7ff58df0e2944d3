// Waiting for children Node did not spawn: orphans adopted as a subreaper.
import t from 'tap'
import { execa } from 'execa'
import { readFileSync } from 'node:fs'
import { decodeWaitStatus, waitForExit, waitForExitOnWorker } from './waitpid.js'
import { isChildSubreaper, setChildSubreaper } from './subreaper.js'

/**
 * Starts `script` in the background of a shell that exits at once: the orphan
 * becomes our child. (Scripts outlive the shell, else the shell reaps them.)
 */
async function orphan(script: string): Promise<number> {
  const r = await execa('sh', ['-c', `(${script}) >/dev/null 2>&1 & echo $!`])
  return Number(r.stdout)
}

async function untilZombie(pid: number): Promise<void> {
  const state = () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
  }
  while (state() !== 'Z') await new Promise(resolve => setTimeout(resolve, 10))
}

function parentOf(pid: number): Promise<number> {
  return execa('ps', ['-o', 'ppid=', '-p', String(pid)]).then(r => Number(r.stdout.trim()))
}

t.before(() => setChildSubreaper())

t.test('this process is a subreaper, so orphans are reparented to it', async t => {
  t.equal(isChildSubreaper(), true)
  const pid = await orphan('sleep 5')
  t.equal(await parentOf(pid), process.pid)
  process.kill(pid, 'SIGKILL')
  await waitForExit(pid)
})

t.test('exit code', async t => {
  const pid = await orphan('sleep 0.5; exit 7')
  let ticks = 0
  const timer = setInterval(() => ticks++, 10)
  const status = await waitForExit(pid)
  clearInterval(timer)
  t.same(status, { exitCode: 7, signal: null, status: 7 })
  t.ok(ticks > 0, 'timers ran while waiting: the event loop was not blocked')
})

t.test('killed by a signal', async t => {
  const pid = await orphan('sleep 30')
  const waiting = waitForExit(pid)
  process.kill(pid, 'SIGTERM')
  t.same(await waiting, { exitCode: null, signal: 'SIGTERM', status: 143 })
})

t.test('a process that already exited (zombie) is reaped at once', async t => {
  const pid = await orphan('sleep 0.5; exit 3')
  t.equal(await parentOf(pid), process.pid)
  await untilZombie(pid)
  t.same(await waitForExit(pid), { exitCode: 3, signal: null, status: 3 })
  await t.rejects(waitForExit(pid), { code: 'ESRCH', syscall: 'pidfd_open' }, 'and only once')
})

t.test('waiting can be aborted', async t => {
  const pid = await orphan('sleep 30')
  const ac = new AbortController()
  const waiting = waitForExit(pid, { signal: ac.signal })
  ac.abort(new Error('stop waiting'))
  await t.rejects(waiting, { message: 'stop waiting' })
  process.kill(pid, 'SIGKILL')
  t.equal((await waitForExit(pid)).signal, 'SIGKILL', 'still reapable afterwards')
})

t.test('a process that is not our child', async t => {
  await t.rejects(waitForExit(1), { code: 'ECHILD' })
})

t.test('the worker-thread fallback (kernels without pidfd_open)', async t => {
  const pid = await orphan('sleep 0.5; exit 9')
  t.same(await waitForExitOnWorker(pid), { exitCode: 9, signal: null, status: 9 })
  const killed = await orphan('sleep 30')
  const waiting = waitForExitOnWorker(killed)
  process.kill(killed, 'SIGKILL')
  t.same(await waiting, { exitCode: null, signal: 'SIGKILL', status: 137 })
})

t.test('decodeWaitStatus', async t => {
  t.same(decodeWaitStatus(0x0100), { exitCode: 1, signal: null, status: 1 })
  t.same(decodeWaitStatus(0x0009), { exitCode: null, signal: 'SIGKILL', status: 137 })
  t.same(decodeWaitStatus(0x0086), { exitCode: null, signal: 'SIGABRT', status: 134 }, 'core dumped')
})
