// rm, stop, kill and restart on several containers at once, reported as
// podman reports them: each success on its own line (the name as typed, or
// the full ID for --all/--latest/--filter), failures after them as
// `Error: …` lines, podman's exit statuses (rm: 1 missing, 2 running).
import t from 'tap'
import { pushFixture } from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import { makeStoreEnv, runTspod } from '../../harness/tspod.js'

const reg = await withRegistry(t)
const image = (await pushFixture(reg, 'busybox')).reference
const env = await makeStoreEnv(t, { registries: [reg] })
env.beforeRemove(async () => {
  await runTspod(['rm', '--all', '--force'], { env })
})
const tspod = (args: string[]) => runTspod(args, { env })
async function ok(args: string[]): Promise<string> {
  const r = await tspod(args)
  if (r.exitCode !== 0) throw new Error(`tspod ${args.join(' ')}: exit ${r.exitCode}\n${r.stderr}`)
  return r.stdout
}
const idOf = async (name: string) => (await ok(['inspect', '--format', '{{.ID}}', name])).trim()

await ok(['pull', '-q', image])
for (const name of ['a', 'b']) await ok(['run', '-d', '--name', name, image, 'sleep', '600'])
await ok(['create', '--name', 'c', image])
const ids = { a: await idOf('a'), b: await idOf('b'), c: await idOf('c') }

t.test('a missing name stops the whole command, unless ignored', async t => {
  const stop = await tspod(['stop', '-t', '0', 'a', 'nosuch'])
  t.same([stop.exitCode, stop.stdout, stop.stderr], [125, '', 'Error: no container with name or ID "nosuch" found: no such container\n'])
  t.equal(await ok(['ps', '--format', '{{.Names}}']), 'a\nb\n', 'nothing was stopped')
  const rm = await tspod(['rm', 'c', 'nosuch'])
  t.same([rm.exitCode, rm.stdout], [1, ''], 'rm: exit 1, nothing removed')
  const kill = await tspod(['kill', 'nosuch', 'a'])
  t.same([kill.exitCode, kill.stdout], [125, ''])
})

t.test('names are echoed as typed; --all echoes IDs; kill --all only running', async t => {
  t.equal(await ok(['kill', '-s', 'CONT', 'a', ids.b.slice(0, 12)]), `a\n${ids.b.slice(0, 12)}\n`)
  const all = (await ok(['kill', '-s', 'CONT', '--all'])).split('\n').filter(Boolean).sort()
  t.same(all, [ids.a, ids.b].sort(), 'kill --all: the running ones, by ID')
  const latest = await ok(['stop', '--latest'])
  t.equal(latest, `${ids.c}\n`, 'stop --latest: the newest container (created, so nothing to do), by ID')
})

t.test('rm of a running container needs --force (exit 2); errors follow successes', async t => {
  const r = await tspod(['rm', 'c', 'a'])
  t.equal(r.exitCode, 2)
  t.equal(r.stdout, 'c\n', 'the stopped one is removed and echoed')
  t.match(r.stderr, /^Error: cannot remove container [0-9a-f]{64} as it is running - running or paused containers cannot be removed without force: container state improper\n$/)
  t.equal((await tspod(['rm', '-t', '0', 'a'])).stderr, 'Error: --force option must be specified to use the --time option\n')
  t.equal(await ok(['rm', '--ignore', 'nosuch']), '')
  t.equal(await ok(['rm', '-f', '-t', '0', 'nosuch', 'a']), 'a\n', '--force: missing names are skipped silently')
})

t.test('stop --filter, stop --all', async t => {
  t.equal(await ok(['stop', '-t', '0', '--filter', 'name=^b$']), `${ids.b}\n`)
  t.equal(await ok(['ps', '-a', '--format', '{{.Names}} {{.ExitCode}}']), 'b 137\n')
  t.equal(await ok(['stop', '--all']), `${ids.b}\n`, 'a stopped container stops again without error')
  const usage = await tspod(['stop', '--all', 'b'])
  t.same([usage.exitCode, usage.stderr], [125, 'Error: no arguments are needed with --all\n'])
  const none = await tspod(['kill'])
  t.same([none.exitCode, none.stderr], [125, 'Error: you must provide at least one name or id\n'])
})
