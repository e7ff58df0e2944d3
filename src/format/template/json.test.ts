import t from 'tap'
import { goJson } from './json.js'
import { GoTime } from './gotime.js'
import { goMap, goStruct } from './values.js'

// encoding/json.Encoder output (SetIndent("", indent), SetEscapeHTML) for
// map[string]interface{}{"b": []interface{}{1, "x<y>&z", nil, map[string]interface{}{}, []interface{}{}},
// "a": 1.5, "c": "\u2028\b\f\x01é"}
const cases: [string, boolean, string][] = [
  ["",true,"{\"a\":1.5,\"b\":[1,\"x\\u003cy\\u003e\\u0026z\",null,{},[]],\"c\":\"\\u2028\\u0008\\u000c\\u0001é\"}\n"],
  ["",false,"{\"a\":1.5,\"b\":[1,\"x<y>&z\",null,{},[]],\"c\":\"\\u2028\\u0008\\u000c\\u0001é\"}\n"],
  ["  ",true,"{\n  \"a\": 1.5,\n  \"b\": [\n    1,\n    \"x\\u003cy\\u003e\\u0026z\",\n    null,\n    {},\n    []\n  ],\n  \"c\": \"\\u2028\\u0008\\u000c\\u0001é\"\n}\n"],
  ["  ",false,"{\n  \"a\": 1.5,\n  \"b\": [\n    1,\n    \"x<y>&z\",\n    null,\n    {},\n    []\n  ],\n  \"c\": \"\\u2028\\u0008\\u000c\\u0001é\"\n}\n"],
  ["    ",true,"{\n    \"a\": 1.5,\n    \"b\": [\n        1,\n        \"x\\u003cy\\u003e\\u0026z\",\n        null,\n        {},\n        []\n    ],\n    \"c\": \"\\u2028\\u0008\\u000c\\u0001é\"\n}\n"],
  ["    ",false,"{\n    \"a\": 1.5,\n    \"b\": [\n        1,\n        \"x<y>&z\",\n        null,\n        {},\n        []\n    ],\n    \"c\": \"\\u2028\\u0008\\u000c\\u0001é\"\n}\n"],
  ["     ",true,"{\n     \"a\": 1.5,\n     \"b\": [\n          1,\n          \"x\\u003cy\\u003e\\u0026z\",\n          null,\n          {},\n          []\n     ],\n     \"c\": \"\\u2028\\u0008\\u000c\\u0001é\"\n}\n"],
  ["     ",false,"{\n     \"a\": 1.5,\n     \"b\": [\n          1,\n          \"x<y>&z\",\n          null,\n          {},\n          []\n     ],\n     \"c\": \"\\u2028\\u0008\\u000c\\u0001é\"\n}\n"],
]

t.test('matches Go encoding/json', async t => {
  const v = goMap({ b: [1, 'x<y>&z', null, goMap({}), []], a: 1.5, c: '\u2028\b\f\x01é' })
  for (const [indent, escapeHTML, out] of cases) {
    t.equal(goJson(v, { indent, escapeHTML }) + '\n', out, `indent ${JSON.stringify(indent)} escapeHTML ${escapeHTML}`)
  }
})

t.test('structs keep field order, maps sort keys, times are RFC 3339', async t => {
  const s = goStruct('T', { Z: 1, A: new Map([[10, 'j'], [2, 'b']]), When: new GoTime(0, 5, 'UTC'), Skip: undefined, N: null })
  t.equal(goJson(s), '{"Z":1,"A":{"10":"j","2":"b"},"When":"1970-01-01T00:00:00.000000005Z","N":null}')
  t.equal(goJson([]), '[]')
  t.equal(goJson({}, { indent: '  ' }), '{}')
  t.equal(goJson(-0), '-0')
  t.equal(goJson(1e21), '1e+21')
  t.equal(goJson(1e-7), '1e-7')
  t.equal(goJson(2n ** 63n - 1n), '9223372036854775807')
  t.equal(goJson('a\ud800b'), '"a\\ufffdb"', 'a lone surrogate is invalid UTF-8 to Go')
})

t.test('cycles are errors', async t => {
  const a: Record<string, unknown> = {}
  a.self = a
  t.throws(() => goJson(a), /cycle/)
})
