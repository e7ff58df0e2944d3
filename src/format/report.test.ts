import t from 'tap'
import { camelCaseSplit, enforceRange, hasTable, headerMap, isJsonFormat, normalizeFormat, renderReport } from './report.js'
import { TemplateError, goMap, goStruct } from './template/index.js'

// Rows of a Go struct
//   type Row struct { ID, Names, Image, CreatedAt, Status string; Size int; Labels map[string]string; ReadOnly bool }
const rows = [
  goStruct('main.Row', {
    ID: '3f2a9c1b7d4e', Names: 'web', Image: 'docker.io/library/nginx:latest', CreatedAt: '2024-01-02 03:04:05 +0000 UTC',
    Status: 'Up 3 seconds', Size: 4260000, Labels: goMap({ app: 'web' }, ''), ReadOnly: false,
  }),
  goStruct('main.Row', {
    ID: '0123456789ab', Names: 'database-primary', Image: 'postgres', CreatedAt: '2024-01-01 00:00:00 +0000 UTC',
    Status: 'Exited (0) 2 hours ago', Size: 1200, Labels: goMap({}, ''), ReadOnly: true,
  }),
]
const options = {
  name: 'ps',
  table: '{{.ID}}\t{{.Image}}\t{{.CreatedAt}}\t{{.Status}}\t{{.Names}}',
  headers: { ID: 'container id', CreatedAt: 'created' },
  fields: ['ID', 'Names', 'Image', 'CreatedAt', 'Status', 'Size', 'Labels', 'ReadOnly'],
}

