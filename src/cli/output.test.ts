import t from 'tap'
import { Writable } from 'node:stream'
import { formatJson, jsoniterEmptyObjects, printReport, renderObject } from './output.js'
import { goMap } from '../format/template/index.js'

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk)
      cb()
    },
  }) as Writable & { text: string }
  w.text = ''
  return w
}

t.test('a failing template\'s partial output reaches stdout before the error', async t => {
  const out = sink()
  t.throws(() => printReport(out, '{{.Name}} {{.Nope}}', [{ Name: 'a' }], { name: 'ps' }), /can't evaluate field Nope/)
  t.equal(out.text, 'a ')
})

t.test('json-iterator\'s empty objects (ps, images, info) and encoding/json\'s (inspect)', async t => {
  const value = [{ Namespaces: {}, Labels: goMap({}), Name: 'x {} y' }]
  t.equal(formatJson(value, { indent: '  ', jsoniter: true }), '[\n  {\n    "Namespaces": {\n      \n    },\n    "Labels": {\n      \n    },\n    "Name": "x {} y"\n  }\n]\n')
  t.equal(formatJson(value, { indent: '     ', escapeHTML: false }), '[\n     {\n          "Namespaces": {},\n          "Labels": {},\n          "Name": "x {} y"\n     }\n]\n')
  t.equal(jsoniterEmptyObjects('{"a":"\\"{}"}', '  '), '{"a":"\\"{}"}', 'braces inside strings are left alone')
  t.equal(formatJson({ A: '<&>' }, { indent: '' }), '{"A":"\\u003c\\u0026\\u003e"}\n')
})

t.test('renderObject: one value, no implicit range; tables and podman\'s own templates aligned', async t => {
  const v = { Client: { Version: '1.0', OsArch: 'linux/amd64' } }
  t.equal(renderObject('{{.Client.Version}}', v, { name: 'version' }), '1.0\n')
  t.equal(renderObject('{{.Client.Version}}\\t{{.Client.OsArch}}', v, { name: 'version' }), '1.0\tlinux/amd64\n')
  t.equal(renderObject('A:\\t{{.Client.Version}}\nLonger:\\t{{.Client.OsArch}}\n', v, { name: 'version', aligned: true }), 'A:          1.0\nLonger:     linux/amd64\n')
  t.throws(() => renderObject('{{.Nope}}', v, { name: 'info' }), /template: info:1:2: executing "info" at <\.Nope>: can't evaluate field Nope/)
})
