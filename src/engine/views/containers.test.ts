import t from 'tap'
import type { ContainerRecord, ContainerState } from '../containers/record.js'
import { compileTemplate } from '../../format/template/index.js'
import { renderReport } from '../../format/report.js'
import { LIST_CONTAINER_FIELDS, PS_HEADERS, type PsEntry, psJson, psReporters, sortPs } from './containers.js'
import { compilePsFilters } from './ps-filters.js'

const NOW = Date.parse('2024-06-01T12:00:00Z')

function entry(name: string, created: string, state: Partial<ContainerState>, extra: Partial<ContainerRecord> = {}): PsEntry {
  const id = Buffer.from(name.padEnd(32, '0')).toString('hex').slice(0, 64)
  const record = {
    id, name, created, imageId: 'f'.repeat(64), imageName: 'docker.io/library/busybox:latest', layers: [], imageConfig: {},
    runOptions: {}, user: '', init: false, interactive: false, tty: false, autoRemove: false,
    restartPolicy: { name: 'no', maximumRetryCount: 0 }, runtime: '', labels: {}, stopSignal: 15, stopTimeout: 10,
    command: ['sleep', '1000'], env: [], createCommand: [], ...extra,
  } as ContainerRecord
  record.runOptions = { command: record.command }
  return { record, state: { status: 'created', restartCount: 0, ...state } }
}

const exited = entry('ex7', '2024-06-01T11:00:00.123Z', { status: 'exited', exitCode: 7, startedAt: '2024-06-01T11:00:01Z', finishedAt: '2024-06-01T11:58:00Z' }, {
  command: ['sh', '-c', 'exit 7 and a long tail'],
})
const running = entry('web', '2024-06-01T11:30:00Z', { status: 'running', pid: 4242, startedAt: '2024-06-01T11:59:57Z' }, {
  labels: { app: 'web', 'x.y/z': 'w' },
})
const created = entry('made', '2024-06-01T11:45:00Z', {}, { imageName: '127.0.0.1:5000/app:1.0', restartPolicy: { name: 'always', maximumRetryCount: 0 } })
const all = [exited, running, created]

const render = (format: string, entries = all, noTrunc = false) => renderReport(format, psReporters(entries, { now: NOW, noTrunc }), {
  name: 'ps', fields: LIST_CONTAINER_FIELDS, headers: PS_HEADERS,
})

