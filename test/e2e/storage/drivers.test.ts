// Each storage driver, forced with --storage-driver or STORAGE_DRIVER, runs the
// `layers` fixture: inside the container the merged root is what the image
// says (whiteouts, opaque directory, hard links, owners, setuid), a file one
// container writes is absent from another, a container keeps its changes
// (and its driver) across starts, and `rm` leaves nothing: no container
// directory, no vfs copy, no fuse-overlayfs process.
import t from 'tap'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LAYERS_FACTS, pushFixture } from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import type { StoreEnv } from '../../harness/tspod.js'
import { STORAGE_DRIVERS, type StorageDriverName } from '../../../src/storage/driver.js'
import { containerStore, eventually, FACTS_SCRIPT, factProblems, fuseDaemonsOf, parseFacts, tspod } from './helpers.js'

const reg = await withRegistry(t)
const image = (await pushFixture(reg, 'layers')).reference

/** How each driver is forced: the flag before the command, the variable, the flag after the command. */
function forcing(driver: StorageDriverName): { before: string[]; after: string[]; extraEnv: Record<string, string> } {
  if (driver === 'fuse-overlayfs') return { before: [], after: [], extraEnv: { STORAGE_DRIVER: driver } }
  if (driver === 'vfs') return { before: [], after: ['--storage-driver', driver], extraEnv: {} }
  return { before: ['--storage-driver', driver], after: [], extraEnv: {} }
}

function record(env: StoreEnv, id: string): { name: string; storageDriver?: string } {
  return JSON.parse(readFileSync(join(env.root, 'containers', id, 'container.json'), 'utf8'))
}

function idOf(env: StoreEnv, name: string): string {
  const id = readdirSync(join(env.root, 'containers')).find(d => existsSync(join(env.root, 'containers', d, 'container.json')) && record(env, d).name === name)
  if (!id) throw new Error(`no container named ${name} in ${env.root}`)
  return id
}

const shellAsRoot = ['-u', '0', '--entrypoint', '/bin/sh', image, '-c']

for (const driver of STORAGE_DRIVERS) {
  t.test(`${driver} driver`, async t => {
    const env = await containerStore(t, [reg])
    const f = forcing(driver)
    const run = (args: string[]) => tspod(env, [...f.before, args[0]!, ...f.after, ...args.slice(1)], { extraEnv: f.extraEnv })
    const pull = await tspod(env, ['pull', '-q', image])
    t.equal(pull.exitCode, 0, pull.stderr)

    // The merged root, seen from inside the container.
    const paths = [...LAYERS_FACTS.entries.map(e => e.path), ...LAYERS_FACTS.absent]
    const facts = await run(['run', '--rm', ...shellAsRoot, FACTS_SCRIPT, 'sh', ...paths])
    t.equal(facts.exitCode, 0, `run --rm succeeds: ${facts.stderr}`)
    t.equal(facts.stderr, '', 'a driver asked for prints no warning')
    const seen = parseFacts(facts.stdout)
    for (const fact of LAYERS_FACTS.entries) t.same(factProblems(fact, seen.get(fact.path), seen), [], `${fact.path} as in the image`)
    for (const path of LAYERS_FACTS.absent) t.equal(seen.get(path), 'absent', `${path} is absent`)
    t.ok(await eventually(() => fuseDaemonsOf(env).length === 0), 'after run --rm, no fuse-overlayfs process is left')

    // One container's changes: its own, kept across starts, invisible to others.
    const writer = await run(['run', '--name', 'writer', ...shellAsRoot, 'cat /srv/written 2>/dev/null || echo none; echo mine > /srv/written; rm /srv/replaced'])
    t.equal(writer.stdout, 'none\n', `the first start sees a fresh root: ${writer.stderr}`)
    const other = await run(['run', '--rm', ...shellAsRoot, 'cat /srv/written 2>/dev/null || echo none; cat /srv/replaced'])
    t.equal(other.stdout, 'none\nv2\n', `another container sees neither the new file nor the deletion: ${other.stderr}`)
    const writerId = idOf(env, 'writer')
    t.equal(record(env, writerId).storageDriver, driver, 'the record names the driver')
    const named = await tspod(env, ['inspect', '--format', '{{.Driver}} {{.GraphDriver.Name}}', 'writer'])
    t.equal(named.stdout, `${driver} ${driver}\n`, 'and so does inspect')
    // Started again without forcing anything: it keeps its driver and its files.
    const again = await tspod(env, ['start', '-a', 'writer'])
    t.equal(again.stdout, 'mine\n', `a second start sees the container's own changes: ${again.stderr}`)
    t.equal(existsSync(join(env.root, 'containers', writerId, 'rootfs')), driver === 'vfs', 'a vfs container has its copy, others none')

    // A running container: its mount, then stop and rm leave nothing behind.
    const started = await run(['run', '-d', '--name', 'sleeper', ...shellAsRoot, 'echo x > /srv/x; exec sleep 600'])
    t.equal(started.exitCode, 0, started.stderr)
    const id = started.stdout.trim()
    const daemons = fuseDaemonsOf(env, id)
    t.equal(daemons.length, driver === 'fuse-overlayfs' ? 1 : 0, 'one fuse-overlayfs process serves a fuse-overlayfs container, none any other')
    const stop = await tspod(env, ['stop', '-t', '0', 'sleeper'])
    t.equal(stop.exitCode, 0, stop.stderr)
    t.ok(await eventually(() => fuseDaemonsOf(env, id).length === 0), 'after stop, no fuse-overlayfs process serves it')
    const containerDir = join(env.root, 'containers', id)
    t.ok(existsSync(join(containerDir, driver === 'vfs' ? 'rootfs/srv/x' : 'upper/srv/x')), 'its change is in its copy (vfs) or upper directory')
    // Removed while running: killed, unmounted, deleted.
    const forced = await run(['run', '-d', ...shellAsRoot, 'exec sleep 600'])
    t.equal(forced.exitCode, 0, forced.stderr)
    const forcedId = forced.stdout.trim()
    t.equal(fuseDaemonsOf(env, forcedId).length, driver === 'fuse-overlayfs' ? 1 : 0, 'mounted while it runs')
    const rmf = await tspod(env, ['rm', '-f', forcedId])
    t.equal(rmf.exitCode, 0, rmf.stderr)
    t.ok(await eventually(() => fuseDaemonsOf(env, forcedId).length === 0), 'after rm -f, no fuse-overlayfs process serves it')
    t.notOk(existsSync(join(env.root, 'containers', forcedId)), 'rm -f removes its directory')
    for (const name of ['sleeper', 'writer']) {
      const rm = await tspod(env, ['rm', name])
      t.equal(rm.exitCode, 0, rm.stderr)
    }
    t.notOk(existsSync(containerDir), 'rm removes the container directory (upper directory or vfs copy included)')
    t.notOk(existsSync(join(env.root, 'containers', writerId)), 'rm removes a stopped container directory')
    const ps = await tspod(env, ['ps', '-a', '-q'])
    t.equal(ps.stdout, '', 'no containers left')
  })
}
