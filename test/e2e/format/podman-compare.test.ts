// The same format strings against podman and tspod, on the same images from
// the same registry and the same containers: the fields that do not depend on
// the engine (names, tags, digests, IDs, config values, exit codes, states),
// the JSON documents' shapes (keys and their order), and the error messages
// and exit statuses scripts grep for. podman runs isolated in the test's
// store (its own --root, --runroot, --tmpdir, containers.conf: see
// test/harness/podman.ts), never touching the user's own podman.
import t, { type Test } from 'tap'
import { pushFixtures } from '../../harness/fixtures.js'
import { makePodmanEnv, runPodman } from '../../harness/podman.js'
import { withRegistry } from '../../harness/registry.js'
import { makeStoreEnv, runTspod } from '../../harness/tspod.js'

const reg = await withRegistry(t)
const fx = await pushFixtures(reg, ['busybox', 'layers'])
const store = await makeStoreEnv(t, { registries: [reg] })
const podmanEnv = await makePodmanEnv(store)
store.beforeRemove(async () => {
  await runTspod(['rm', '--all', '--force'], { env: store })
})

interface Result {
  stdout: string
  stderr: string
  exitCode: number
}
const engines: Record<'podman' | 'tspod', (args: string[]) => Promise<Result>> = {
  podman: args => runPodman(args, { podman: podmanEnv }),
  tspod: args => runTspod(args, { env: store }),
}
async function both(args: string[]): Promise<{ podman: Result; tspod: Result }> {
  const [podman, tspod] = await Promise.all([engines.podman(args), engines.tspod(args)])
  return { podman, tspod }
}
async function ok(args: string[]): Promise<{ podman: string; tspod: string }> {
  const r = await both(args)
  for (const [name, res] of Object.entries(r)) if (res.exitCode !== 0) throw new Error(`${name} ${args.join(' ')}: exit ${res.exitCode}\n${res.stderr}`)
  return { podman: r.podman.stdout, tspod: r.tspod.stdout }
}

const busybox = fx.busybox.reference
const layers = fx.layers.reference
await ok(['pull', '-q', busybox])
await ok(['pull', '-q', layers])
await ok(['tag', busybox, 'localhost/mybox:1.0'])
const setup: [string[], number][] = [
  [['run', '--network', 'none', '--name', 'ex7', busybox, 'sh', '-c', 'exit 7'], 7],
  [['run', '--network', 'none', '-d', '--name', 'web', '--label', 'app=web', '--label', 'x.y/z=w', busybox, 'sleep', '600'], 0],
  [['create', '--network', 'none', '--name', 'made', '--restart', 'always', layers], 0],
]
for (const [args, code] of setup) {
  const r = await both(args)
  for (const [name, res] of Object.entries(r)) {
    if (res.exitCode !== code) throw new Error(`${name} ${args.join(' ')}: exit ${res.exitCode}, expected ${code}\n${res.stderr}`)
  }
}

/** The same output from both, once `podman` is read as `tspod`. */
async function same(t: Test, args: string[], what = args.join(' ')): Promise<void> {
  const r = await ok(args)
  t.equal(r.tspod, r.podman, what)
}

t.test('images: names, tags, digests, IDs, labels, creation times', async t => {
  await same(t, ['images', '--sort', 'repository', '--format', '{{.Repository}}|{{.Tag}}|{{.Digest}}|{{.ID}}|{{.Labels}}|{{.CreatedAt}}|{{.Created}}|{{.Dangling}}|{{.ReadOnly}}'])
  await same(t, ['images', '--sort', 'repository', '--format', 'table {{.Repository}} {{.Tag}} {{.ID}} {{.Created}} {{.Digest}}'])
  await same(t, ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=*box'])
  await same(t, ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'label=org.tspod.fixture=layers'])
  await same(t, ['images', '-q', '--no-trunc', '--sort', 'id'])
  await same(t, ['images', '--format', 'table {{.ID}} {{.Repository}}', '--filter', 'reference=nothing'])
})

t.test('image inspect: config values', async t => {
  const fields = [
    '.ID', '.Digest', '.RepoTags', '.RepoDigests', '.Config.Env', '.Config.Cmd', '.Config.Entrypoint', '.Config.User', '.Config.WorkingDir',
    '.Config.Labels', '.Config.ExposedPorts', '.Config.Volumes', '.Config.StopSignal', '.Architecture', '.Os', '.Author', '.Created',
    '.RootFS.Type', '.RootFS.Layers', '.ManifestType', '.User', '.Labels', '.Comment', '.Parent',
  ]
  for (const image of [busybox, layers]) {
    await same(t, ['image', 'inspect', '--format', fields.map(f => `{{${f}}}`).join('|'), image], `image inspect ${image}`)
    await same(t, ['image', 'inspect', '--format', '{{json .History}} {{json .Config}} {{index .Labels "org.tspod.fixture"}}', image])
  }
})