t.test('psReporter fields and methods as podman 4.3 resolves them', async t => {
  t.equal(render('{{.Names}}|{{.Status}}|{{.State}}|{{.ExitCode}}|{{.Pid}}|{{.Exited}}', [exited]), 'ex7|Exited (7) 2 minutes ago|Exited (7) 2 minutes ago|7|0|true\n')
  t.equal(render('{{.Status}}|{{.Pid}}|{{.RunningFor}}|{{.CreatedHuman}}', [running]), 'Up 3 seconds ago|4242|30 minutes ago|30 minutes ago\n')
  t.equal(render('{{.Status}}|{{.ExitedAt}}|{{.StartedAt}}', [created]), 'Created|-62135596800|-62135596800\n')
  t.equal(render('{{.ID}}|{{.ImageID}}', [running]), `${running.record.id.slice(0, 12)}|ffffffffffff\n`)
  t.equal(render('{{.ID}}', [running], true), `${running.record.id}\n`, '--no-trunc')
  t.equal(render('{{.Command}}', [exited]), 'sh -c exit 7 and ...\n', 'command cut at 17 bytes')
  t.equal(render('{{.Created}}|{{.CreatedAt}}', [exited]), '2024-06-01 11:00:00.123 +0000 UTC|2024-06-01 11:00:00.123 +0000 UTC\n')
  t.throws(() => render('{{.Label "app"}}', [running]), /can't evaluate field Label in type containers\.psReporter/, 'podman 4.3 has no .Label method')
})

t.test('maps, slices and missing fields', async t => {
  t.equal(render('{{.Labels}}|{{index .Labels "x.y/z"}}|[{{index .Labels "nope"}}]', [running]), 'map[app:web x.y/z:w]|w|[]\n')
  t.equal(render('{{.Labels}}|{{.Mounts}}|{{.Networks}}|{{.Ports}}|', [exited]), 'map[]|[]|||\n')
  t.equal(render('{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}', [running]), 'app=web;x.y/z=w;\n')
  t.throws(() => render('{{.Nope}}', [running]), /template: ps:1:\d+: executing "ps" at <\.Nope>: can't evaluate field Nope in type containers\.psReporter/)
  t.equal(render('{{.Namespaces.Cgroup}}|{{.IPC}}|', [running]), '||\n')
})

t.test('table headers come from ListContainer fields and podman overrides, with or without rows', async t => {
  t.equal(render('table {{.ID}} {{.Names}} {{.CreatedAt}} {{.RunningFor}} {{.State}}', []), 'CONTAINER ID  NAMES       CREATED AT  RUNNING FOR  STATE\n')
})

t.test('ps --format json: ListContainer with podman\'s adjustments', async t => {
  const [j] = psJson([running], NOW) as Record<string, unknown>[]
  t.same(Object.keys(j!), [
    'AutoRemove', 'Command', 'CreatedAt', 'Exited', 'ExitedAt', 'ExitCode', 'Id', 'Image', 'ImageID', 'IsInfra', 'Labels', 'Mounts',
    'Names', 'Namespaces', 'Networks', 'Pid', 'Pod', 'PodName', 'Ports', 'Size', 'StartedAt', 'State', 'Status', 'Created',
  ])
  t.equal(j!.Status, 'Up 3 seconds ago')
  t.equal(j!.CreatedAt, '30 minutes ago')
  t.equal(j!.Created, Date.parse('2024-06-01T11:30:00Z') / 1000)
  t.same(j!.Names, ['web'])
})

t.test('filters: podman\'s keys and combination rules', async t => {
  const names = (flags: string[]) => all.filter(compilePsFilters(flags, all).match).map(e => e.record.name)
  t.same(names(['name=^we']), ['web'], 'name is a regular expression')
  t.same(names(['name=web', 'name=made']), ['web', 'made'], 'values of one key: any')
  t.same(names(['name=.', 'status=created']), ['made'], 'different keys: all')
  t.same(names(['status=exited']), ['ex7'])
  t.same(names(['status=stopped']), ['ex7'], 'stopped means exited')
  t.same(names(['label=app']), ['web'])
  t.same(names(['label=app=web', 'label=x.y/z=w']), ['web'], 'label values must all match')
  t.same(names(['label=app=web', 'label=nope']), [])
  t.same(names(['exited=7']), ['ex7'])
  t.same(names(['exited=0']), [])
  t.same(names(['ancestor=docker.io/library/busybox']), ['ex7', 'web'], 'name without tag matches :latest')
  t.same(names(['ancestor=127.0.0.1:5000/app:1.0']), ['made'])
  t.same(names([`ancestor=${'f'.repeat(64)}`]), ['ex7', 'web', 'made'])
  t.same(names(['before=made']), ['ex7', 'web'])
  t.same(names(['since=ex7']), ['web', 'made'])
  t.same(names([`id=${running.record.id.slice(0, 8)}`]), ['web'])
  t.same(names(['restart-policy=always']), ['made'])
  t.throws(() => names(['status=bogus']), { message: 'unknown container state: bogus: invalid argument' })
  t.throws(() => names(['bogus=1']), { message: 'bogus is an invalid filter' })
  t.throws(() => names(['nokey']), { message: 'invalid filter "nokey"' })
  t.throws(() => names(['before=nosuch']), { message: 'no container with name or ID "nosuch" found: no such container' })
  t.throws(() => names(['exited=x']), /exited code out of range/)
  t.ok(compilePsFilters(['status=running'], all).hasStatus)
})

t.test('--sort keys', async t => {
  const by = (k: string) => sortPs(all, k).map(e => e.record.name)
  t.same(by('names'), ['ex7', 'made', 'web'])
  t.same(by('created'), ['ex7', 'web', 'made'])
  t.same(by('status'), ['made', 'ex7', 'web'])
  t.same(by('image'), ['made', 'ex7', 'web'])
  t.same(by('command'), ['ex7', 'web', 'made'])
})

t.test('a template compiles once and runs per row', async t => {
  const tmpl = compileTemplate('{{.Names}}', { name: 'ps' })
  t.same(psReporters(all, { now: NOW }).map(r => tmpl.execute(r)), ['ex7', 'web', 'made'])
})
