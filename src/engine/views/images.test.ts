import t from 'tap'
import type { ImageRecord } from '../../image/store/images.js'
import { renderReport } from '../../format/report.js'
import { IMAGE_HEADERS, IMAGE_REPORTER_FIELDS, imageReporters, imageSummary, imagesJson, imagesTableFormat, repoTag, sortImageRows } from './images.js'
import { compileImageFilters, referenceCandidates } from './image-filters.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')

function image(id: string, names: string[], created: string, size = 2_131_091): ImageRecord {
  return {
    id: id.repeat(64).slice(0, 64), configDigest: `sha256:${'c'.repeat(64)}`, manifestDigest: `sha256:${'d'.repeat(64)}`,
    manifestMediaType: 'application/vnd.oci.image.manifest.v1+json', names, repoDigests: names.map(n => `${n.split(':').slice(0, -1).join(':')}@sha256:${'d'.repeat(64)}`),
    layers: [], size, created, added: created, os: 'linux', architecture: 'amd64',
  } as ImageRecord
}

const busybox = image('a', ['127.0.0.1:5000/busybox:latest', 'localhost/mybox:1.0'], '2024-01-01T00:00:00Z')
const app = image('b', ['docker.io/library/app:2'], '2025-06-01T00:00:00Z', 110_132_584)
const dangling = image('c', [], '2023-01-01T00:00:00Z', 999)
const labels: Record<string, Record<string, string>> = { [app.id]: { tier: 'web', 'org.example/x': 'y' } }

const rows = sortImageRows(
  [busybox, app, dangling].flatMap(i => imageReporters(imageSummary(i, { labels: labels[i.id], containers: i === busybox ? 3 : 0 }), { now: NOW })),
  'created',
)
const render = (format: string | undefined, r = rows) =>
  renderReport(format, r, { name: 'images', table: imagesTableFormat(), headers: IMAGE_HEADERS, fields: IMAGE_REPORTER_FIELDS })

t.test('one row per name, <none> for an untagged image, newest first', async t => {
  t.equal(render('{{.Repository}}:{{.Tag}} {{.ID}}'), [
    `docker.io/library/app:2 ${'b'.repeat(12)}`,
    `127.0.0.1:5000/busybox:latest ${'a'.repeat(12)}`,
    `localhost/mybox:1.0 ${'a'.repeat(12)}`,
    `<none>:<none> ${'c'.repeat(12)}`,
    '',
  ].join('\n'))
})

t.test('the default table, as podman prints it', async t => {
  t.equal(
    render(undefined, rows.slice(1, 3)),
    'REPOSITORY              TAG         IMAGE ID      CREATED      SIZE\n' +
      '127.0.0.1:5000/busybox  latest      aaaaaaaaaaaa  2 years ago  2.13 MB\n' +
      'localhost/mybox         1.0         aaaaaaaaaaaa  2 years ago  2.13 MB\n',
  )
})

t.test('imageReporter methods shadow summary fields', async t => {
  const [r] = rows.slice(1, 2)
  t.equal(render('{{.Created}}|{{.CreatedSince}}|{{.CreatedAt}}|{{.CreatedTime}}|{{.Size}}|{{.VirtualSize}}', [r!]),
    '2 years ago|2 years ago|2024-01-01 00:00:00 +0000 UTC|2024-01-01 00:00:00 +0000 UTC|2.13 MB|2131091\n')
  t.equal(render('{{.Names}}|{{.History}}|{{.Containers}}|{{.Labels}}|{{.Dangling}}|{{.Id}}', [r!]),
    `[127.0.0.1:5000/busybox:latest localhost/mybox:1.0]|localhost/mybox:1.0, 127.0.0.1:5000/busybox:latest|3|map[]|false|${'a'.repeat(64)}\n`)
  t.equal(render('{{index .Labels "org.example/x"}} {{.Labels.tier}}', rows.slice(0, 1)), 'y web\n')
  t.equal(render('table {{.ID}} {{.CreatedSince}} {{.ReadOnly}}', []), 'IMAGE ID    <no value>  R/O\n', 'headers from fields, even with no rows')
})

t.test('images --format json: a summary per row, RepoTags null, Created in seconds', async t => {
  const [j] = imagesJson(rows.slice(1, 2)) as Record<string, unknown>[]
  t.same(Object.keys(j!), ['Id', 'ParentId', 'RepoTags', 'RepoDigests', 'Size', 'SharedSize', 'VirtualSize', 'Labels', 'Containers', 'Names', 'Digest', 'History', 'Created', 'CreatedAt'])
  t.equal(j!.RepoTags, null)
  t.equal(j!.Created, 1704067200)
  t.equal(j!.CreatedAt, '2024-01-01T00:00:00Z')
})

t.test('repoTag and reference candidates', async t => {
  t.same(repoTag('127.0.0.1:5000/busybox:latest'), ['127.0.0.1:5000/busybox', 'latest'])
  t.same(repoTag('<none>:<none>'), ['<none>', '<none>'])
  t.same(referenceCandidates('docker.io/library/busybox:latest'), [
    'docker.io/library/busybox:latest', 'library/busybox', 'busybox:latest', 'docker.io/library/busybox', 'library/busybox:latest', 'busybox',
  ])
})

t.test('image filters', async t => {
  const subjects = [busybox, app, dangling].map(i => ({ image: i, labels: labels[i.id] ?? {}, containers: i === busybox ? 3 : 0 }))
  const lookup = (ref: string) => {
    const found = [busybox, app, dangling].find(i => i.names.some(n => n.includes(ref)) || i.id.startsWith(ref))
    if (!found) throw Object.assign(new Error(`${ref}: image not known`), { code: 'not-found' })
    return found
  }
  const ids = (flags: string[]) => subjects.filter(compileImageFilters(flags, { lookup })).map(s => s.image.id[0])
  t.same(ids(['reference=busybox']), ['a'])
  t.same(ids(['reference=*box']), ['a'])
  t.same(ids(['reference=localhost/*']), ['a'])
  t.same(ids(['reference=app', 'reference=busybox']), ['a', 'b'], 'values of one key: any')
  t.same(ids(['dangling=true']), ['c'])
  t.same(ids(['dangling=false']), ['a', 'b'])
  t.same(ids(['label=tier=web']), ['b'])
  t.same(ids(['label!=tier=web']), ['a', 'c'], 'negated')
  t.same(ids(['before=app']), ['a', 'c'])
  t.same(ids(['since=busybox']), ['b'])
  t.same(ids(['containers=true']), ['a'])
  t.same(ids(['dangling=false', 'reference=*app*']), ['b'], 'different keys: all')
  t.throws(() => ids(['foo=bar']), { message: 'unsupported image filter "foo"' })
  t.throws(() => ids(['dangling']), /invalid image filter "dangling": must be in the format "filter=value or filter!=value"/)
  t.throws(() => ids(['dangling=maybe']), /non-boolean value/)
  t.throws(() => ids(['before=nosuch']), { message: 'could not find local image for filter filter "before"="nosuch": nosuch: image not known' })
})
