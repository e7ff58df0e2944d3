// `--format` against real containers and images: a table of Go templates
// with the text podman prints for them (nested fields, index into maps with
// dotted keys, range, json of a slice, table headers, a missing field's
// error, {{.}} of a map), and the scripts the issue names: ps status words
// after run/stop/exit, `exited 7`, normalised image names, the graph root.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { pushFixtures, LAYERS_LABELS } from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import { REPO_ROOT, makeStoreEnv, runTspod, type StoreEnv } from '../../harness/tspod.js'

/** The built CLI reports package.json's version. */
const VERSION = (JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string }).version

const reg = await withRegistry(t)
const fx = await pushFixtures(reg, ['busybox', 'layers'])
const env: StoreEnv = await makeStoreEnv(t, { registries: [reg] })
env.beforeRemove(async () => {
  await runTspod(['rm', '--all', '--force'], { env })
})

const tspod = (args: string[]) => runTspod(args, { env })
async function ok(args: string[]): Promise<string> {
  const r = await tspod(args)
  if (r.exitCode !== 0) throw new Error(`tspod ${args.join(' ')}: exit ${r.exitCode}\n${r.stderr}`)
  return r.stdout
}

const busybox = fx.busybox.reference
const layers = fx.layers.reference
await ok(['pull', '-q', busybox])
await ok(['pull', '-q', layers])
const ex7 = await tspod(['run', '--name', 'ex7', busybox, 'sh', '-c', 'exit 7'])
if (ex7.exitCode !== 7) throw new Error(`run ... exit 7: exit status ${ex7.exitCode}\n${ex7.stderr}`)
await ok(['run', '-d', '--name', 'web', '--label', 'app=web', '--label', 'x.y/z=w', busybox, 'sleep', '600'])
await ok(['run', '-d', '--name', 'stopped', busybox, 'sleep', '600'])
await ok(['stop', '-t', '0', 'stopped'])
await ok(['create', '--name', 'made', layers])

t.test('ps -a shows podman\'s status words after run, stop and exit', async t => {
  const out = await ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])
  const ago = '(Less than a second|\\d+ seconds?|About a minute) ago'
  t.match(out, new RegExp(`^ex7 Exited \\(7\\) ${ago}\\nweb Up ${ago}\\nstopped Exited \\(137\\) ${ago}\\nmade Created\\n$`))
  t.equal(await ok(['ps', '--format', '{{.Names}}']), 'web\n', 'without -a, only running containers')
  t.equal(await ok(['ps', '--format', '{{.Names}}', '--filter', 'status=exited']), 'ex7\nstopped\n', 'a status filter lists stopped containers without -a')
  t.equal(await ok(['ps', '-a', '--format', '{{.Names}}', '--filter', 'exited=137']), 'stopped\n')
  t.equal(await ok(['ps', '-l', '--format', '{{.Names}}']), 'made\n', '--latest')
  t.equal(await ok(['ps', '-n', '2', '--format', '{{.Names}}']), 'stopped\nmade\n', '--last 2: the two newest, oldest first')
})

t.test('the scripts of the issue', async t => {
  t.equal(await ok(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'ex7']), 'exited 7\n')
  t.equal(await ok(['images', '--format', '{{.Repository}}:{{.Tag}}', '--sort', 'repository']), `${reg.host}/busybox:latest\n${reg.host}/layers:latest\n`)
  t.equal(await ok(['info', '--format', '{{.Store.GraphRoot}}']), `${env.root}\n`)
  t.equal(await ok(['version', '--format', '{{.Client.Version}}']), `${VERSION}\n`)
})