t.test('container inspect and ps: names, states, exit codes, commands, labels', async t => {
  const fields = [
    '.Name', '.State.Status', '.State.ExitCode', '.State.Running', '.State.OOMKilled', '.Config.Cmd', '.Path', '.Args', '.Config.Labels',
    '.ImageName', '.Image', '.Config.WorkingDir', '.Config.User', '.Config.Tty', '.Config.OpenStdin', '.HostConfig.RestartPolicy.Name',
    '.Config.Entrypoint', '.Config.StopSignal', '.HostConfig.AutoRemove', '.HostConfig.Privileged', '.HostConfig.ReadonlyRootfs',
    '.NetworkSettings.Ports', '.HostConfig.NetworkMode', '.RestartCount', '.Config.Image', '.Driver',
  ]
  for (const name of ['ex7', 'web', 'made']) {
    await same(t, ['inspect', '--format', fields.map(f => `{{${f}}}`).join('|'), name], `inspect ${name}`)
  }
  await same(t, ['inspect', '--format', '{{.Mounts}}', 'web'], 'no mounts (web has no image volumes)')
  await same(t, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'ex7'])
  await same(t, ['inspect', '--format', '{{index .Config.Labels "x.y/z"}}', 'web'])
  await same(t, ['container', 'inspect', '--format', '{{.Name}}', 'made', 'ex7'])
  // (Not .Mounts: podman makes anonymous volumes for an image's VOLUMEs, tspod does not yet.)
  const ps = '{{.Names}}|{{.Image}}|{{.ImageID}}|{{.Command}}|{{.ExitCode}}|{{.Exited}}|{{.Labels}}|{{.Ports}}|{{.ListContainer.State}}|{{.Networks}}|{{.Pod}}'
  await same(t, ['ps', '-a', '--format', ps])
  await same(t, ['ps', '-a', '--no-trunc', '--format', '{{.Names}} {{.ImageID}}', '--sort', 'names'])
  await same(t, ['ps', '-a', '--format', 'table {{.Names}} {{.Image}} {{.Command}}'])
  for (const filter of ['status=exited', 'name=^w', 'label=app=web', 'exited=7', `ancestor=${busybox}`, 'since=ex7', 'before=made', 'status=created']) {
    await same(t, ['ps', '-a', '--filter', filter, '--format', '{{.Names}}'], `ps --filter ${filter}`)
  }
  await same(t, ['ps', '-a', '--filter', 'status=exited', '--filter', 'status=created', '--filter', 'name=e', '--format', '{{.Names}}'], 'filters combined')
  await same(t, ['ps', '--filter', 'name=nothing', '--format', 'table {{.ID}} {{.Names}} {{.CreatedAt}} {{.RunningFor}}'])
  await same(t, ['ps', '-l', '--format', '{{.Names}}'])
  await same(t, ['ps', '-n', '2', '--format', '{{.Names}}'])
  await same(t, ['info', '--format', '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Version}} {{.Host.Slirp4NetNS.Executable}} {{.Host.Slirp4NetNS.Version}}'], 'info: the host\'s runtime and slirp4netns')
})

/** Keys of an object, and of the objects under `paths`, in order. */
function shape(doc: Record<string, any>, paths: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = { '': Object.keys(doc) }
  for (const p of paths) {
    const v = p.split('.').reduce<any>((o, k) => o?.[k], doc)
    out[p] = v && typeof v === 'object' ? Object.keys(v) : []
  }
  return out
}