// containers/common pkg/report (v0.50.1 as in podman 4.3.1, with current podman's IsJSON and
// parse fallback), driven like podman's list commands: Headers(Row{}, overrides), Parse(origin,
// format), Execute(headers) if RenderHeaders && !noheading, Execute(rows), Flush.
// [--format ('' = podman's default), --noheading, no rows, stdout, error]
const cases: [string, boolean, boolean, string, string?][] = [
  ["",false,false,"CONTAINER ID  IMAGE                           CREATED                        STATUS                  NAMES\n3f2a9c1b7d4e  docker.io/library/nginx:latest  2024-01-02 03:04:05 +0000 UTC  Up 3 seconds            web\n0123456789ab  postgres                        2024-01-01 00:00:00 +0000 UTC  Exited (0) 2 hours ago  database-primary\n"],
  ["",true,false,"3f2a9c1b7d4e  docker.io/library/nginx:latest  2024-01-02 03:04:05 +0000 UTC  Up 3 seconds            web\n0123456789ab  postgres                        2024-01-01 00:00:00 +0000 UTC  Exited (0) 2 hours ago  database-primary\n"],
  ["",false,true,"CONTAINER ID  IMAGE       CREATED     STATUS      NAMES\n"],
  ["table {{.ID}}\t{{.Names}}",false,false,"CONTAINER ID  NAMES\n3f2a9c1b7d4e  web\n0123456789ab  database-primary\n"],
  ["table {{.ID}} {{.Names}} {{.CreatedAt}}",false,false,"CONTAINER ID  NAMES             CREATED\n3f2a9c1b7d4e  web               2024-01-02 03:04:05 +0000 UTC\n0123456789ab  database-primary  2024-01-01 00:00:00 +0000 UTC\n"],
  ["table {{.ID}}\\t{{.Names}}",false,false,"CONTAINER ID  NAMES\n3f2a9c1b7d4e  web\n0123456789ab  database-primary\n"],
  ["table {{.ID}}\t{{.Names}}",true,false,"3f2a9c1b7d4e  web\n0123456789ab  database-primary\n"],
  ["table {{.ID}}\t{{.Names}}",false,true,"CONTAINER ID  NAMES\n"],
  ["table {{.ID}} {{.Foo}}",false,true,"CONTAINER ID  <no value>\n"],
  ["{{.ID}} {{.Names}}",false,false,"3f2a9c1b7d4e web\n0123456789ab database-primary\n"],
  ["{{.ID}}\\t{{.Names}}",false,false,"3f2a9c1b7d4e\tweb\n0123456789ab\tdatabase-primary\n"],
  ["{{.ID}}\t{{.Names}}\n",false,false,"3f2a9c1b7d4e\tweb\n0123456789ab\tdatabase-primary\n"],
  ["{{.ID}}\\n{{.Names}}",false,false,"3f2a9c1b7d4e\nweb\n0123456789ab\ndatabase-primary\n"],
  ["{{range .}}{{.ID}},{{end}}",false,false,"3f2a9c1b7d4e,0123456789ab,\n"],
  ["{{.}}",false,false,"{3f2a9c1b7d4e web docker.io/library/nginx:latest 2024-01-02 03:04:05 +0000 UTC Up 3 seconds 4260000 map[app:web] false}\n{0123456789ab database-primary postgres 2024-01-01 00:00:00 +0000 UTC Exited (0) 2 hours ago 1200 map[] true}\n"],
  ["{{- json .}}",false,false,"{\"ID\":\"3f2a9c1b7d4e\",\"Names\":\"web\",\"Image\":\"docker.io/library/nginx:latest\",\"CreatedAt\":\"2024-01-02 03:04:05 +0000 UTC\",\"Status\":\"Up 3 seconds\",\"Size\":4260000,\"Labels\":{\"app\":\"web\"},\"ReadOnly\":false}\n{\"ID\":\"0123456789ab\",\"Names\":\"database-primary\",\"Image\":\"postgres\",\"CreatedAt\":\"2024-01-01 00:00:00 +0000 UTC\",\"Status\":\"Exited (0) 2 hours ago\",\"Size\":1200,\"Labels\":{},\"ReadOnly\":true}\n"],
  ["{{printf \"%s\\n\" .ID}}",false,false,"3f2a9c1b7d4e\n0123456789ab\n"],
  ["table {{.ID}} {{printf \"%s-%s\" .Names .Image}}",false,false,"CONTAINER ID  NAMES-IMAGE\n3f2a9c1b7d4e  web-docker.io/library/nginx:latest\n0123456789ab  database-primary-postgres\n"],
  ["table {{.Size}} {{.ReadOnly}} {{.Labels}}",false,false,"SIZE        READ ONLY   LABELS\n4260000     false       map[app:web]\n1200        true        map[]\n"],
  ["table {{.ID}} {{.Status}}",false,true,"CONTAINER ID  STATUS\n"],
  ["table {{upper .Names}}",false,false,"NAMES\nWEB\nDATABASE-PRIMARY\n"],
  ["table {{json .}}",false,false,"{\"CreatedAt\":\"CREATED\",\"ID\":\"CONTAINER ID\",\"Image\":\"IMAGE\",\"Labels\":\"LABELS\",\"Names\":\"NAMES\",\"ReadOnly\":\"READ ONLY\",\"Size\":\"SIZE\",\"Status\":\"STATUS\"}\n{\"ID\":\"3f2a9c1b7d4e\",\"Names\":\"web\",\"Image\":\"docker.io/library/nginx:latest\",\"CreatedAt\":\"2024-01-02 03:04:05 +0000 UTC\",\"Status\":\"Up 3 seconds\",\"Size\":4260000,\"Labels\":{\"app\":\"web\"},\"ReadOnly\":false}\n{\"ID\":\"0123456789ab\",\"Names\":\"database-primary\",\"Image\":\"postgres\",\"CreatedAt\":\"2024-01-01 00:00:00 +0000 UTC\",\"Status\":\"Exited (0) 2 hours ago\",\"Size\":1200,\"Labels\":{},\"ReadOnly\":true}\n"],
  ["table",false,false,"table\ntable\n"],
  ["table ",false,false,"\n\n\n"],
  ["{{.ID}} {{.Nope}}",false,false,"3f2a9c1b7d4e ","template: ps:1:21: executing \"ps\" at <.Nope>: can't evaluate field Nope in type main.Row"],
  ["table {{.ID}}\t{{.Nope}}",false,false,"CONTAINER ID  <no value>\n3f2a9c1b7d4e","template: ps:1:21: executing \"ps\" at <.Nope>: can't evaluate field Nope in type main.Row"],
  ["{{if .ReadOnly}}ro{{else}}rw{{end}} {{.ID}}",false,false,"rw 3f2a9c1b7d4e\nro 0123456789ab\n"],
  ["table {{.ID}} {{.Labels.app}}",false,false,"CONTAINER ID","template: ps:1:28: executing \"ps\" at <.Labels.app>: can't evaluate field app in type string"],
  ["{{ .Names }}",false,false,"web\ndatabase-primary\n"],
  ["  {{.ID}}  ",false,false,"  3f2a9c1b7d4e  \n  0123456789ab  \n"],
]

t.test('matches podman report formatting', async t => {
  for (const [format, noHeading, empty, out, err] of cases) {
    let got: { out: string; err?: string }
    try {
      got = { out: renderReport(format === '' ? undefined : format, empty ? [] : rows, { ...options, noHeading }) }
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e
      got = { out: e.partialOutput, err: e.message }
    }
    t.same(got, err === undefined ? { out } : { out, err }, `${JSON.stringify(format)} noheading=${noHeading} empty=${empty}`)
  }
})

