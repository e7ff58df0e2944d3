import t from 'tap'
import { compileTemplate, goJson, goMap } from '../../format/template/index.js'
import { embed, nilMap, nilSlice, stringMap, tagged } from './go-values.js'

const run = (tmpl: string, data: unknown) => compileTemplate(tmpl, { name: 't' }).execute(data)

t.test('tagged: Go names in templates, JSON tags and omitempty in JSON', async t => {
  const s = tagged('x.T', { ID: 'abc', Name: '', Count: 0, List: [] as string[], Kept: '', Skip: 'no' }, {
    ID: 'Id', Name: ',omitempty', Count: 'count,omitempty', List: ',omitempty', Skip: '-',
  })
  t.equal(run('{{.ID}} {{.Skip}}', s), 'abc no')
  t.equal(goJson(s), '{"Id":"abc","Kept":""}')
  t.equal(run('{{.}}', s), '{abc  0 []  no}', 'printed as a struct of its Go fields')
  t.throws(() => run('{{.Id}}', s), /can't evaluate field Id in type x\.T/, 'the JSON name is no field')
})

t.test('nilMap prints map[], indexes to "", encodes null', async t => {
  const m = nilMap()
  t.equal(run('{{.}}', m), 'map[]')
  t.equal(run('[{{index . "x"}}]', m), '[]')
  t.equal(goJson({ Labels: m }), '{"Labels":null}')
  t.equal(goJson({ Labels: stringMap({}) }), '{"Labels":null}')
  t.equal(goJson({ Labels: stringMap({}, false) }), '{"Labels":{}}')
  t.equal(run('{{.a}}', stringMap({ a: '1' })), '1')
})

t.test('nilSlice prints [], encodes null; omitempty drops it', async t => {
  t.equal(run('{{.}}', nilSlice()), '[]')
  t.equal(goJson({ P: nilSlice() }), '{"P":null}')
  t.equal(goJson(tagged('T', { P: nilSlice(), M: goMap({}) }, { P: ',omitempty', M: ',omitempty' })), '{}')
})

t.test('embed: promoted fields, methods win over fields of the same name', async t => {
  class Outer {
    readonly Inner: { ID: string; Name: string; Size: number }
    constructor(inner: Outer['Inner']) {
      this.Inner = inner
    }
    get ID(): string {
      return this.Inner.ID.slice(0, 3)
    }
  }
  embed(Outer, 'Inner', ['ID', 'Name', 'Size'], 'pkg.outer')
  const o = new Outer({ ID: 'abcdef', Name: 'n', Size: 3 })
  t.equal(run('{{.ID}} {{.Name}} {{.Size}} {{.Inner.ID}}', o), 'abc n 3 abcdef')
  t.equal(run('{{.}}', o), '{{abcdef n 3}}', 'printed as Go prints an embedding struct')
  t.throws(() => run('{{.Nope}}', o), /can't evaluate field Nope in type pkg\.outer/)
})
