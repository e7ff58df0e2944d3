import t from 'tap'
import { GoTime, TemplateError, compileTemplate, goMap, goStruct, goTypeName } from './index.js'
import { NO_VALUE } from './values.js'

/**
 * The data every Go-verified case runs against. It mirrors a Go value of
 * these types (a throwaway Go program produced the expectations below):
 *
 *   type Port struct { HostIP string; HostPort, ContainerPort int; Protocol string }
 *   type Health struct { Status string; FailingStreak int }
 *   type State struct { Status string; Running bool; Pid, ExitCode int; StartedAt time.Time; Health Health }
 *   type Ctr struct { ID string; Names []string; Image string; Command []string; State State;
 *     Labels, Annotations map[string]string; Ports []Port; Size int; CPU, Ratio, Big float64; Neg int;
 *     Flag bool; Empty string; NoPorts []Port; Missing *Health; Created, Zero, Fixed time.Time;
 *     Tags map[string]interface{}; Nested []map[string]int; Matrix [][]string; Unicode, HTML string;
 *     Num map[int]string }
 */
function fixture(): Record<string, unknown> {
  return goStruct('main.Ctr', {
    ID: '3f2a9c1b7d4e5f60718293a4',
    Names: ['web', 'frontend'],
    Image: 'docker.io/library/nginx:latest',
    Command: ['nginx', '-g', 'daemon off;'],
    State: goStruct('main.State', {
      Status: 'running',
      Running: true,
      Pid: 4242,
      ExitCode: 0,
      StartedAt: new GoTime(Date.UTC(2024, 0, 2, 3, 4, 6) / 1000, 0, 'UTC'),
      Health: goStruct('main.Health', { Status: 'healthy', FailingStreak: 0 }),
    }),
    Labels: goMap({ 'io.podman/x': 'y', app: 'web', 'a.b.c': 'dots', tier: 'front' }, '', 'map[string]string'),
    Annotations: goMap({}, '', 'map[string]string'),
    Ports: goStruct('[]main.Port', [
      goStruct('main.Port', { HostIP: '0.0.0.0', HostPort: 8080, ContainerPort: 80, Protocol: 'tcp' }),
      goStruct('main.Port', { HostIP: '', HostPort: 8443, ContainerPort: 443, Protocol: 'tcp' }),
    ]),
    Size: 4260000,
    CPU: 12.5,
    Ratio: 0.000012345,
    Big: 123456.789,
    Neg: -42,
    Flag: true,
    Empty: '',
    NoPorts: goStruct('[]main.Port', []),
    Missing: null,
    Created: new GoTime(Date.UTC(2024, 0, 2, 3, 4, 5) / 1000, 123456789, 'UTC'),
    Zero: GoTime.zero(),
    Fixed: new GoTime(Date.UTC(2024, 5, 1, 10, 0, 0) / 1000, 500000000, { name: '', offset: 7200 }),
    Tags: goMap({ a: 1, b: 'x', c: true, d: [1, 'two'] }),
    Nested: [goMap({ x: 1, y: 2 }, 0), goMap({ z: 3 }, 0)],
    Matrix: [['a', 'b'], [], ['c']],
    Unicode: 'héllo wörld ✓',
    HTML: `<a href="x">&'</a>`,
    Num: goMap(new Map([[2, 'b'], [10, 'j'], [1, 'a']]), ''),
  })
}

function data(name: string): unknown {
  switch (name) {
    case 'ctr':
      return fixture()
    case 'list': {
      const b = fixture() as any
      b.ID = '0123456789ab'
      b.Names = ['db']
      b.State.Running = false
      b.State.Status = 'exited'
      b.State.ExitCode = 7
      b.Labels = goMap({}, '')
      return [fixture(), b]
    }
    case 'map':
      return goMap({ name: 'x', n: 3, list: ['p', 'q'], sub: goMap({ k: 'v' }), nil: null })
    case 'strings': return ['b', 'a', 'c']
    case 'nil': return undefined
    case 'str': return 'hello'
    case 'int': return 42
    case 'float': return 2.5
  }
  throw new Error(`no fixture ${name}`)
}

function run(tmpl: string, value: unknown): { out: string; err?: string } {
  try {
    return { out: compileTemplate(tmpl, { name: 'ps' }).execute(value) }
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    return { out: err.partialOutput, err: err.message }
  }
}