t.test('podman 4.3.1 ps -a, captured from the real command', async t => {
  const ps = [
    { ID: '43bf1a643615', Image: 'localhost/bb:1', Command: 'sleep 100', CreatedHuman: 'Less than a second ago', Status: 'Created', Ports: '', Names: 'web' },
    { ID: '272ada124a1d', Image: 'localhost/bb:1', Command: 'sh', CreatedHuman: 'Less than a second ago', Status: 'Created', Ports: '', Names: 'database-primary' },
  ]
  const out = renderReport(undefined, ps, {
    name: 'ps',
    table: '{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
    headers: { ID: 'container id', CreatedHuman: 'created' },
  })
  t.equal(out, [
    'CONTAINER ID  IMAGE           COMMAND     CREATED                 STATUS      PORTS       NAMES',
    '43bf1a643615  localhost/bb:1  sleep 100   Less than a second ago  Created                 web',
    '272ada124a1d  localhost/bb:1  sh          Less than a second ago  Created                 database-primary',
    '',
  ].join('\n'))
})

t.test('--format json', async t => {
  t.equal(renderReport('json', rows.slice(1), { json: { indent: '  ' } }), [
    '[', '  {', '    "ID": "0123456789ab",', '    "Names": "database-primary",', '    "Image": "postgres",',
    '    "CreatedAt": "2024-01-01 00:00:00 +0000 UTC",', '    "Status": "Exited (0) 2 hours ago",', '    "Size": 1200,',
    '    "Labels": {},', '    "ReadOnly": true', '  }', ']', '',
  ].join('\n'))
  t.equal(renderReport(' {{ json }} ', [], {}), '[]\n')
  t.equal(renderReport('json', [{ A: '<&>' }], {}), '[\n    {\n        "A": "\\u003c\\u0026\\u003e"\n    }\n]\n', 'json.MarshalIndent escapes HTML')
  t.equal(renderReport('json', [{ A: '<&>' }], { json: { indent: '     ', escapeHTML: false } }), '[\n     {\n          "A": "<&>"\n     }\n]\n', 'inspect: Encoder with 5 spaces')
  t.equal(renderReport('json', rows, { json: { value: { only: 1 }, indent: '' } }), '{"only":1}\n', 'a different JSON document')
})

t.test('parse errors, and the un-normalised fallback podman tries', async t => {
  // "\n" inside a string constant becomes a real newline, which does not parse; podman retries as written.
  t.equal(renderReport('{{printf "%s\\n" .ID}}', rows, options), '3f2a9c1b7d4e\n0123456789ab\n')
  // When both fail podman reports the second error: `{{range .}}{{.ID{{end -}}` has a bad character.
  t.throws(() => renderReport('{{.ID', rows, options), { name: 'TemplateError', code: 'invalid-argument', message: "template: ps:1: bad character U+007B '{'" })
})

t.test('an explicitly empty --format prints an empty line per row', async t => {
  t.equal(renderReport('', rows, options), '\n\n')
})

t.test('headers come from the first row unless fields are given', async t => {
  t.equal(renderReport('table {{.RunningFor}} {{.PodName}}', [{ RunningFor: '1 minute', PodName: 'p' }], { headers: { PodName: 'podname' } }),
    'RUNNING FOR  PODNAME\n1 minute     p\n')
  t.equal(renderReport('table {{.RunningFor}}', [], {}), '<no value>\n', 'no rows and no fields: no header names')
  t.equal(renderReport('table {{.RunningFor}}', [], { fields: ['RunningFor'] }), 'RUNNING FOR\n')
})

t.test('helpers', async t => {
  t.ok(isJsonFormat('json'))
  t.ok(isJsonFormat('{{json}}'))
  t.ok(isJsonFormat(' {{ json. }} '))
  t.ok(isJsonFormat('{{json .}}'), 'podman 4.3 prints {{json .}} as --format json does')
  t.ok(isJsonFormat('{{ json . }}'))
  t.notOk(isJsonFormat('{{json .ID}}'))
  t.ok(hasTable('table {{.ID}}'))
  t.notOk(hasTable('table'))
  t.equal(normalizeFormat('table {{.ID}} {{.Names}}\\t{{.Image}}'), '{{.ID}}\t{{.Names}}\t{{.Image}}\n')
  t.equal(normalizeFormat('{{.ID}}\\t{{.Names}}\\n'), '{{.ID}}\t{{.Names}}\n')
  t.equal(enforceRange('{{.ID}}'), '{{range .}}{{.ID}}{{end -}}')
  t.equal(enforceRange('{{ range . }}{{.ID}}{{ end }}'), '{{ range . }}{{.ID}}{{ end }}')
  t.same(camelCaseSplit('CreatedAt'), ['Created', 'At'])
  t.same(camelCaseSplit('PDFLoader'), ['PDF', 'Loader'])
  t.same(camelCaseSplit('GL11Version'), ['GL', '11', 'Version'])
  t.same(camelCaseSplit('ID'), ['ID'])
  t.same(camelCaseSplit('vimRPCPlugin'), ['vim', 'RPC', 'Plugin'])
  t.same(headerMap(['ID', 'CreatedAt', 'ReadOnly'], { ReadOnly: 'r/o' }), { ID: 'ID', CreatedAt: 'CREATED AT', ReadOnly: 'R/O' })
})
