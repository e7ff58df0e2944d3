// Twenty CLIs at once, no daemon to serialise them: every `run -d` gets a
// distinct running container, names (given and generated) are all kept,
// every state file stays valid JSON; then twenty `rm -f` at once leave
// nothing behind — no record, run directory, runtime state, mount or shim.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cmdline, listTree, ok, processGone, psStates, storeMounts, storeWith, tspod, withImages } from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images)
const busybox = images.busybox.reference
const N = 20

t.test(`${N} run -d in parallel, then ${N} rm -f in parallel`, async t => {
  const named = (i: number) => i % 2 === 0
  const runs = await Promise.all(
    Array.from({ length: N }, (_, i) => tspod(env, ['run', '-d', ...(named(i) ? ['--name', `par-${i}`] : []), busybox, 'sh', '-c', `echo started ${i}; sleep 600`])),
  )
  runs.forEach((r, i) => t.equal(r.exitCode, 0, `run ${i}: ${r.stderr.trim()}`))
  const ids = runs.map(r => r.stdout.trim())
  t.ok(ids.every(id => /^[0-9a-f]{64}$/.test(id)), 'each printed an ID')
  t.equal(new Set(ids).size, N, `${N} distinct IDs`)

  const states = await psStates(t, env)
  t.equal(Object.keys(states).length, N, `ps -a lists ${N} containers`)
  t.ok(Object.values(states).every(s => s === 'running'), 'all of them running')
  for (let i = 0; i < N; i += 2) t.equal(states[`par-${i}`], 'running', `the name par-${i} is there`)
  const generated = Object.keys(states).filter(n => !n.startsWith('par-'))
  t.equal(generated.length, N / 2, 'and the generated names, all distinct')
  t.ok(generated.every(n => /^[a-z]+_[a-z]+$/.test(n)), `generated names look like adjective_noun: ${generated.join(' ')}`)

  const pids = new Set<number>()
  const shims = new Set<number>()
  for (const id of ids) {
    let state: { status?: string; pid?: number; shimPid?: number } = {}
    const text = readFileSync(join(env.root, 'containers', id, 'state.json'), 'utf8')
    t.doesNotThrow(() => (state = JSON.parse(text)), `state.json of ${id.slice(0, 12)} is valid JSON`)
    t.equal(state.status, 'running')
    if (state.pid) pids.add(state.pid)
    if (state.shimPid) shims.add(state.shimPid)
  }
  t.equal(pids.size, N, `${N} distinct container processes`)
  t.equal(shims.size, N, `${N} distinct shims`)
  t.ok([...pids].every(p => cmdline(p) === 'sleep 600'), 'every container process is alive')
  t.equal(storeMounts(env).length, N, `${N} root file systems mounted`)
  const logs = await Promise.all(ids.map(id => tspod(env, ['logs', id])))
  t.ok(logs.every((l, i) => l.stdout === `started ${i}\n`), "each container's log has its own output")

  const removals = await Promise.all(ids.map(id => tspod(env, ['rm', '-f', '-t', '0', id])))
  removals.forEach((r, i) => t.equal(r.exitCode, 0, `rm -f ${i}: ${r.stderr.trim()}`))
  t.same(await psStates(t, env), {}, 'ps -a: nothing')
  t.same(readdirSync(join(env.root, 'containers')).filter(n => !n.endsWith('.lock')), [], 'containers/: nothing but the lock')
  t.same(listTree(join(env.runroot, 'c')), [], 'run root: no container directories')
  t.same(listTree(join(env.runroot, 'runtime')), [], 'runc: no state')
  t.same(storeMounts(env), [], 'no mounts')
  t.ok([...pids, ...shims].every(processGone), 'every container process and shim is gone')
  t.equal((await ok(t, env, ['ps', '-aq'])).stdout, '')
})