// [template, data, output (partial output on error), Go's error message]
// Produced by Go 1.19 text/template with podman's report.DefaultFuncs.
const goCases: [string, string, string, string?][] = [
  ["{{.ID}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{.Names}}", "ctr", "[web frontend]"],
  ["{{.Image}} {{.Command}}", "ctr", "docker.io/library/nginx:latest [nginx -g daemon off;]"],
  ["{{.State}}", "ctr", "{running true 4242 0 2024-01-02 03:04:06 +0000 UTC {healthy 0}}"],
  ["{{.State.Pid}} {{.State.Running}} {{.State.ExitCode}}", "ctr", "4242 true 0"],
  ["{{.State.Health.Status}}", "ctr", "healthy"],
  ["{{.State.Health}}", "ctr", "{healthy 0}"],
  ["{{.Labels}}", "ctr", "map[a.b.c:dots app:web io.podman/x:y tier:front]"],
  ["{{.Annotations}}", "ctr", "map[]"],
  ["{{.Ports}}", "ctr", "[{0.0.0.0 8080 80 tcp} { 8443 443 tcp}]"],
  ["{{.NoPorts}}", "ctr", "[]"],
  ["{{.Size}} {{.CPU}} {{.Ratio}} {{.Big}} {{.Neg}} {{.Flag}}", "ctr", "4260000 12.5 1.2345e-05 123456.789 -42 true"],
  ["[{{.Empty}}]", "ctr", "[]"],
  ["{{.Missing}}", "ctr", "<nil>"],
  ["{{.Created}}", "ctr", "2024-01-02 03:04:05.123456789 +0000 UTC"],
  ["{{.Zero}}", "ctr", "0001-01-01 00:00:00 +0000 UTC"],
  ["{{.Fixed}}", "ctr", "2024-06-01 12:00:00.5 +0200 +0200"],
  ["{{.Tags}}", "ctr", "map[a:1 b:x c:true d:[1 two]]"],
  ["{{.Nested}}", "ctr", "[map[x:1 y:2] map[z:3]]"],
  ["{{.Matrix}}", "ctr", "[[a b] [] [c]]"],
  ["{{.Unicode}} {{.HTML}}", "ctr", "héllo wörld ✓ <a href=\"x\">&'</a>"],
  ["{{.Num}}", "ctr", "map[1:a 2:b 10:j]"],
  ["{{.Labels.app}}", "ctr", "web"],
  ["{{.Labels.nope}}", "ctr", "<no value>"],
  ["{{.Tags.a}} {{.Tags.d}} {{.Tags.zz}}", "ctr", "1 [1 two] <no value>"],
  ["{{.Labels.nope.deeper}}", "ctr", "<no value>"],
  ["{{.Foo}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <.Foo>: can't evaluate field Foo in type main.Ctr"],
  ["{{.State.Foo}}", "ctr", "", "template: ps:1:8: executing \"ps\" at <.State.Foo>: can't evaluate field Foo in type main.State"],
  ["{{.Names.Foo}}", "ctr", "", "template: ps:1:8: executing \"ps\" at <.Names.Foo>: can't evaluate field Foo in type []string"],
  ["{{.ID.Foo}}", "ctr", "", "template: ps:1:5: executing \"ps\" at <.ID.Foo>: can't evaluate field Foo in type string"],
  ["{{.Size.Foo}}", "ctr", "", "template: ps:1:7: executing \"ps\" at <.Size.Foo>: can't evaluate field Foo in type int"],
  ["{{ .ID }}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{- .ID -}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["  {{- .ID }}  ", "ctr", "3f2a9c1b7d4e5f60718293a4  "],
  ["a\n  {{- .ID -}}  \nb", "ctr", "a3f2a9c1b7d4e5f60718293a4b"],
  ["{{.ID -}} x", "ctr", "3f2a9c1b7d4e5f60718293a4x"],
  ["x {{- .ID}}", "ctr", "x3f2a9c1b7d4e5f60718293a4"],
  ["{{/* comment */}}ok", "ctr", "ok"],
  ["{{- /* comment */ -}} ok", "ctr", "ok"],
  ["a {{- /* c */ -}} b", "ctr", "ab"],
  ["{{.}}", "ctr", "{3f2a9c1b7d4e5f60718293a4 [web frontend] docker.io/library/nginx:latest [nginx -g daemon off;] {running true 4242 0 2024-01-02 03:04:06 +0000 UTC {healthy 0}} map[a.b.c:dots app:web io.podman/x:y tier:front] map[] [{0.0.0.0 8080 80 tcp} { 8443 443 tcp}] 4260000 12.5 1.2345e-05 123456.789 -42 true  [] <nil> 2024-01-02 03:04:05.123456789 +0000 UTC 0001-01-01 00:00:00 +0000 UTC 2024-06-01 12:00:00.5 +0200 +0200 map[a:1 b:x c:true d:[1 two]] [map[x:1 y:2] map[z:3]] [[a b] [] [c]] héllo wörld ✓ <a href=\"x\">&'</a> map[1:a 2:b 10:j]}"],
  ["{{$x := .ID}}{{$x}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{$n := .Names}}{{index $n 1}}", "ctr", "frontend"],
  ["{{$.ID}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{with .State}}{{$.Image}} {{.Pid}}{{end}}", "ctr", "docker.io/library/nginx:latest 4242"],
  ["{{$x := 1}}{{$x = 2}}{{$x}}", "ctr", "2"],
  ["{{$x := .State}}{{$x.Pid}}", "ctr", "4242"],
  ["{{.ID | printf \"%.12s\"}}", "ctr", "3f2a9c1b7d4e"],
  ["{{.Names | len}}", "ctr", "2"],
  ["{{(index .Names 0) | upper}}", "ctr", "WEB"],
  ["{{(.State).Pid}}", "ctr", "4242"],
  ["{{printf \"%d-%s\" .State.Pid (index .Names 0)}}", "ctr", "4242-web"],
  ["{{\"quoted\\tstr\"}}", "ctr", "quoted\tstr"],
  ["{{`raw\\n`}}", "ctr", "raw\\n"],
  ["{{1}} {{1.5}} {{-3}} {{0x1F}} {{1e3}} {{'a'}} {{true}} {{false}}", "ctr", "1 1.5 -3 31 1000 97 true false"],
  ["{{nil}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <nil>: nil is not a command"],
  ["{{.ID 1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <.ID>: ID has arguments but cannot be invoked as function"],
  ["{{$x := .ID}}{{$x 1}}", "ctr", "", "template: ps:1:15: executing \"ps\" at <$x>: can't give argument to non-function $x"],
  ["{{1 | printf \"%d\"}}", "ctr", "1"],
  ["{{. | printf \"%T\"}}", "ctr", "main.Ctr"],
  ["{{$y}}", "ctr", "", "template: ps:1: undefined variable \"$y\""],
  ["{{$x := 1}}{{end}}", "ctr", "", "template: ps:1: unexpected {{end}}"],
  ["{{if}}x{{end}}", "ctr", "", "template: ps:1: missing value for if"],
  ["{{range .Names}}", "ctr", "", "template: ps:1: unexpected EOF"],
  ["{{.ID | 1}}", "ctr", "", "template: ps:1: non executable command in pipeline stage 2"],
  ["{{(1)}}", "ctr", "1"],
  ["{{len}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <len>: wrong number of args for len: want 1 got 0"],
  ["{{len .Names .ID}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <len>: wrong number of args for len: want 1 got 2"],
  ["{{foo .ID}}", "ctr", "", "template: ps:1: function \"foo\" not defined"],
  ["{{.ID | upper | lower | title}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{3 | printf \"%d %d\" 1}}", "ctr", "1 3"],
  ["{{ printf \"%s\" ( upper .Image ) }}", "ctr", "DOCKER.IO/LIBRARY/NGINX:LATEST"],
  ["{{.ID.}}", "ctr", "", "template: ps:1: unexpected <.> in operand"],
  ["{{print 1 2 \"a\" \"b\" 3 .Flag nil}}", "ctr", "1 2ab3 true <nil>"],
  ["{{println 1 \"a\" .Names}}", "ctr", "1 a [web frontend]\n"],
  ["{{\"x\" | printf \"%s %s\" \"y\"}}", "ctr", "y x"],
  ["{{print}}", "ctr", ""],
  ["{{printf \"%v %v\" (print 1) (print .Missing)}}", "ctr", "1 <nil>"],
  ["{{if .Flag}}yes{{end}}", "ctr", "yes"],
  ["{{if .Empty}}yes{{else}}no{{end}}", "ctr", "no"],
  ["{{if .Missing}}m{{else if .NoPorts}}p{{else if .Names}}n{{end}}", "ctr", "n"],
  ["{{if .Annotations}}a{{else}}empty{{end}}", "ctr", "empty"],
  ["{{if .Labels.nope}}x{{else}}nokey{{end}}", "ctr", "nokey"],
  ["{{if 0}}a{{else}}b{{end}}", "ctr", "b"],
  ["{{if .State}}struct{{end}}", "ctr", "struct"],
  ["{{with .Missing}}x{{else}}none{{end}}", "ctr", "none"],
  ["{{with $h := .State.Health}}{{$h.Status}}{{end}}", "ctr", "healthy"],
  ["{{range .Names}}<{{.}}>{{end}}", "ctr", "<web><frontend>"],
  ["{{range $i, $n := .Names}}{{$i}}:{{$n}} {{end}}", "ctr", "0:web 1:frontend "],
  ["{{range $n := .Names}}{{$n}},{{end}}", "ctr", "web,frontend,"],
  ["{{range .NoPorts}}x{{else}}none{{end}}", "ctr", "none"],
  ["{{range .Labels}}{{.}} {{end}}", "ctr", "dots web y front "],
  ["{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}", "ctr", "a.b.c=dots;app=web;io.podman/x=y;tier=front;"],
  ["{{range $k, $v := .Num}}{{$k}}={{$v}};{{end}}", "ctr", "1=a;2=b;10=j;"],
  ["{{range .Size}}x{{end}}", "ctr", "", "template: ps:1:8: executing \"ps\" at <.Size>: range can't iterate over 4260000"],
  ["{{range .Ports}}{{.HostIP}}:{{.HostPort}}->{{.ContainerPort}}/{{.Protocol}} {{end}}", "ctr", "0.0.0.0:8080->80/tcp :8443->443/tcp "],
  ["{{range $i, $e := .Names}}{{if eq $i 1}}{{break}}{{end}}{{$e}}{{end}}", "ctr", "web"],
  ["{{range $i, $e := .Names}}{{if eq $i 0}}{{continue}}{{end}}{{$e}}{{end}}", "ctr", "frontend"],
  ["{{break}}", "ctr", "", "template: ps:1: {{break}} outside {{range}}"],
  ["{{range .Names}}{{else}}{{break}}{{end}}", "ctr", "", "template: ps:1: {{break}} outside {{range}}"],
  ["{{range .Matrix}}[{{range .}}{{.}}{{else}}-{{end}}]{{end}}", "ctr", "[ab][-][c]"],
  ["{{range $i, $e, $f := .Names}}{{end}}", "ctr", "", "template: ps:1: too many declarations in range"],
  ["{{range .Names}}{{$x := .}}{{end}}{{$x}}", "ctr", "", "template: ps:1: undefined variable \"$x\""],
  ["{{if .Flag}}{{$x := 1}}{{end}}{{$x}}", "ctr", "", "template: ps:1: undefined variable \"$x\""],
  ["{{with .State}}{{.Status}}{{else}}no{{end}}", "ctr", "running"],
  ["{{if .Flag}}a{{else}}b{{else}}c{{end}}", "ctr", "", "template: ps:1: expected end; found {{else}}"],
  ["{{end}}", "ctr", "", "template: ps:1: unexpected {{end}}"],
  ["{{else}}", "ctr", "", "template: ps:1: unexpected {{else}}"],
  ["{{if .Flag}}", "ctr", "", "template: ps:1: unexpected EOF"],
  ["{{range .Tags}}{{.}};{{end}}", "ctr", "1;x;true;[1 two];"],
  ["{{define \"row\"}}[{{.}}]{{end}}{{range .Names}}{{template \"row\" .}}{{end}}", "ctr", "[web][frontend]"],
  ["{{template \"nope\"}}", "ctr", "", "template: ps:1:11: executing \"ps\" at <{{template \"nope\"}}>: template \"nope\" not defined"],
  ["{{block \"b\" .Image}}<{{.}}>{{end}}", "ctr", "<docker.io/library/nginx:latest>"],
  ["{{define \"x\"}}{{.Foo}}{{end}}{{template \"x\" .}}", "ctr", "", "template: ps:1:16: executing \"x\" at <.Foo>: can't evaluate field Foo in type main.Ctr"],
  ["{{and .Flag .ID}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{and .Empty .ID}}", "ctr", ""],
  ["{{or .Empty .Missing}}", "ctr", "<nil>"],
  ["{{or .Empty .ID}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{and}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <and>: wrong number of args for and: want at least 1 got 0"],
  ["{{not .Flag}} {{not .Empty}}", "ctr", "false true"],
  ["{{len .ID}} {{len .Names}} {{len .Labels}} {{len .Unicode}}", "ctr", "24 2 4 17"],
  ["{{len .Size}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <len .Size>: error calling len: len of type int"],
  ["{{len .Missing}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <len .Missing>: error calling len: len of nil pointer"],
  ["{{len .Labels.nope}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <len .Labels.nope>: error calling len: reflect: call of reflect.Value.Type on zero Value"],
  ["{{index .Names 1}}", "ctr", "frontend"],
  ["{{index .Names 2}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Names 2>: error calling index: reflect: slice index out of range"],
  ["{{index .Names 5}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Names 5>: error calling index: index out of range: 5"],
  ["{{index .Names -1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Names -1>: error calling index: index out of range: -1"],
  ["{{index .Labels \"io.podman/x\"}}", "ctr", "y"],
  ["{{index .Labels \"a.b.c\"}}", "ctr", "dots"],
  ["[{{index .Labels \"nope\"}}]", "ctr", "[]"],
  ["{{index .Tags \"zz\"}}", "ctr", "<no value>"],
  ["{{index .Tags \"d\" 1}}", "ctr", "two"],
  ["{{index .Matrix 0 1}}", "ctr", "b"],
  ["{{index .ID 0}}", "ctr", "51"],
  ["{{index .Labels 1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Labels 1>: error calling index: value has type int; should be string"],
  ["{{index .Num 10}}", "ctr", "j"],
  ["{{index .Num 3}}", "ctr", ""],
  ["{{index .Size 1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Size 1>: error calling index: can't index item of type int"],
  ["{{index .Missing 1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Missing 1>: error calling index: index of nil pointer"],
  ["{{index .Names \"x\"}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Names \"x\">: error calling index: cannot index slice/array with type string"],
  ["{{index .Names}}", "ctr", "[web frontend]"],
  ["{{index .Nested 0 \"y\"}}", "ctr", "2"],
  ["{{slice .ID 0 12}}", "ctr", "3f2a9c1b7d4e"],
  ["{{slice .Names 1}}", "ctr", "[frontend]"],
  ["{{slice .Names 1 2}}", "ctr", "[frontend]"],
  ["{{slice .ID 3 1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <slice .ID 3 1>: error calling slice: invalid slice index: 3 > 1"],
  ["{{slice .ID 0 100}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <slice .ID 0 100>: error calling slice: index out of range: 100"],
  ["{{slice .Size 0}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <slice .Size 0>: error calling slice: can't slice item of type int"],
  ["{{slice .Unicode 0 2}}", "ctr", "h�"],
  ["{{slice .Names 0 1 2}}", "ctr", "[web]"],
  ["{{eq .State.Pid 4242}}", "ctr", "true"],
  ["{{eq .ID \"x\" \"y\" .ID}}", "ctr", "true"],
  ["{{eq .State.Pid \"x\"}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <eq .State.Pid \"x\">: error calling eq: incompatible types for comparison"],
  ["{{eq .Labels.nope \"x\"}}", "ctr", "false"],
  ["{{eq .Flag true}}", "ctr", "true"],
  ["{{eq .CPU 12.5}}", "ctr", "true"],
  ["{{ne .Neg 0}}", "ctr", "true"],
  ["{{lt .Neg 0}} {{le 1 1}} {{gt 2 1}} {{ge 1 2}}", "ctr", "true true true false"],
  ["{{lt \"a\" \"b\"}}", "ctr", "true"],
  ["{{lt .Flag true}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <lt .Flag true>: error calling lt: invalid type for comparison"],
  ["{{lt .Names .Names}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <lt .Names .Names>: error calling lt: invalid type for comparison"],
  ["{{eq .Names .Names}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <eq .Names .Names>: error calling eq: non-comparable type [web frontend]: []string"],
  ["{{eq .State .State}}", "ctr", "true"],
  ["{{eq}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <eq>: wrong number of args for eq: want at least 1 got 0"],
  ["{{eq 1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <eq 1>: error calling eq: missing argument for comparison"],
  ["{{lt 1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <lt>: wrong number of args for lt: want 2 got 1"],
  ["{{eq .Missing nil}}", "ctr", "true"],
  ["{{html .HTML}}", "ctr", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;"],
  ["{{js .HTML}} {{js \"a\\nb=c\"}}", "ctr", "\\u003Ca href\\u003D\\\"x\\\"\\u003E\\u0026\\'\\u003C/a\\u003E a\\u000Ab\\u003Dc"],
  ["{{urlquery .HTML}} {{urlquery \"a b/c?d\"}}", "ctr", "%3Ca+href%3D%22x%22%3E%26%27%3C%2Fa%3E a+b%2Fc%3Fd"],
  ["{{html 1 \"<\" 2}}", "ctr", "1&lt;2"],
  ["{{js .Unicode}}", "ctr", "héllo wörld ✓"],
  ["{{call .ID}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <call .ID>: error calling call: non-function of type string"],
  ["{{printf \"%s|%v|%q|%x|%X\" .ID .ID \"a\\\"b\" \"hi\" \"hi\"}}", "ctr", "3f2a9c1b7d4e5f60718293a4|3f2a9c1b7d4e5f60718293a4|\"a\\\"b\"|6869|6869"],
  ["{{printf \"%5s|%-5s|%.2s|%5.1s|\" \"ab\" \"ab\" \"abc\" \"abc\"}}", "ctr", "   ab|ab   |ab|    a|"],
  ["{{printf \"%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%o|%O|%b|%#x|%#o\" 42 42 42 42 42 42 255 255 8 8 5 255 8}}", "ctr", "42|   42|42   |00042|+42| 42|ff|FF|10|0o10|101|0xff|010"],
  ["{{printf \"%d|%05d|%+d\" -42 -42 -42}}", "ctr", "-42|-0042|-42"],
  ["{{printf \"%c|%q|%U|%#U\" 65 65 0x1F600 65}}", "ctr", "A|'A'|U+1F600|U+0041 'A'"],
  ["{{printf \"%f|%.2f|%8.3f|%-8.2f|%e|%E|%g|%G|%.3g|%v\" 3.14159 3.14159 3.14159 3.14159 1234.5678 1234.5678 0.00001234 1e21 1234.5678 2.5}}", "ctr", "3.141590|3.14|   3.142|3.14    |1.234568e+03|1.234568E+03|1.234e-05|1E+21|1.23e+03|2.5"],
  ["{{printf \"%.0f %.0f %.0f %.1f %.2f\" 0.5 1.5 2.5 0.25 1.005}}", "ctr", "0 2 2 0.2 1.00"],
  ["{{printf \"%+.2f|% .2f|%08.3f|%-8.2f|\" 1.5 1.5 -1.5 1.5}}", "ctr", "+1.50| 1.50|-001.500|1.50    |"],
  ["{{printf \"%t|%v|%5t\" true false true}}", "ctr", "true|false| true"],
  ["{{printf \"%s\" 42}}", "ctr", "%!s(int=42)"],
  ["{{printf \"%d\" \"x\"}}", "ctr", "%!d(string=x)"],
  ["{{printf \"%d\" 2.5}}", "ctr", "%!d(float64=2.5)"],
  ["{{printf \"%z\" 1}}", "ctr", "%!z(int=1)"],
  ["{{printf \"%d %d\" 1}}", "ctr", "1 %!d(MISSING)"],
  ["{{printf \"%d\" 1 2 \"x\"}}", "ctr", "1%!(EXTRA int=2, string=x)"],
  ["{{printf \"%!\"}}", "ctr", "%!!(MISSING)"],
  ["{{printf \"%\"}}", "ctr", "%!(NOVERB)"],
  ["{{printf \"100%%\"}}", "ctr", "100%"],
  ["{{printf \"%[2]s %[1]s\" \"a\" \"b\"}}", "ctr", "b a"],
  ["{{printf \"%[3]s\" \"a\"}}", "ctr", "%!s(BADINDEX)"],
  ["{{printf \"%*d|%-*d|%.*f\" 5 42 5 42 2 3.14159}}", "ctr", "   42|42   |3.14"],
  ["{{printf \"%v\" .Names}}", "ctr", "[web frontend]"],
  ["{{printf \"%q\" .Names}}", "ctr", "[\"web\" \"frontend\"]"],
  ["{{printf \"%5v\" .Names}}", "ctr", "[  web frontend]"],
  ["{{printf \"%+v\" .State}}", "ctr", "{Status:running Running:true Pid:4242 ExitCode:0 StartedAt:2024-01-02 03:04:06 +0000 UTC Health:{Status:healthy FailingStreak:0}}"],
  ["{{printf \"%v\" .State}}", "ctr", "{running true 4242 0 2024-01-02 03:04:06 +0000 UTC {healthy 0}}"],
  ["{{printf \"%s\" .State}}", "ctr", "{running %!s(bool=true) %!s(int=4242) %!s(int=0) 2024-01-02 03:04:06 +0000 UTC {healthy %!s(int=0)}}"],
  ["{{printf \"%v\" .Labels}}", "ctr", "map[a.b.c:dots app:web io.podman/x:y tier:front]"],
  ["{{printf \"%T %T %T %T %T\" .ID .Size .CPU .Flag .Names}}", "ctr", "string int float64 bool []string"],
  ["{{printf \"%x\" .Names}}", "ctr", "[776562 66726f6e74656e64]"],
  ["{{printf \"%s\" .Created}}", "ctr", "2024-01-02 03:04:05.123456789 +0000 UTC"],
  ["{{printf \"%v\" .Tags}}", "ctr", "map[a:1 b:x c:true d:[1 two]]"],
  ["{{printf \"%6.2v|\" 3.14159}}", "ctr", "   3.1|"],
  ["{{printf \"%s %d\" nil 1}}", "ctr", "%!s(<nil>) 1"],
  ["{{printf \"%#v\" \"x\"}}", "ctr", "\"x\""],
  ["{{printf \"%#q\" \"x\"}}", "ctr", "`x`"],
  ["{{printf \"%q\" \"héllo\\n\\x01\"}}", "ctr", "\"héllo\\n\\x01\""],
  ["{{printf \"%+q\" \"héllo\"}}", "ctr", "\"h\\u00e9llo\""],
  ["{{printf \"% x\" \"abc\"}}", "ctr", "61 62 63"],
  ["{{printf \"%-10s|%10s|\" .Unicode .Unicode}}", "ctr", "héllo wörld ✓|héllo wörld ✓|"],
  ["{{printf \"%.3s\" .Unicode}}", "ctr", "hél"],
  ["{{printf \"%x\" -255}}", "ctr", "-ff"],
  ["{{printf \"%08.3f\" -3.14159}}", "ctr", "-003.142"],
  ["{{printf \"%v\" .Num}}", "ctr", "map[1:a 2:b 10:j]"],
  ["{{printf \"%s\" .Num}}", "ctr", "map[%!s(int=1):a %!s(int=2):b %!s(int=10):j]"],
  ["{{printf \"%.1f%%\" .CPU}}", "ctr", "12.5%"],
  ["{{printf \"%6.2f%%\" .CPU}}", "ctr", " 12.50%"],
  ["{{printf \"%v\" .Names}}", "ctr", "[web frontend]"],
  ["{{printf \"%v\" .Labels}}", "ctr", "map[a.b.c:dots app:web io.podman/x:y tier:front]"],
  ["{{printf \"%v\" .CPU}}", "ctr", "12.5"],
  ["{{printf \"%v\" .Neg}}", "ctr", "-42"],
  ["{{printf \"%v\" .Tags}}", "ctr", "map[a:1 b:x c:true d:[1 two]]"],
  ["{{printf \"%v\" .Unicode}}", "ctr", "héllo wörld ✓"],
  ["{{printf \"%v\" .Labels.nope}}", "ctr", "<nil>"],
  ["{{printf \"%v\" .Flag}}", "ctr", "true"],
  ["{{printf \"%v\" .Ports}}", "ctr", "[{0.0.0.0 8080 80 tcp} { 8443 443 tcp}]"],
  ["{{printf \"%+v\" .Names}}", "ctr", "[web frontend]"],
  ["{{printf \"%+v\" .Labels}}", "ctr", "map[a.b.c:dots app:web io.podman/x:y tier:front]"],
  ["{{printf \"%+v\" .CPU}}", "ctr", "12.5"],
  ["{{printf \"%+v\" .Neg}}", "ctr", "-42"],
  ["{{printf \"%+v\" .Tags}}", "ctr", "map[a:1 b:x c:true d:[1 two]]"],
  ["{{printf \"%+v\" .Unicode}}", "ctr", "héllo wörld ✓"],
  ["{{printf \"%+v\" .Labels.nope}}", "ctr", "<nil>"],
  ["{{printf \"%+v\" .Flag}}", "ctr", "true"],
  ["{{printf \"%+v\" .Ports}}", "ctr", "[{HostIP:0.0.0.0 HostPort:8080 ContainerPort:80 Protocol:tcp} {HostIP: HostPort:8443 ContainerPort:443 Protocol:tcp}]"],
  ["{{printf \"%s\" .Names}}", "ctr", "[web frontend]"],
  ["{{printf \"%s\" .Labels}}", "ctr", "map[a.b.c:dots app:web io.podman/x:y tier:front]"],
  ["{{printf \"%s\" .CPU}}", "ctr", "%!s(float64=12.5)"],
  ["{{printf \"%s\" .Neg}}", "ctr", "%!s(int=-42)"],
  ["{{printf \"%s\" .Tags}}", "ctr", "map[a:%!s(int=1) b:x c:%!s(bool=true) d:[%!s(int=1) two]]"],
  ["{{printf \"%s\" .Unicode}}", "ctr", "héllo wörld ✓"],
  ["{{printf \"%s\" .Labels.nope}}", "ctr", "%!s(<nil>)"],
  ["{{printf \"%s\" .Flag}}", "ctr", "%!s(bool=true)"],
  ["{{printf \"%s\" .Ports}}", "ctr", "[{0.0.0.0 %!s(int=8080) %!s(int=80) tcp} { %!s(int=8443) %!s(int=443) tcp}]"],
  ["{{printf \"%q\" .Names}}", "ctr", "[\"web\" \"frontend\"]"],
  ["{{printf \"%q\" .Labels}}", "ctr", "map[\"a.b.c\":\"dots\" \"app\":\"web\" \"io.podman/x\":\"y\" \"tier\":\"front\"]"],
  ["{{printf \"%q\" .CPU}}", "ctr", "%!q(float64=12.5)"],
  ["{{printf \"%q\" .Neg}}", "ctr", "'�'"],
  ["{{printf \"%q\" .Tags}}", "ctr", "map[\"a\":'\\x01' \"b\":\"x\" \"c\":%!q(bool=true) \"d\":['\\x01' \"two\"]]"],
  ["{{printf \"%q\" .Unicode}}", "ctr", "\"héllo wörld ✓\""],
  ["{{printf \"%q\" .Labels.nope}}", "ctr", "%!q(<nil>)"],
  ["{{printf \"%q\" .Flag}}", "ctr", "%!q(bool=true)"],
  ["{{printf \"%q\" .Ports}}", "ctr", "[{\"0.0.0.0\" 'ᾐ' 'P' \"tcp\"} {\"\" '\\u20fb' 'ƻ' \"tcp\"}]"],
  ["{{printf \"%x\" .Names}}", "ctr", "[776562 66726f6e74656e64]"],
  ["{{printf \"%x\" .Labels}}", "ctr", "map[612e622e63:646f7473 617070:776562 696f2e706f646d616e2f78:79 74696572:66726f6e74]"],
  ["{{printf \"%x\" .CPU}}", "ctr", "0x1.9p+03"],
  ["{{printf \"%x\" .Neg}}", "ctr", "-2a"],
  ["{{printf \"%x\" .Tags}}", "ctr", "map[61:1 62:78 63:%!x(bool=true) 64:[1 74776f]]"],
  ["{{printf \"%x\" .Unicode}}", "ctr", "68c3a96c6c6f2077c3b6726c6420e29c93"],
  ["{{printf \"%x\" .Labels.nope}}", "ctr", "%!x(<nil>)"],
  ["{{printf \"%x\" .Flag}}", "ctr", "%!x(bool=true)"],
  ["{{printf \"%x\" .Ports}}", "ctr", "[{302e302e302e30 1f90 50 746370} { 20fb 1bb 746370}]"],
  ["{{printf \"%X\" .Names}}", "ctr", "[776562 66726F6E74656E64]"],
  ["{{printf \"%X\" .Labels}}", "ctr", "map[612E622E63:646F7473 617070:776562 696F2E706F646D616E2F78:79 74696572:66726F6E74]"],
  ["{{printf \"%X\" .CPU}}", "ctr", "0X1.9P+03"],
  ["{{printf \"%X\" .Neg}}", "ctr", "-2A"],
  ["{{printf \"%X\" .Tags}}", "ctr", "map[61:1 62:78 63:%!X(bool=true) 64:[1 74776F]]"],
  ["{{printf \"%X\" .Unicode}}", "ctr", "68C3A96C6C6F2077C3B6726C6420E29C93"],
  ["{{printf \"%X\" .Labels.nope}}", "ctr", "%!X(<nil>)"],
  ["{{printf \"%X\" .Flag}}", "ctr", "%!X(bool=true)"],
  ["{{printf \"%X\" .Ports}}", "ctr", "[{302E302E302E30 1F90 50 746370} { 20FB 1BB 746370}]"],
  ["{{printf \"%d\" .Names}}", "ctr", "[%!d(string=web) %!d(string=frontend)]"],
  ["{{printf \"%d\" .Labels}}", "ctr", "map[%!d(string=a.b.c):%!d(string=dots) %!d(string=app):%!d(string=web) %!d(string=io.podman/x):%!d(string=y) %!d(string=tier):%!d(string=front)]"],
  ["{{printf \"%d\" .CPU}}", "ctr", "%!d(float64=12.5)"],
  ["{{printf \"%d\" .Neg}}", "ctr", "-42"],
  ["{{printf \"%d\" .Tags}}", "ctr", "map[%!d(string=a):1 %!d(string=b):%!d(string=x) %!d(string=c):%!d(bool=true) %!d(string=d):[1 %!d(string=two)]]"],
  ["{{printf \"%d\" .Unicode}}", "ctr", "%!d(string=héllo wörld ✓)"],
  ["{{printf \"%d\" .Labels.nope}}", "ctr", "%!d(<nil>)"],
  ["{{printf \"%d\" .Flag}}", "ctr", "%!d(bool=true)"],
  ["{{printf \"%d\" .Ports}}", "ctr", "[{%!d(string=0.0.0.0) 8080 80 %!d(string=tcp)} {%!d(string=) 8443 443 %!d(string=tcp)}]"],
  ["{{printf \"%t\" .Names}}", "ctr", "[%!t(string=web) %!t(string=frontend)]"],
  ["{{printf \"%t\" .Labels}}", "ctr", "map[%!t(string=a.b.c):%!t(string=dots) %!t(string=app):%!t(string=web) %!t(string=io.podman/x):%!t(string=y) %!t(string=tier):%!t(string=front)]"],
  ["{{printf \"%t\" .CPU}}", "ctr", "%!t(float64=12.5)"],
  ["{{printf \"%t\" .Neg}}", "ctr", "%!t(int=-42)"],
  ["{{printf \"%t\" .Tags}}", "ctr", "map[%!t(string=a):%!t(int=1) %!t(string=b):%!t(string=x) %!t(string=c):true %!t(string=d):[%!t(int=1) %!t(string=two)]]"],
  ["{{printf \"%t\" .Unicode}}", "ctr", "%!t(string=héllo wörld ✓)"],
  ["{{printf \"%t\" .Labels.nope}}", "ctr", "%!t(<nil>)"],
  ["{{printf \"%t\" .Flag}}", "ctr", "true"],
  ["{{printf \"%t\" .Ports}}", "ctr", "[{%!t(string=0.0.0.0) %!t(int=8080) %!t(int=80) %!t(string=tcp)} {%!t(string=) %!t(int=8443) %!t(int=443) %!t(string=tcp)}]"],
  ["{{printf \"%c\" .Names}}", "ctr", "[%!c(string=web) %!c(string=frontend)]"],
  ["{{printf \"%c\" .Labels}}", "ctr", "map[%!c(string=a.b.c):%!c(string=dots) %!c(string=app):%!c(string=web) %!c(string=io.podman/x):%!c(string=y) %!c(string=tier):%!c(string=front)]"],
  ["{{printf \"%c\" .CPU}}", "ctr", "%!c(float64=12.5)"],
  ["{{printf \"%c\" .Neg}}", "ctr", "�"],
  ["{{printf \"%c\" .Tags}}", "ctr", "map[%!c(string=a):\u0001 %!c(string=b):%!c(string=x) %!c(string=c):%!c(bool=true) %!c(string=d):[\u0001 %!c(string=two)]]"],
  ["{{printf \"%c\" .Unicode}}", "ctr", "%!c(string=héllo wörld ✓)"],
  ["{{printf \"%c\" .Labels.nope}}", "ctr", "%!c(<nil>)"],
  ["{{printf \"%c\" .Flag}}", "ctr", "%!c(bool=true)"],
  ["{{printf \"%c\" .Ports}}", "ctr", "[{%!c(string=0.0.0.0) ᾐ P %!c(string=tcp)} {%!c(string=) ⃻ ƻ %!c(string=tcp)}]"],
  ["{{printf \"%U\" .Names}}", "ctr", "[%!U(string=web) %!U(string=frontend)]"],
  ["{{printf \"%U\" .Labels}}", "ctr", "map[%!U(string=a.b.c):%!U(string=dots) %!U(string=app):%!U(string=web) %!U(string=io.podman/x):%!U(string=y) %!U(string=tier):%!U(string=front)]"],
  ["{{printf \"%U\" .CPU}}", "ctr", "%!U(float64=12.5)"],
  ["{{printf \"%U\" .Neg}}", "ctr", "U+FFFFFFFFFFFFFFD6"],
  ["{{printf \"%U\" .Tags}}", "ctr", "map[%!U(string=a):U+0001 %!U(string=b):%!U(string=x) %!U(string=c):%!U(bool=true) %!U(string=d):[U+0001 %!U(string=two)]]"],
  ["{{printf \"%U\" .Unicode}}", "ctr", "%!U(string=héllo wörld ✓)"],
  ["{{printf \"%U\" .Labels.nope}}", "ctr", "%!U(<nil>)"],
  ["{{printf \"%U\" .Flag}}", "ctr", "%!U(bool=true)"],
  ["{{printf \"%U\" .Ports}}", "ctr", "[{%!U(string=0.0.0.0) U+1F90 U+0050 %!U(string=tcp)} {%!U(string=) U+20FB U+01BB %!U(string=tcp)}]"],
  ["{{printf \"%o\" .Names}}", "ctr", "[%!o(string=web) %!o(string=frontend)]"],
  ["{{printf \"%o\" .Labels}}", "ctr", "map[%!o(string=a.b.c):%!o(string=dots) %!o(string=app):%!o(string=web) %!o(string=io.podman/x):%!o(string=y) %!o(string=tier):%!o(string=front)]"],
  ["{{printf \"%o\" .CPU}}", "ctr", "%!o(float64=12.5)"],
  ["{{printf \"%o\" .Neg}}", "ctr", "-52"],
  ["{{printf \"%o\" .Tags}}", "ctr", "map[%!o(string=a):1 %!o(string=b):%!o(string=x) %!o(string=c):%!o(bool=true) %!o(string=d):[1 %!o(string=two)]]"],
  ["{{printf \"%o\" .Unicode}}", "ctr", "%!o(string=héllo wörld ✓)"],
  ["{{printf \"%o\" .Labels.nope}}", "ctr", "%!o(<nil>)"],
  ["{{printf \"%o\" .Flag}}", "ctr", "%!o(bool=true)"],
  ["{{printf \"%o\" .Ports}}", "ctr", "[{%!o(string=0.0.0.0) 17620 120 %!o(string=tcp)} {%!o(string=) 20373 673 %!o(string=tcp)}]"],
  ["{{printf \"%b\" .Names}}", "ctr", "[%!b(string=web) %!b(string=frontend)]"],
  ["{{printf \"%b\" .Labels}}", "ctr", "map[%!b(string=a.b.c):%!b(string=dots) %!b(string=app):%!b(string=web) %!b(string=io.podman/x):%!b(string=y) %!b(string=tier):%!b(string=front)]"],
  ["{{printf \"%b\" .CPU}}", "ctr", "7036874417766400p-49"],
  ["{{printf \"%b\" .Neg}}", "ctr", "-101010"],
  ["{{printf \"%b\" .Tags}}", "ctr", "map[%!b(string=a):1 %!b(string=b):%!b(string=x) %!b(string=c):%!b(bool=true) %!b(string=d):[1 %!b(string=two)]]"],
  ["{{printf \"%b\" .Unicode}}", "ctr", "%!b(string=héllo wörld ✓)"],
  ["{{printf \"%b\" .Labels.nope}}", "ctr", "%!b(<nil>)"],
  ["{{printf \"%b\" .Flag}}", "ctr", "%!b(bool=true)"],
  ["{{printf \"%b\" .Ports}}", "ctr", "[{%!b(string=0.0.0.0) 1111110010000 1010000 %!b(string=tcp)} {%!b(string=) 10000011111011 110111011 %!b(string=tcp)}]"],
  ["{{printf \"%5v\" .Names}}", "ctr", "[  web frontend]"],
  ["{{printf \"%5v\" .Labels}}", "ctr", "map[a.b.c: dots   app:  web io.podman/x:    y  tier:front]"],
  ["{{printf \"%5v\" .CPU}}", "ctr", " 12.5"],
  ["{{printf \"%5v\" .Neg}}", "ctr", "  -42"],
  ["{{printf \"%5v\" .Tags}}", "ctr", "map[    a:    1     b:    x     c: true     d:[    1   two]]"],
  ["{{printf \"%5v\" .Unicode}}", "ctr", "héllo wörld ✓"],
  ["{{printf \"%5v\" .Labels.nope}}", "ctr", "<nil>"],
  ["{{printf \"%5v\" .Flag}}", "ctr", " true"],
  ["{{printf \"%5v\" .Ports}}", "ctr", "[{0.0.0.0  8080    80   tcp} {       8443   443   tcp}]"],
  ["{{printf \"%-8s|\" .Names}}", "ctr", "[web      frontend]|"],
  ["{{printf \"%-8s|\" .Labels}}", "ctr", "map[a.b.c   :dots     app     :web      io.podman/x:y        tier    :front   ]|"],
  ["{{printf \"%-8s|\" .CPU}}", "ctr", "%!s(float64=12.5    )|"],
  ["{{printf \"%-8s|\" .Neg}}", "ctr", "%!s(int=-42     )|"],
  ["{{printf \"%-8s|\" .Tags}}", "ctr", "map[a       :%!s(int=1       ) b       :x        c       :%!s(bool=true    ) d       :[%!s(int=1       ) two     ]]|"],
  ["{{printf \"%-8s|\" .Unicode}}", "ctr", "héllo wörld ✓|"],
  ["{{printf \"%-8s|\" .Labels.nope}}", "ctr", "%!s(<nil>)|"],
  ["{{printf \"%-8s|\" .Flag}}", "ctr", "%!s(bool=true    )|"],
  ["{{printf \"%-8s|\" .Ports}}", "ctr", "[{0.0.0.0  %!s(int=8080    ) %!s(int=80      ) tcp     } {         %!s(int=8443    ) %!s(int=443     ) tcp     }]|"],
  ["{{printf \"%08d\" .Names}}", "ctr", "[%!d(string=00000web) %!d(string=frontend)]"],
  ["{{printf \"%08d\" .Labels}}", "ctr", "map[%!d(string=000a.b.c):%!d(string=0000dots) %!d(string=00000app):%!d(string=00000web) %!d(string=io.podman/x):%!d(string=0000000y) %!d(string=0000tier):%!d(string=000front)]"],
  ["{{printf \"%08d\" .CPU}}", "ctr", "%!d(float64=000012.5)"],
  ["{{printf \"%08d\" .Neg}}", "ctr", "-0000042"],
  ["{{printf \"%08d\" .Tags}}", "ctr", "map[%!d(string=0000000a):00000001 %!d(string=0000000b):%!d(string=0000000x) %!d(string=0000000c):%!d(bool=0000true) %!d(string=0000000d):[00000001 %!d(string=00000two)]]"],
  ["{{printf \"%08d\" .Unicode}}", "ctr", "%!d(string=héllo wörld ✓)"],
  ["{{printf \"%08d\" .Labels.nope}}", "ctr", "%!d(<nil>)"],
  ["{{printf \"%08d\" .Flag}}", "ctr", "%!d(bool=0000true)"],
  ["{{printf \"%08d\" .Ports}}", "ctr", "[{%!d(string=00.0.0.0) 00008080 00000080 %!d(string=00000tcp)} {%!d(string=00000000) 00008443 00000443 %!d(string=00000tcp)}]"],
  ["{{printf \"%.1s\" .Names}}", "ctr", "[w f]"],
  ["{{printf \"%.1s\" .Labels}}", "ctr", "map[a:d a:w i:y t:f]"],
  ["{{printf \"%.1s\" .CPU}}", "ctr", "%!s(float64=1e+01)"],
  ["{{printf \"%.1s\" .Neg}}", "ctr", "%!s(int=-42)"],
  ["{{printf \"%.1s\" .Tags}}", "ctr", "map[a:%!s(int=1) b:x c:%!s(bool=true) d:[%!s(int=1) t]]"],
  ["{{printf \"%.1s\" .Unicode}}", "ctr", "h"],
  ["{{printf \"%.1s\" .Labels.nope}}", "ctr", "%!s(<nil>)"],
  ["{{printf \"%.1s\" .Flag}}", "ctr", "%!s(bool=true)"],
  ["{{printf \"%.1s\" .Ports}}", "ctr", "[{0 %!s(int=8080) %!s(int=80) t} { %!s(int=8443) %!s(int=443) t}]"],
  ["{{printf \"%#v\" .Names}}", "ctr", "[]string{\"web\", \"frontend\"}"],
  ["{{printf \"%#v\" .Labels}}", "ctr", "map[string]string{\"a.b.c\":\"dots\", \"app\":\"web\", \"io.podman/x\":\"y\", \"tier\":\"front\"}"],
  ["{{printf \"%#v\" .CPU}}", "ctr", "12.5"],
  ["{{printf \"%#v\" .Neg}}", "ctr", "-42"],
  ["{{printf \"%#v\" .Unicode}}", "ctr", "\"héllo wörld ✓\""],
  ["{{printf \"%#v\" .Labels.nope}}", "ctr", "<nil>"],
  ["{{printf \"%#v\" .Flag}}", "ctr", "true"],
  ["{{printf \"%#v\" .Ports}}", "ctr", "[]main.Port{main.Port{HostIP:\"0.0.0.0\", HostPort:8080, ContainerPort:80, Protocol:\"tcp\"}, main.Port{HostIP:\"\", HostPort:8443, ContainerPort:443, Protocol:\"tcp\"}}"],
  ["{{printf \"%#x\" .Names}}", "ctr", "[0x776562 0x66726f6e74656e64]"],
  ["{{printf \"%#x\" .Labels}}", "ctr", "map[0x612e622e63:0x646f7473 0x617070:0x776562 0x696f2e706f646d616e2f78:0x79 0x74696572:0x66726f6e74]"],
  ["{{printf \"%#x\" .CPU}}", "ctr", "0x1.9000p+03"],
  ["{{printf \"%#x\" .Neg}}", "ctr", "-0x2a"],
  ["{{printf \"%#x\" .Tags}}", "ctr", "map[0x61:0x1 0x62:0x78 0x63:%!x(bool=true) 0x64:[0x1 0x74776f]]"],
  ["{{printf \"%#x\" .Unicode}}", "ctr", "0x68c3a96c6c6f2077c3b6726c6420e29c93"],
  ["{{printf \"%#x\" .Labels.nope}}", "ctr", "%!x(<nil>)"],
  ["{{printf \"%#x\" .Flag}}", "ctr", "%!x(bool=true)"],
  ["{{printf \"%#x\" .Ports}}", "ctr", "[{0x302e302e302e30 0x1f90 0x50 0x746370} { 0x20fb 0x1bb 0x746370}]"],
  ["{{printf \"% x\" .Names}}", "ctr", "[77 65 62 66 72 6f 6e 74 65 6e 64]"],
  ["{{printf \"% x\" .Labels}}", "ctr", "map[61 2e 62 2e 63:64 6f 74 73 61 70 70:77 65 62 69 6f 2e 70 6f 64 6d 61 6e 2f 78:79 74 69 65 72:66 72 6f 6e 74]"],
  ["{{printf \"% x\" .CPU}}", "ctr", " 0x1.9p+03"],
  ["{{printf \"% x\" .Neg}}", "ctr", "-2a"],
  ["{{printf \"% x\" .Tags}}", "ctr", "map[61: 1 62:78 63:%!x(bool=true) 64:[ 1 74 77 6f]]"],
  ["{{printf \"% x\" .Unicode}}", "ctr", "68 c3 a9 6c 6c 6f 20 77 c3 b6 72 6c 64 20 e2 9c 93"],
  ["{{printf \"% x\" .Labels.nope}}", "ctr", "%!x(<nil>)"],
  ["{{printf \"% x\" .Flag}}", "ctr", "%!x(bool=true)"],
  ["{{printf \"% x\" .Ports}}", "ctr", "[{30 2e 30 2e 30 2e 30  1f90  50 74 63 70} {  20fb  1bb 74 63 70}]"],
  ["{{printf \"%+q\" .Names}}", "ctr", "[\"web\" \"frontend\"]"],
  ["{{printf \"%+q\" .Labels}}", "ctr", "map[\"a.b.c\":\"dots\" \"app\":\"web\" \"io.podman/x\":\"y\" \"tier\":\"front\"]"],
  ["{{printf \"%+q\" .CPU}}", "ctr", "%!q(float64=+12.5)"],
  ["{{printf \"%+q\" .Neg}}", "ctr", "'\\ufffd'"],
  ["{{printf \"%+q\" .Tags}}", "ctr", "map[\"a\":'\\x01' \"b\":\"x\" \"c\":%!q(bool=true) \"d\":['\\x01' \"two\"]]"],
  ["{{printf \"%+q\" .Unicode}}", "ctr", "\"h\\u00e9llo w\\u00f6rld \\u2713\""],
  ["{{printf \"%+q\" .Labels.nope}}", "ctr", "%!q(<nil>)"],
  ["{{printf \"%+q\" .Flag}}", "ctr", "%!q(bool=true)"],
  ["{{printf \"%+q\" .Ports}}", "ctr", "[{\"0.0.0.0\" '\\u1f90' 'P' \"tcp\"} {\"\" '\\u20fb' '\\u01bb' \"tcp\"}]"],
  ["{{printf \"%#q\" .Names}}", "ctr", "[`web` `frontend`]"],
  ["{{printf \"%#q\" .Labels}}", "ctr", "map[`a.b.c`:`dots` `app`:`web` `io.podman/x`:`y` `tier`:`front`]"],
  ["{{printf \"%#q\" .CPU}}", "ctr", "%!q(float64=12.5000)"],
  ["{{printf \"%#q\" .Neg}}", "ctr", "'�'"],
  ["{{printf \"%#q\" .Tags}}", "ctr", "map[`a`:'\\x01' `b`:`x` `c`:%!q(bool=true) `d`:['\\x01' `two`]]"],
  ["{{printf \"%#q\" .Unicode}}", "ctr", "`héllo wörld ✓`"],
  ["{{printf \"%#q\" .Labels.nope}}", "ctr", "%!q(<nil>)"],
  ["{{printf \"%#q\" .Flag}}", "ctr", "%!q(bool=true)"],
  ["{{printf \"%#q\" .Ports}}", "ctr", "[{`0.0.0.0` 'ᾐ' 'P' `tcp`} {`` '\\u20fb' 'ƻ' `tcp`}]"],
  ["{{printf \"%T\" .Names}}", "ctr", "[]string"],
  ["{{printf \"%T\" .Labels}}", "ctr", "map[string]string"],
  ["{{printf \"%T\" .CPU}}", "ctr", "float64"],
  ["{{printf \"%T\" .Neg}}", "ctr", "int"],
  ["{{printf \"%T\" .Tags}}", "ctr", "map[string]interface {}"],
  ["{{printf \"%T\" .Unicode}}", "ctr", "string"],
  ["{{printf \"%T\" .Labels.nope}}", "ctr", "<nil>"],
  ["{{printf \"%T\" .Flag}}", "ctr", "bool"],
  ["{{printf \"%T\" .Ports}}", "ctr", "[]main.Port"],
  ["{{printf \"%+d\" .Names}}", "ctr", "[%!d(string=web) %!d(string=frontend)]"],
  ["{{printf \"%+d\" .Labels}}", "ctr", "map[%!d(string=a.b.c):%!d(string=dots) %!d(string=app):%!d(string=web) %!d(string=io.podman/x):%!d(string=y) %!d(string=tier):%!d(string=front)]"],
  ["{{printf \"%+d\" .CPU}}", "ctr", "%!d(float64=+12.5)"],
  ["{{printf \"%+d\" .Neg}}", "ctr", "-42"],
  ["{{printf \"%+d\" .Tags}}", "ctr", "map[%!d(string=a):+1 %!d(string=b):%!d(string=x) %!d(string=c):%!d(bool=true) %!d(string=d):[+1 %!d(string=two)]]"],
  ["{{printf \"%+d\" .Unicode}}", "ctr", "%!d(string=héllo wörld ✓)"],
  ["{{printf \"%+d\" .Labels.nope}}", "ctr", "%!d(<nil>)"],
  ["{{printf \"%+d\" .Flag}}", "ctr", "%!d(bool=true)"],
  ["{{printf \"%+d\" .Ports}}", "ctr", "[{%!d(string=0.0.0.0) +8080 +80 %!d(string=tcp)} {%!d(string=) +8443 +443 %!d(string=tcp)}]"],
  ["{{printf \"%e\" .Names}}", "ctr", "[%!e(string=web) %!e(string=frontend)]"],
  ["{{printf \"%e\" .Labels}}", "ctr", "map[%!e(string=a.b.c):%!e(string=dots) %!e(string=app):%!e(string=web) %!e(string=io.podman/x):%!e(string=y) %!e(string=tier):%!e(string=front)]"],
  ["{{printf \"%e\" .CPU}}", "ctr", "1.250000e+01"],
  ["{{printf \"%e\" .Unicode}}", "ctr", "%!e(string=héllo wörld ✓)"],
  ["{{printf \"%e\" .Labels.nope}}", "ctr", "%!e(<nil>)"],
  ["{{printf \"%e\" .Flag}}", "ctr", "%!e(bool=true)"],
  ["{{printf \"%.2f\" .Names}}", "ctr", "[%!f(string=we) %!f(string=fr)]"],
  ["{{printf \"%.2f\" .Labels}}", "ctr", "map[%!f(string=a.):%!f(string=do) %!f(string=ap):%!f(string=we) %!f(string=io):%!f(string=y) %!f(string=ti):%!f(string=fr)]"],
  ["{{printf \"%.2f\" .CPU}}", "ctr", "12.50"],
  ["{{printf \"%.2f\" .Unicode}}", "ctr", "%!f(string=hé)"],
  ["{{printf \"%.2f\" .Labels.nope}}", "ctr", "%!f(<nil>)"],
  ["{{printf \"%.2f\" .Flag}}", "ctr", "%!f(bool=true)"],
  ["{{json .}}", "ctr", "{\"ID\":\"3f2a9c1b7d4e5f60718293a4\",\"Names\":[\"web\",\"frontend\"],\"Image\":\"docker.io/library/nginx:latest\",\"Command\":[\"nginx\",\"-g\",\"daemon off;\"],\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":4242,\"ExitCode\":0,\"StartedAt\":\"2024-01-02T03:04:06Z\",\"Health\":{\"Status\":\"healthy\",\"FailingStreak\":0}},\"Labels\":{\"a.b.c\":\"dots\",\"app\":\"web\",\"io.podman/x\":\"y\",\"tier\":\"front\"},\"Annotations\":{},\"Ports\":[{\"HostIP\":\"0.0.0.0\",\"HostPort\":8080,\"ContainerPort\":80,\"Protocol\":\"tcp\"},{\"HostIP\":\"\",\"HostPort\":8443,\"ContainerPort\":443,\"Protocol\":\"tcp\"}],\"Size\":4260000,\"CPU\":12.5,\"Ratio\":0.000012345,\"Big\":123456.789,\"Neg\":-42,\"Flag\":true,\"Empty\":\"\",\"NoPorts\":[],\"Missing\":null,\"Created\":\"2024-01-02T03:04:05.123456789Z\",\"Zero\":\"0001-01-01T00:00:00Z\",\"Fixed\":\"2024-06-01T12:00:00.5+02:00\",\"Tags\":{\"a\":1,\"b\":\"x\",\"c\":true,\"d\":[1,\"two\"]},\"Nested\":[{\"x\":1,\"y\":2},{\"z\":3}],\"Matrix\":[[\"a\",\"b\"],[],[\"c\"]],\"Unicode\":\"héllo wörld ✓\",\"HTML\":\"<a href=\\\"x\\\">&'</a>\",\"Num\":{\"1\":\"a\",\"10\":\"j\",\"2\":\"b\"}}"],
  ["{{json .Names}}", "ctr", "[\"web\",\"frontend\"]"],
  ["{{json .Labels}}", "ctr", "{\"a.b.c\":\"dots\",\"app\":\"web\",\"io.podman/x\":\"y\",\"tier\":\"front\"}"],
  ["{{json .HTML}}", "ctr", "\"<a href=\\\"x\\\">&'</a>\""],
  ["{{json .Missing}}", "ctr", "null"],
  ["{{json .Tags}}", "ctr", "{\"a\":1,\"b\":\"x\",\"c\":true,\"d\":[1,\"two\"]}"],
  ["{{json .Num}}", "ctr", "{\"1\":\"a\",\"10\":\"j\",\"2\":\"b\"}"],
  ["{{json .Ratio}} {{json .Big}} {{json .CPU}} {{json .Size}}", "ctr", "0.000012345 123456.789 12.5 4260000"],
  ["{{json .Created}} {{json .Zero}} {{json .Fixed}}", "ctr", "\"2024-01-02T03:04:05.123456789Z\" \"0001-01-01T00:00:00Z\" \"2024-06-01T12:00:00.5+02:00\""],
  ["{{json .Labels.nope}}", "ctr", "null"],
  ["{{join .Names \",\"}}", "ctr", "web,frontend"],
  ["{{join .Command \" \"}}", "ctr", "nginx -g daemon off;"],
  ["{{join .ID \",\"}}", "ctr", "", "template: ps:1:7: executing \"ps\" at <.ID>: wrong type for value; expected []string; got string"],
  ["{{.Names | join \",\"}}", "ctr", "", "template: ps:1:16: executing \"ps\" at <\",\">: can't handle \",\" for arg of type []string"],
  ["{{join .NoPorts \",\"}}", "ctr", "", "template: ps:1:7: executing \"ps\" at <.NoPorts>: wrong type for value; expected []string; got []main.Port"],
  ["{{lower .Image}} {{upper .Image}} {{title \"hello wide_world foo-bar\"}}", "ctr", "docker.io/library/nginx:latest DOCKER.IO/LIBRARY/NGINX:LATEST Hello Wide_world Foo-Bar"],
  ["{{lower 5}}", "ctr", "", "template: ps:1:8: executing \"ps\" at <5>: expected string; found 5"],
  ["{{upper .Size}}", "ctr", "", "template: ps:1:8: executing \"ps\" at <.Size>: wrong type for value; expected string; got int"],
  ["{{lower .Labels.nope}}", "ctr", "", "template: ps:1:15: executing \"ps\" at <.Labels.nope>: invalid value; expected string"],
  ["{{pad .ID 2 3}}|", "ctr", "  3f2a9c1b7d4e5f60718293a4   |"],
  ["[{{pad .Empty 2 2}}]", "ctr", "[]"],
  ["{{pad .Image -1 0}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <pad .Image -1 0>: error calling pad: strings: negative Repeat count"],
  ["{{split .Image \"/\"}}", "ctr", "[docker.io library nginx:latest]"],
  ["{{index (split .Image \"/\") 2}}", "ctr", "nginx:latest"],
  ["{{split \"abc\" \"\"}}", "ctr", "[a b c]"],
  ["{{truncate .ID 12}}", "ctr", "3f2a9c1b7d4e"],
  ["{{truncate \"ab\" 2}}", "ctr", "ab"],
  ["{{truncate \"ab\" 5}}", "ctr", "ab"],
  ["{{truncate .ID -1}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <truncate .ID -1>: error calling truncate: runtime error: slice bounds out of range [:-1]"],
  ["{{.ID | truncate 12}}", "ctr", "", "template: ps:1:17: executing \"ps\" at <12>: expected string; found 12"],
  ["{{truncate .Unicode 2}}", "ctr", "h�"],
  ["{{upper .Unicode}}", "ctr", "HÉLLO WÖRLD ✓"],
  ["{{title .Unicode}}", "ctr", "Héllo Wörld ✓"],
  ["{{lower \"ÀÉÎ\"}} {{upper \"straße\"}}", "ctr", "àéî STRAßE"],
  ["{{range .}}{{.ID}} {{.State.Status}}\n{{end}}", "list", "3f2a9c1b7d4e5f60718293a4 running\n0123456789ab exited\n"],
  ["{{len .}}", "list", "2"],
  ["{{(index . 1).State.ExitCode}}", "list", "7"],
  ["{{range .}}{{if .Labels}}L{{else}}-{{end}}{{end}}", "list", "L-"],
  ["{{$ | printf \"%q\"}}", "map", "map[\"list\":[\"p\" \"q\"] \"n\":'\\x03' \"name\":\"x\" \"nil\":<nil> \"sub\":map[\"k\":\"v\"]]"],
  ["{{printf \"%d\" .nil}}", "map", "%!d(<nil>)"],
  ["{{.name}} {{.n}} {{.list}} {{.sub.k}} {{.nil}} {{.zz}}", "map", "x 3 [p q] v <no value> <no value>"],
  ["{{.}}", "map", "map[list:[p q] n:3 name:x nil:<nil> sub:map[k:v]]"],
  ["{{.nil.x}}", "map", "", "template: ps:1:6: executing \"ps\" at <.nil.x>: nil pointer evaluating interface {}.x"],
  ["{{range $k, $v := .}}{{$k}}={{$v}} {{end}}", "map", "list=[p q] n=3 name=x nil=<no value> sub=map[k:v] "],
  ["{{index . \"sub\" \"k\"}}", "map", "v"],
  ["{{json .}}", "map", "{\"list\":[\"p\",\"q\"],\"n\":3,\"name\":\"x\",\"nil\":null,\"sub\":{\"k\":\"v\"}}"],
  ["{{.}}", "strings", "[b a c]"],
  ["{{range .}}{{.}}{{end}}", "strings", "bac"],
  ["{{join . \"-\"}}", "strings", "b-a-c"],
  ["{{index . 0}}", "strings", "b"],
  ["{{.}}", "nil", "<no value>"],
  ["{{.Foo}}", "nil", "<no value>"],
  ["{{.Foo.Bar}}", "nil", "<no value>"],
  ["{{if .}}x{{else}}nil{{end}}", "nil", "nil"],
  ["{{json .}}", "nil", "null"],
  ["{{.}}", "str", "hello"],
  ["{{len .}}", "str", "5"],
  ["{{.Foo}}", "str", "", "template: ps:1:2: executing \"ps\" at <.Foo>: can't evaluate field Foo in type string"],
  ["{{printf \"%q\" .}}", "str", "\"hello\""],
  ["{{.}}", "int", "42"],
  ["{{. | printf \"%05d\"}}", "int", "00042"],
  ["{{.Foo}}", "int", "", "template: ps:1:2: executing \"ps\" at <.Foo>: can't evaluate field Foo in type int"],
  ["{{if eq . 42}}yes{{end}}", "int", "yes"],
  ["{{.}}", "float", "2.5"],
  ["{{printf \"%.3f\" .}}", "float", "2.500"],
  ["{{gt . 2.0}}", "float", "true"],
  ["{{.Created.Unix}} {{.Created.UnixNano}} {{.Zero.Unix}}", "ctr", "1704164645 1704164645123456789 -62135596800"],
  ["{{.Created.Format \"2006-01-02 15:04\"}}", "ctr", "2024-01-02 03:04"],
  ["{{.Fixed.UTC}}", "ctr", "2024-06-01 10:00:00.5 +0000 UTC"],
  ["{{.Created.Format}}", "ctr", "", "template: ps:1:10: executing \"ps\" at <.Created.Format>: wrong number of args for Format: want 1 got 0"],
  ["{{.Created.Unix 1}}", "ctr", "", "template: ps:1:10: executing \"ps\" at <.Created.Unix>: wrong number of args for Unix: want 0 got 1"],
  ["{{.Created.Nope}}", "ctr", "", "template: ps:1:10: executing \"ps\" at <.Created.Nope>: can't evaluate field Nope in type time.Time"],
  ["{{.Created.IsZero}} {{.Zero.IsZero}}", "ctr", "false true"],
  ["{{.State.StartedAt.Format \"Jan _2\"}}", "ctr", "Jan  2"],
  ["{{with .Created}}{{.Unix}}{{end}}", "ctr", "1704164645"],
  ["{{.Created.Format 5}}", "ctr", "", "template: ps:1:18: executing \"ps\" at <5>: expected string; found 5"],
  ["{{.Created | printf \"%v\"}}", "ctr", "2024-01-02 03:04:05.123456789 +0000 UTC"],
  ["{{.Fixed.Format \"15:04 MST -07:00\"}}", "ctr", "12:00 +0200 +02:00"],
  ["{{-3}}", "ctr", "-3"],
  ["{{- 3}}", "ctr", "3"],
  ["{{3 -}}", "ctr", "3"],
  ["{{3-}}", "ctr", "", "template: ps:1: bad number syntax: \"3-\""],
  ["{{ /* c */ }}", "ctr", "", "template: ps:1: unexpected \"/\" in command"],
  ["{{\"\\u00e9\\x41\\101\"}}", "ctr", "éAA"],
  ["{{'\\n'}} {{'\\x41'}} {{'é'}}", "ctr", "10 65 233"],
  ["{{'ab'}}", "ctr", "", "template: ps:1: malformed character constant: 'ab'"],
  ["{{1_000}} {{0b101}} {{0o17}} {{017}} {{0x_1F}} {{.5}} {{1E2}}", "ctr", "1000 5 15 15 31 0.5 100"],
  ["{{1e}}", "ctr", "", "template: ps:1: illegal number syntax: \"1e\""],
  ["{{$}}", "ctr", "{3f2a9c1b7d4e5f60718293a4 [web frontend] docker.io/library/nginx:latest [nginx -g daemon off;] {running true 4242 0 2024-01-02 03:04:06 +0000 UTC {healthy 0}} map[a.b.c:dots app:web io.podman/x:y tier:front] map[] [{0.0.0.0 8080 80 tcp} { 8443 443 tcp}] 4260000 12.5 1.2345e-05 123456.789 -42 true  [] <nil> 2024-01-02 03:04:05.123456789 +0000 UTC 0001-01-01 00:00:00 +0000 UTC 2024-06-01 12:00:00.5 +0200 +0200 map[a:1 b:x c:true d:[1 two]] [map[x:1 y:2] map[z:3]] [[a b] [] [c]] héllo wörld ✓ <a href=\"x\">&'</a> map[1:a 2:b 10:j]}"],
  ["{{$x := 0}}{{range .Names}}{{$x = .}}{{end}}{{$x}}", "ctr", "frontend"],
  ["{{define \"a\"}}{{$}}|{{.}}{{end}}{{template \"a\" .Names}}", "ctr", "[web frontend]|[web frontend]"],
  ["{{if and .Flag (not .Empty)}}y{{end}}", "ctr", "y"],
  ["{{or 0 \"\" \"x\"}} {{and 1 0 \"x\"}}", "ctr", "x 0"],
  ["{{1 | index .Names}}", "ctr", "frontend"],
  ["{{(index .Ports 0).HostPort}}", "ctr", "8080"],
  ["{{with $x := 5}}{{$x}}{{end}}", "ctr", "5"],
  ["{{if .Empty}}a{{else if .Missing}}b{{else}}c{{end}}", "ctr", "c"],
  ["{{with .Flag}}a{{else if .Empty}}b{{end}}", "ctr", "", "template: ps:1: unexpected <if> in input"],
  ["{{.Ünïcode}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <.Ünïcode>: can't evaluate field Ünïcode in type main.Ctr"],
  ["{{ .ID\t}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{\n.ID\n}}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{.ID|len}}", "ctr", "24"],
  ["{{$x := .ID}}{{$x := .Image}}{{$x}}", "ctr", "docker.io/library/nginx:latest"],
  ["{{range .Nested}}{{.x}},{{end}}", "ctr", "1,<no value>,"],
  ["{{index .Nested 1 \"x\"}}", "ctr", "0"],
  ["{{template \"a\"}}{{define \"a\"}}A{{end}}", "ctr", "A"],
  ["{{define \"a\"}}1{{end}}{{define \"a\"}}2{{end}}", "ctr", "", "template: ps:1: template: multiple definition of template \"a\""],
  ["{{.Names | printf \"%v\" | len}}", "ctr", "14"],
  ["{{\"a\" | printf \"%s%s\" \"b\" | printf \"%s%s\" \"c\"}}", "ctr", "cba"],
  ["{{true | not}}", "ctr", "false"],
  ["{{.Labels | len}}", "ctr", "4"],
  ["{{with .Names}}{{index . 0}}{{end}}", "ctr", "web"],
  ["{{range $i, $_ := .Names}}{{$i}}{{end}}", "ctr", "01"],
  ["{{printf \"%d\" (len .Names)}}", "ctr", "2"],
  ["{{ (len .Names) | printf \"%03d\" }}", "ctr", "002"],
  ["{{$x := 1}}{{with .State}}{{$x}}{{$x = 2}}{{end}}{{$x}}", "ctr", "12"],
  ["{{range .Names}}{{break}}x{{end}}y", "ctr", "y"],
  ["{{range .Names}}{{continue}}{{end}}y", "ctr", "y"],
  ["{{range .Matrix}}[{{range .}}{{.}}{{else}}{{break}}E{{end}}]{{end}}", "ctr", "[ab][][c]"],
  ["{{range .Matrix}}[{{range .}}{{.}}{{else}}{{continue}}E{{end}}]{{end}}", "ctr", "[ab][[c]"],
  ["{{html .Labels.nope}} {{js .Missing}} {{urlquery nil}} {{html 1 .Labels.nope}}", "ctr", "&lt;no value&gt; \\u003Cnil\\u003E %3Cno+value%3E 1&lt;no value&gt;"],
  ["{{.Num.Missing}}", "ctr", "", "template: ps:1:6: executing \"ps\" at <.Num.Missing>: can't evaluate field Missing in type map[int]string"],
  ["{{index .Num \"x\"}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Num \"x\">: error calling index: value has type string; should be int"],
  ["{{index .Labels 1.5}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Labels 1.5>: error calling index: value has type float64; should be string"],
  ["{{eq .Names .Nested}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <eq .Names .Nested>: error calling eq: non-comparable type [map[x:%!s(int=1) y:%!s(int=2)] map[z:%!s(int=3)]]: []map[string]int"],
  ["{{eq .Tags.d .Created}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <eq .Tags.d .Created>: error calling eq: non-comparable types [%!s(int=1) two]: []interface {}, time.Time: 2024-01-02 03:04:05.123456789 +0000 UTC"],
  ["{{eq .Tags.d .Num}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <eq .Tags.d .Num>: error calling eq: non-comparable types [%!s(int=1) two]: []interface {}, map[int]string: map[1:a 2:b 10:j]"],
  ["{{printf \"%x %d\" .Missing .Missing}}", "ctr", "0 0"],
  ["{{printf \"%q %d\" .Labels.nope .Labels.nope}}", "ctr", "%!q(<nil>) %!d(<nil>)"],
  ["{{print .Labels.nope nil}}", "ctr", "<nil> <nil>"],
  ["{{upper .Matrix}}", "ctr", "", "template: ps:1:8: executing \"ps\" at <.Matrix>: wrong type for value; expected string; got [][]string"],
  ["{{join .Matrix \",\"}}", "ctr", "", "template: ps:1:7: executing \"ps\" at <.Matrix>: wrong type for value; expected []string; got [][]string"],
  ["{{.Names.0}}", "ctr", "", "template: ps:1: unexpected \".0\" in operand"],
  ["{{index .Tags \"d\" 5}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <index .Tags \"d\" 5>: error calling index: index out of range: 5"],
  ["{{slice .Names}}", "ctr", "[web frontend]"],
  ["{{slice .ID 2}}", "ctr", "2a9c1b7d4e5f60718293a4"],
  ["{{slice .ID 1 2 3}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <slice .ID 1 2 3>: error calling slice: cannot 3-index slice a string"],
  ["{{len .Tags.d}}", "ctr", "2"],
  ["{{.ID", "ctr", "", "template: ps:1: unclosed action"],
  ["{{.ID}", "ctr", "", "template: ps:1: bad character U+007D '}'"],
  ["{{\"unterminated}}", "ctr", "", "template: ps:1: unterminated quoted string"],
  ["{{`raw}}", "ctr", "", "template: ps:1: unterminated raw quoted string"],
  ["{{'x}}", "ctr", "", "template: ps:1: unterminated character constant"],
  ["{{3k}}", "ctr", "", "template: ps:1: bad number syntax: \"3k\""],
  ["{{.ID#}}", "ctr", "", "template: ps:1: bad character U+0023 '#'"],
  ["{{(.ID}}", "ctr", "", "template: ps:1: unclosed left paren"],
  ["{{.ID)}}", "ctr", "", "template: ps:1: unexpected \")\" in command"],
  ["{{$x := }}", "ctr", "", "template: ps:1: missing value for command"],
  ["{{/* unclosed", "ctr", "", "template: ps:1: unclosed comment"],
  ["{{/* c */ }}", "ctr", "", "template: ps:1: comment ends before closing delimiter"],
  ["{{.ID | }}", "ctr", "3f2a9c1b7d4e5f60718293a4"],
  ["{{| .ID}}", "ctr", "", "template: ps:1: unexpected \"|\" in command"],
  ["{{@}}", "ctr", "", "template: ps:1: unexpected \"@\" in command"],
  ["{{.ID\n.Image", "ctr", "", "template: ps:2: unclosed action started at ps:1"],
  ["{{if .Flag}}\n\n{{.ID", "ctr", "", "template: ps:3: unclosed action"],
  ["line1\n{{.Nope}}", "ctr", "line1\n", "template: ps:2:2: executing \"ps\" at <.Nope>: can't evaluate field Nope in type main.Ctr"],
  ["a\nb {{.ID}} {{.Foo}}", "ctr", "a\nb 3f2a9c1b7d4e5f60718293a4 ", "template: ps:2:12: executing \"ps\" at <.Foo>: can't evaluate field Foo in type main.Ctr"],
  ["{{ 1.2.3 }}", "ctr", "", "template: ps:1: unexpected \".3\" in operand"],
  ["{{\"\\q\"}}", "ctr", "", "template: ps:1: invalid syntax"],
  ["{{08}}", "ctr", "", "template: ps:1: integer overflow: \"08\""],
  ["{{99999999999999999999}}", "ctr", "", "template: ps:1: integer overflow: \"99999999999999999999\""],
  ["{{1 2}}", "ctr", "", "template: ps:1:2: executing \"ps\" at <1>: can't give argument to non-function 1"],
  ["{{:}}", "ctr", "", "template: ps:1: expected :="],
  ["{{.ID:=1}}", "ctr", "", "template: ps:1: unexpected \":=\" in operand"],
  ["{{$x, $y := .Names}}", "ctr", "", "template: ps:1: too many declarations in command"],
  ["{{with $x, $y := .Names}}{{end}}", "ctr", "", "template: ps:1: too many declarations in with"],
  ["{{\"a\".Foo}}", "ctr", "", "template: ps:1: unexpected . after term \"\\\"a\\\"\""],
  ["{{.ID -}}}", "ctr", "3f2a9c1b7d4e5f60718293a4}"],
  ["{{ -3 }}", "ctr", "-3"],
  ["{{x}}", "ctr", "", "template: ps:1: function \"x\" not defined"],
  ["{{ printf \"%s\" ( }}", "ctr", "", "template: ps:1: unclosed left paren"],
]

t.test('matches Go text/template', async t => {
  for (const [tmpl, name, out, err] of goCases) {
    const got = run(tmpl, data(name))
    t.same(got, err === undefined ? { out } : { out, err }, `${JSON.stringify(tmpl)} on ${name}`)
  }
})

t.test('known differences from Go, where JS data carries no Go types', async t => {
  const ctr = fixture()
  // Go names the nil pointer's type (*main.Health); a JS null has none.
  t.same(run('{{.Missing.Status}}', ctr), {
    out: '',
    err: 'template: ps:1:10: executing "ps" at <.Missing.Status>: nil pointer evaluating interface {}.Status',
  })
  // null ranges like a nil slice or map (JSON data has null for empty lists); Go refuses a nil pointer.
  t.same(run('{{range .Missing}}x{{else}}none{{end}}', ctr), { out: 'none' })
  // Integral numbers are ints: Go's float64 1e6 prints 1e+06.
  t.same(run('{{printf "%v %v" 1e6 1234567.0}}', ctr), { out: '1000000 1234567' })
  // Go names the pointer type in bad-verb output: %!s(*main.Health=<nil>).
  t.same(run('{{printf "%v|%s|%d" .Missing .Missing .Missing}}', ctr), { out: '<nil>|%!s(<nil>)|0' })
  // Go reports a mixed-element value's static type (interface {}); JS values have only dynamic types.
  t.match(run('{{range .Tags}}{{.X}}{{end}}', ctr).err, /can't evaluate field X in type int$/)
  // Numbers are compared by value: Go refuses to compare a float64 field with an int constant.
  t.same(run('{{eq .CPU 12.5}} {{eq .Size 4260000.0}}', ctr), { out: 'true true' })
})

t.test('parse errors are TemplateErrors with Go messages', async t => {
  t.throws(() => compileTemplate('{{.ID', { name: 'inspect' }), {
    name: 'TemplateError',
    code: 'invalid-argument',
    message: 'template: inspect:1: unclosed action',
  })
  t.throws(() => compileTemplate('{{nope .}}'), { message: 'template: template:1: function "nope" not defined' })
})

t.test('execution errors keep the output produced before them', async t => {
  const err = t.throws(() => compileTemplate('{{range .}}{{.ID}} {{.State.Foo}}\n{{end}}', { name: 'ps' }).execute(data('list')))
  t.match(err, { partialOutput: '3f2a9c1b7d4e5f60718293a4 ', message: /can't evaluate field Foo in type main.State$/ })
})

t.test('compile once, execute many times', async t => {
  const tmpl = compileTemplate('{{.Name}}:{{$x := .N}}{{$x}}', { name: 'ps' })
  t.equal(tmpl.name, 'ps')
  t.equal(tmpl.execute({ Name: 'a', N: 1 }), 'a:1')
  t.equal(tmpl.execute({ Name: 'b', N: 2 }), 'b:2', 'variables do not leak between executions')
})

t.test('struct type names', async t => {
  t.match(run('{{.X}}', {}).err, /can't evaluate field X in type struct$/, 'plain objects default to "struct"')
  class Row {
    ID = 'x'
  }
  t.match(run('{{.X}}', new Row()).err, /in type Row$/, 'class instances use the class name')
  t.match(run('{{.X}}', { [goTypeName]: 'entities.ListContainer' }).err, /in type entities.ListContainer$/)
  t.equal(run('{{printf "%T %T %T %T" . .A .B .C}}', { A: [1, 2], B: new Map([['k', 'v']]), C: ['a', 1] }).out, 'struct []int map[string]string []interface {}')
})

t.test('maps: JS Map or goMap-marked objects', async t => {
  const m = new Map<string, unknown>([['b', 2], ['a', 1]])
  t.equal(run('{{.}} {{.a}} {{.zz}} {{index . "zz"}} {{len .}}', m).out, 'map[a:1 b:2] 1 <no value> <no value> 2')
  const labels = goMap({ 'org.opencontainers.image.title': 'x' }, '')
  t.equal(run('[{{index . "org.opencontainers.image.title"}}][{{index . "missing"}}][{{.missing}}]', labels).out, '[x][][<no value>]')
  t.equal(run('{{range $k, $v := .}}{{$k}}={{$v}};{{end}}', goMap({ b: 1, a: 2, C: 3 })).out, 'C=3;a=2;b=1;', 'sorted bytewise')
})

t.test('nil semantics: struct fields are nil pointers, map and slice elements nil interfaces', async t => {
  const v = { P: null, U: undefined, M: goMap({ n: null }), S: [null, 1] }
  t.equal(run('{{.P}} {{.U}} {{.M.n}} {{index .S 0}} {{range .S}}{{.}},{{end}} {{.S}} {{.M}}', v).out, '<nil> <nil> <no value> <no value> <no value>,1, [<nil> 1] map[n:<nil>]')
  t.equal(run('{{if .P}}y{{else}}n{{end}}{{with .M.n}}y{{else}}n{{end}}', v).out, 'nn')
  t.equal(run('{{.}}', null).out, '<no value>', 'nil data is the invalid value')
  t.equal(run('{{.}}', NO_VALUE).out, '<no value>')
})

t.test('Go-style methods and getters on class instances', async t => {
  class Row {
    constructor(readonly id: string) {}
    get Short() {
      return this.id.slice(0, 3)
    }
    Greet(who: string) {
      return `hi ${who} from ${this.id}`
    }
    String() {
      return `Row(${this.id})`
    }
    lower() {
      return 'not a Go method: lower-case'
    }
  }
  const r = new Row('abcdef')
  t.equal(run('{{.Short}} {{.Greet "bob"}} {{.}} {{printf "%s|%v|%d" . . .}}', r).out, 'abc hi bob from abcdef Row(abcdef) Row(abcdef)|Row(abcdef)|{%!d(string=abcdef)}')
  t.match(run('{{.Greet}}', r).err, /wrong number of args for Greet: want 1 got 0$/)
  t.match(run('{{.lower}}', r).err, /can't evaluate field lower in type Row$/)
  t.match(run('{{.toString}}', r).err, /can't evaluate field toString in type Row$/, 'Object.prototype is not searched')
  t.equal(run('{{.Short | upper}}', r).out, 'ABC')
})

t.test('user functions', async t => {
  const tmpl = compileTemplate('{{shout .Name}} {{.Name | twice}} {{upper "x"}} {{lower "Y"}}', {
    funcs: {
      shout: (s: unknown) => String(s).toUpperCase() + '!',
      twice: { params: ['string'], fn: (s: string) => s + s },
      lower: () => 'overridden',
    },
  })
  t.equal(tmpl.execute({ Name: 'ab' }), 'AB! abab X overridden')
  const failing = compileTemplate('{{boom}}', { funcs: { boom: () => { throw new Error('kaput') } } })
  t.throws(() => failing.execute({}), { message: 'template: template:1:2: executing "template" at <boom>: error calling boom: kaput' })
  t.throws(() => compileTemplate('{{json .}}', { podmanFuncs: false }), { message: /function "json" not defined/ })
})

t.test('positions count bytes and lines like Go', async t => {
  t.match(run('héllo\nwörld {{.X}}', {}).err, /^template: ps:2:9: executing "ps" at <.X>/, "ö is two bytes")
})