/** [args, expected stdout (string, or a pattern)] */
const cases: [string[], string | RegExp][] = [
  // nested fields
  [['inspect', '--format', '{{.State.Running}} {{.Config.Tty}} {{.HostConfig.AutoRemove}} {{.Name}}', 'web'], 'true false false web\n'],
  [['inspect', '--format', '{{.Config.Image}} {{.ImageName}}', 'web'], `${busybox} ${busybox}\n`],
  [['inspect', '--format', '{{.Id}}', 'web'], /^[0-9a-f]{64}\n$/],
  [['image', 'inspect', '--format', '{{.Config.User}} {{.Config.WorkingDir}} {{.Config.StopSignal}} {{.Os}}', layers], 'app /app SIGUSR1 linux\n'],
  // index into maps, keys with dots and slashes
  [['inspect', '--format', '{{index .Config.Labels "x.y/z"}} {{.Config.Labels.app}}', 'web'], 'w web\n'],
  [['image', 'inspect', '--format', '{{index .Labels "org.opencontainers.image.title"}}', layers], 'tspod-layers\n'],
  [['images', '--filter', 'reference=*layers', '--format', '{{index .Labels "org.tspod.with-space"}}'], 'a b\n'],
  [['ps', '--format', '{{index .Labels "x.y/z"}}|{{index .Labels "missing"}}|'], 'w||\n'],
  // NetworkSettings-like maps
  [['inspect', '--format', '{{.NetworkSettings.Ports}} {{len .NetworkSettings.Ports}} {{.HostConfig.PortBindings}}', 'web'], 'map[] 0 map[]\n'],
  [['inspect', '--format', '{{index .GraphDriver.Data "UpperDir"}}', 'web'], /\/upper\n$/],
  [['image', 'inspect', '--format', '{{.Config.ExposedPorts}}', layers], 'map[5353/udp:{} 8080/tcp:{}]\n'],
  // range over slices and maps
  [['image', 'inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', layers], /^PATH=.*\nFIXTURE=layers\nGREETING=hello world\nEMPTY=\n\n$/],
  [['inspect', '--format', '{{range .Mounts}}{{.Destination}}{{else}}no mounts{{end}}', 'web'], 'no mounts\n'],
  [['inspect', '--format', '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}', 'web'], 'app=web;x.y/z=w;\n'],
  [['image', 'inspect', '--format', '{{len .RootFS.Layers}} {{range .RootFS.Layers}}{{slice . 0 7}} {{end}}', layers], /^4 (sha256: ){4}\n$/],
  // json of a slice, of a map
  [['inspect', '--format', '{{json .Config.Cmd}} {{json .Args}}', 'web'], '["sleep","600"] ["600"]\n'],
  [['image', 'inspect', '--format', '{{json .Config.Entrypoint}} {{json .Config.Cmd}}', layers], '["/bin/echo","entrypoint"] ["from-cmd"]\n'],
  [['image', 'inspect', '--format', '{{json .Labels}}', layers], `${JSON.stringify(Object.fromEntries(Object.entries(LAYERS_LABELS).sort()))}\n`],
  // {{.}} of a map and of a slice; Go's printing of nil maps
  [['inspect', '--format', '{{.Config.Labels}}', 'web'], 'map[app:web x.y/z:w]\n'],
  [['inspect', '--format', '{{with .Config.Labels}}{{.}}{{end}}|{{.Config.Labels}}', 'ex7'], '|map[]\n'],
  [['image', 'inspect', '--format', '{{.Config.Cmd}} {{.RepoTags}}', layers], `[from-cmd] [${layers}]\n`],
  // pipelines, variables, functions podman adds
  [['ps', '-a', '--filter', 'name=^web$', '--format', '{{.Names | upper}} {{$n := .Names}}{{len $n}} {{join .ListContainer.Names ","}} {{truncate .ID 5}}'], /^WEB 3 web [0-9a-f]{5}\n$/],
  [['images', '--filter', 'reference=*busybox', '--format', '{{lower .Repository}} {{split .Repository "/"}} {{title "tag"}}:{{.Tag}}'], `${reg.host}/busybox [${reg.host} busybox] Tag:latest\n`],
  // table headers, with and without rows
  [['ps', '-a', '--format', 'table {{.Names}} {{.Status}}', '--filter', 'name=made'], 'NAMES       STATUS\nmade        Created\n'],
  [['ps', '--format', 'table {{.ID}} {{.Names}} {{.CreatedAt}}', '--filter', 'name=nothing'], 'CONTAINER ID  NAMES       CREATED AT\n'],
  [['images', '--format', 'table {{.ID}} {{.Repository}}', '--filter', 'reference=nothing'], 'IMAGE ID    REPOSITORY\n'],
  [['ps', '-a', '--format', '{{.Names}}', '--noheading', '--sort', 'names'], 'ex7\nmade\nstopped\nweb\n'],
]

t.test('template cases', async t => {
  for (const [args, want] of cases) {
    const r = await tspod(args)
    t.equal(r.exitCode, 0, `${args.join(' ')}: exit 0${r.exitCode ? `: ${r.stderr}` : ''}`)
    if (typeof want === 'string') t.equal(r.stdout, want, args.join(' '))
    else t.match(r.stdout, want, args.join(' '))
  }
})

t.test('a missing field is an error naming it, after what was printed before it', async t => {
  const ps = await tspod(['ps', '--format', '{{.Names}} {{.Nope}}'])
  t.equal(ps.exitCode, 125)
  t.equal(ps.stdout, 'web ')
  t.equal(ps.stderr, 'Error: template: ps:1:24: executing "ps" at <.Nope>: can\'t evaluate field Nope in type containers.psReporter\n')
  const inspect = await tspod(['inspect', '--format', '{{.State.Nope}}', 'web'])
  t.equal(inspect.exitCode, 125)
  t.equal(inspect.stderr, 'Error: inspecting object: printing inspect output: template: inspect:1:19: executing "inspect" at <.State.Nope>: can\'t evaluate field Nope in type *define.InspectContainerState\n')
  const images = await tspod(['images', '--format', '{{.Nope}}'])
  t.equal(images.stderr, 'Error: template: images:1:13: executing "images" at <.Nope>: can\'t evaluate field Nope in type images.imageReporter\n')
  const info = await tspod(['info', '--format', '{{.Host.Nope}}'])
  t.equal(info.stderr, 'Error: template: info:1:7: executing "info" at <.Host.Nope>: can\'t evaluate field Nope in type *define.HostInfo\n')
  const parse = await tspod(['ps', '--format', '{{'])
  t.equal(parse.stderr, 'Error: template: ps:1: unexpected "{" in command\n')
})

t.test('--format json documents', async t => {
  const ps = JSON.parse(await ok(['ps', '--format', 'json'])) as Record<string, unknown>[]
  t.same(ps.map(c => c.Names), [['web']])
  t.match(ps[0], { State: 'running', Labels: { app: 'web', 'x.y/z': 'w' }, Ports: null, Exited: false })
  const inspect = JSON.parse(await ok(['inspect', 'ex7', 'made'])) as Record<string, any>[]
  t.match(inspect, [{ Name: 'ex7', State: { Status: 'exited', ExitCode: 7 }, Config: { Cmd: ['sh', '-c', 'exit 7'] } }, { Name: 'made', State: { Status: 'created' } }])
  t.equal(inspect[0]!.Config.Labels, null, 'no labels: null, as podman')
  const images = JSON.parse(await ok(['images', '--format', 'json'])) as Record<string, unknown>[]
  t.same(images.map(i => i.Names).sort(), [[busybox], [layers]])
  const info = JSON.parse(await ok(['info', '--format', 'json'])) as Record<string, any>
  t.equal(info.store.graphRoot, env.root)
  t.equal(info.store.containerStore.number, 4)
  t.same(JSON.parse(await ok(['version', '--format', 'json'])).Client.Version, VERSION)
})