t.test('JSON documents have podman\'s keys in podman\'s order', async t => {
  const ps = await ok(['ps', '-a', '--format', 'json', '--filter', 'name=web'])
  t.same(shape(JSON.parse(ps.tspod)[0], []), shape(JSON.parse(ps.podman)[0], []), 'ps --format json')
  t.match(ps.tspod, /"Namespaces": \{\n {6}\n {4}\}/, 'json-iterator\'s empty object, as podman prints it')
  const images = await ok(['images', '--format', 'json', '--filter', 'reference=*layers'])
  t.same(shape(JSON.parse(images.tspod)[0], []), shape(JSON.parse(images.podman)[0], []), 'images --format json')
  const inspect = await ok(['inspect', 'web'])
  const sections = ['State', 'Config', 'HostConfig', 'NetworkSettings', 'GraphDriver', 'State.Health']
  const podmanShape = shape(JSON.parse(inspect.podman)[0], sections)
  const tspodShape = shape(JSON.parse(inspect.tspod)[0], sections)
  for (const s of ['', ...sections]) t.same(tspodShape[s], podmanShape[s], `inspect: keys of ${s || 'the container'}`)
  const image = await ok(['image', 'inspect', layers])
  t.same(shape(JSON.parse(image.tspod)[0], ['Config', 'RootFS']), shape(JSON.parse(image.podman)[0], ['Config', 'RootFS']), 'image inspect')
  t.equal(inspect.tspod.split('\n')[1], inspect.podman.split('\n')[1], 'inspect indents by five spaces')
  const info = await ok(['info', '--format', 'json'])
  const infoSections = ['host', 'store', 'version', 'store.containerStore', 'host.security', 'host.idMappings']
  const podmanInfo = shape(JSON.parse(info.podman), infoSections)
  const tspodInfo = shape(JSON.parse(info.tspod), infoSections)
  for (const s of ['', ...infoSections]) {
    t.same(tspodInfo[s]!.filter(k => !['remoteSocket'].includes(k)), podmanInfo[s]!.filter(k => !['remoteSocket'].includes(k)), `info: keys of ${s || 'the document'}`)
  }
  const version = await ok(['version', '--format', 'json'])
  t.same(shape(JSON.parse(version.tspod), ['Client']), shape(JSON.parse(version.podman), ['Client']), 'version --format json')
  await same(t, ['history', '--format', 'json', busybox], 'history --format json')
  await same(t, ['history', '--no-trunc', '--format', '{{.ID}} {{.CreatedBy}} {{.Size}} {{.CreatedAt}}', layers])
})

t.test('errors and exit statuses', async t => {
  const cases: string[][] = [
    ['inspect', 'nosuch'],
    ['inspect', 'web', 'nosuch', '--format', '{{.Name}}'],
    ['container', 'inspect', 'nosuch'],
    ['image', 'inspect', 'nosuch'],
    ['rm', 'nosuch'],
    ['rm', 'nosuch', 'made'],
    ['rm', 'web'],
    ['stop', 'nosuch'],
    ['kill', 'nosuch'],
    ['kill', 'made'],
    ['rm', '--ignore', 'nosuch'],
    ['stop', '--ignore', 'nosuch'],
    ['rmi', 'nosuch'],
    ['image', 'exists', 'nosuch'],
    ['container', 'exists', 'nosuch'],
    ['container', 'exists', 'web'],
    ['image', 'exists', busybox],
    ['create', '--name', 'web', busybox],
    ['ps', '--filter', 'foo=bar'],
    ['ps', '--filter', 'status=bogus'],
    ['ps', '--filter', 'nokey'],
    ['images', '--filter', 'foo=bar'],
    ['images', '--sort', 'bogus'],
    ['ps', '--format', '{{.Names}} {{.Nope}}'],
    ['ps', '--format', '{{'],
    ['images', '--format', '{{.Nope}}'],
    ['inspect', '--format', '{{.State.Nope}}', 'web'],
    ['info', '--format', '{{.Host.Nope}}'],
    ['history', 'nosuch'],
    ['ps', '--bogus-flag'],
    ['ps', 'extra'],
    ['image'],
    ['image', 'bogus'],
    ['bogus-command'],
    ['rm'],
    ['rm', '-t', '0', 'made'],
    ['stop', '--all', '--latest'],
  ]
  for (const args of cases) {
    const r = await both(args)
    const what = args.join(' ')
    t.equal(r.tspod.exitCode, r.podman.exitCode, `${what}: exit status ${r.podman.exitCode}`)
    t.equal(r.tspod.stdout.trim() === '', r.podman.stdout.trim() === '', `${what}: output on stdout or not, as podman`)
    const podmanErr = r.podman.stderr.replaceAll('podman', 'tspod').split('\n').filter(l => l.startsWith('Error') || l.startsWith('error') || l.startsWith('See') || l.startsWith('Try'))
    const tspodErr = r.tspod.stderr.split('\n').filter(l => l.startsWith('Error') || l.startsWith('error') || l.startsWith('See') || l.startsWith('Try'))
    // Container IDs differ between the engines; podman lists --sort keys in Go's random map order.
    const ids = (lines: string[]) =>
      lines.map(l => l.replace(/\b[0-9a-f]{64}\b/g, 'ID').replace(/(Choose from: )(.*)$/, (_, a: string, b: string) => a + b.split(', ').sort().join(', ')))
    t.same(ids(tspodErr), ids(podmanErr), `${what}: podman's error lines`)
  }
})

t.test('run: the container\'s exit status; 126 and 127 when the command cannot run', async t => {
  for (const [args, code] of [
    [['sh', '-c', 'exit 3'], 3],
    [['/nonexistent'], 127],
    [['/etc'], 126],
  ] as const) {
    const r = await both(['run', '--rm', '--network', 'none', busybox, ...args])
    t.equal(r.podman.exitCode, code, `podman run ${args.join(' ')}`)
    t.equal(r.tspod.exitCode, code, `tspod run ${args.join(' ')}`)
  }
})
