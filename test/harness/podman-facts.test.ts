// The reference engine agrees with the fixture facts: podman pulls the
// fixtures from a test registry and looks at them from inside containers.
import t from 'tap'
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import {
  BUSYBOX_FACTS,
  HOSTILE_FACTS,
  HOSTILE_NAMES,
  LAYERS_FACTS,
  MULTIARCH_PLATFORMS,
  PLATFORM_FILE,
  PLATFORM_LABEL,
  pushFixtures,
  type FsFact,
} from './fixtures.js'
import { makePodmanEnv, runPodman, type PodmanEnv } from './podman.js'
import { withRegistry } from './registry.js'
import { makeStoreEnv } from './tspod.js'

const typeOf: Record<FsFact['type'], string> = { file: 'regular file', dir: 'directory', symlink: 'symbolic link', fifo: 'fifo' }

async function ok(podman: PodmanEnv, args: string[]): Promise<string> {
  const r = await runPodman(args, { podman })
  if (r.exitCode !== 0) throw new Error(`podman ${args.join(' ')}: exit ${r.exitCode}\n${r.stderr}`)
  return r.stdout
}

t.test('podman sees the facts of busybox, layers and multiarch', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const pushed = await pushFixtures(reg, ['busybox', 'layers', 'multiarch'])
  const store = await makeStoreEnv(t, { registries: [reg], login: true })
  const podman = await makePodmanEnv(store)

  t.equal(await ok(podman, ['run', '--rm', '--network', 'none', pushed.busybox.reference, 'echo', 'hello']), 'hello\n')
  t.equal(await ok(podman, ['run', '--rm', '--network', 'none', pushed.busybox.reference, 'cat', '/etc/passwd']), BUSYBOX_FACTS.entries.find(e => e.path === '/etc/passwd')!.content)

  const layers = pushed.layers.reference
  t.equal(await ok(podman, ['run', '--rm', '--network', 'none', layers]), LAYERS_FACTS.defaultOutput, 'ENTRYPOINT + CMD')
  t.equal(await ok(podman, ['run', '--rm', '--network', 'none', layers, 'x', 'y']), 'entrypoint x y\n', 'arguments replace CMD')
  const id = await ok(podman, ['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', layers, '-c', 'id -u; id -g; pwd; echo "$GREETING|$FIXTURE|${EMPTY-unset}"'])
  const { runAs, workingDir } = LAYERS_FACTS.config
  t.equal(id, `${runAs.uid}\n${runAs.gid}\n${workingDir}\nhello world|layers|\n`, 'USER, WORKDIR, ENV')

  const entries = LAYERS_FACTS.entries
  const stat = await ok(podman, ['run', '--rm', '--network', 'none', '--user', '0', '--entrypoint', 'stat', layers, '-c', '%n|%F|%u|%g|%a|%Y|%i|%h', ...entries.map(e => e.path)])
  const byPath = new Map(stat.trim().split('\n').map(line => [line.split('|')[0]!, line.split('|')] as const))
  for (const f of entries) {
    const s = byPath.get(f.path)
    if (!t.ok(s, `${f.path} exists in the container`)) continue
    const [, type, uid, gid, mode, mtime, ino, links] = s!
    t.equal(type, typeOf[f.type], `${f.path} type`)
    if (f.uid !== undefined) t.equal(Number(uid), f.uid, `${f.path} uid`)
    if (f.gid !== undefined) t.equal(Number(gid), f.gid, `${f.path} gid`)
    if (f.mode !== undefined) t.equal(mode, f.mode.toString(8), `${f.path} mode`)
    if (f.mtime !== undefined) t.equal(Number(mtime), f.mtime, `${f.path} mtime`)
    if (f.hardlinkOf) {
      t.equal(ino, byPath.get(f.hardlinkOf)?.[6], `${f.path} shares an inode with ${f.hardlinkOf}`)
      t.ok(Number(links) >= 2)
    }
  }
  for (const f of entries.filter(e => e.content !== undefined)) {
    const content = await ok(podman, ['run', '--rm', '--network', 'none', '--user', '0', '--entrypoint', 'cat', layers, f.path])
    t.equal(content, f.content, `${f.path} content`)
  }
  for (const f of entries.filter(e => e.target !== undefined)) {
    t.equal(await ok(podman, ['run', '--rm', '--network', 'none', '--entrypoint', 'readlink', layers, f.path]), `${f.target}\n`, `${f.path} target`)
  }
  const absent = await runPodman(['run', '--rm', '--network', 'none', '--user', '0', '--entrypoint', '/bin/sh', layers, '-c', 'for p; do [ -e "$p" ] || [ -L "$p" ] && echo "$p"; done; true', 'sh', ...LAYERS_FACTS.absent], { podman })
  t.equal(absent.stdout, '', 'no deleted path is visible')

  const inspect = JSON.parse(await ok(podman, ['image', 'inspect', layers]))[0] as { Config: Record<string, unknown> }
  const c = inspect.Config
  t.same(c.Labels, LAYERS_FACTS.config.labels)
  t.equal(c.StopSignal, LAYERS_FACTS.config.stopSignal)
  t.same(Object.keys(c.ExposedPorts as object).sort(), LAYERS_FACTS.config.exposedPorts)
  t.same(Object.keys(c.Volumes as object), LAYERS_FACTS.config.volumes)

  const host = MULTIARCH_PLATFORMS.find(p => p.platform.architecture === process.arch.replace('x64', 'amd64'))!
  t.equal(await ok(podman, ['run', '--rm', '--network', 'none', pushed.multiarch.reference, 'cat', PLATFORM_FILE]), host.content, 'host platform chosen')
  const arm = MULTIARCH_PLATFORMS.find(p => p.platform.architecture === 'arm64')!
  await ok(podman, ['pull', '-q', '--arch', 'arm64', '--variant', 'v8', pushed.multiarch.reference])
  t.equal((await ok(podman, ['image', 'inspect', '--format', `{{index .Labels "${PLATFORM_LABEL}"}}`, pushed.multiarch.reference])).trim(), arm.label, '--arch arm64 picks the arm64 image')
})

t.test('podman pulling the hostile images writes nothing outside its store', async t => {
  const reg = await withRegistry(t)
  const store = await makeStoreEnv(t, { registries: [reg] })
  const podman = await makePodmanEnv(store)
  for (const name of HOSTILE_NAMES) {
    const facts = HOSTILE_FACTS[name]
    const created: string[] = []
    for (const d of facts.prepare.dirs) if (!existsSync(d)) (mkdirSync(d), created.push(d))
    for (const f of facts.prepare.files) if (!existsSync(f)) (writeFileSync(f, 'victim\n'), created.push(f))
    t.teardown(() => created.reverse().forEach(p => rmSync(p, { recursive: true, force: true })))
    const img = (await pushFixtures(reg, [name]))[name]
    const pull = await runPodman(['pull', '-q', img.reference], { podman })
    const r = pull.exitCode === 0 ? await runPodman(['create', img.reference], { podman }) : pull
    t.comment(`podman with ${name}: pull exit ${pull.exitCode}${pull.exitCode ? `: ${pull.stderr.trim().split('\n').at(-1)}` : ', create exit ' + r.exitCode}`)
    for (const p of facts.hostPaths) {
      if (facts.prepare.files.includes(p)) t.equal(statSync(p).nlink, 1, `${name}: ${p} not linked`)
      else t.notOk(existsSync(p), `${name}: ${p} not created`)
    }
  }
})
