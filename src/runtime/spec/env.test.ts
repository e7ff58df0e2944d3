import t from 'tap'
import { containerEnv, mergeEnv, parseEnvArgs, parseEnvFile, parseImageEnv } from './env.js'

const hostEnv = { FOO: 'host-foo', FOO_BAR: 'host-fb', FOOD: 'pizza', OTHER: 'o', EMPTY: '' }
const invalid = (message: string | RegExp) => ({ code: 'invalid-argument', message })

t.test('env-file parsing', async t => {
  const text = [
    '# a comment',
    '',
    '   ',
    'A=1',
    '  B=two words  ',
    '\t# indented comment',
    'C="quoted"',
    "D='single'",
    'E=x=y=z',
    'F=',
    'FOO',
    'MISSING',
    'G=crlf\r',
    'A=override',
    'FOO_*',
    'export H=1',
  ].join('\n')
  t.strictSame(parseEnvFile(text, hostEnv, '/tmp/x.env'), [
    ['A', 'override'],
    ['B', 'two words  '],
    ['C', '"quoted"'],
    ['D', "'single'"],
    ['E', 'x=y=z'],
    ['F', ''],
    ['FOO', 'host-foo'],
    ['G', 'crlf'],
    ['FOO_BAR', 'host-fb'],
    ['export H', '1'],
  ], 'comments/blank lines skipped, values literal, bare names from the host, K* globs')
  t.strictSame(parseEnvFile('', hostEnv), [])
  t.throws(() => parseEnvFile('OK=1\n=bad\n', hostEnv, '/tmp/x.env'), invalid('parsing env file "/tmp/x.env": invalid environment variable: "=bad"'))
})

t.test('-e parsing and validation', async t => {
  t.strictSame(parseEnvArgs(['A=1', 'FOO', 'NOPE', 'EMPTY', 'B=', '  C=3', 'FOO*'], hostEnv), [
    ['A', '1'],
    ['FOO', 'host-foo'],
    ['EMPTY', ''],
    ['B', ''],
    ['C', '3'],
    ['FOO_BAR', 'host-fb'],
    ['FOOD', 'pizza'],
  ])
  t.throws(() => parseEnvArgs(['=x'], hostEnv), invalid('invalid environment variable: "=x"'))
  t.throws(() => parseEnvArgs([''], hostEnv), invalid('invalid environment variable: ""'))
  t.throws(() => parseEnvArgs(['  =x'], hostEnv), invalid('invalid environment variable: "  =x"'))
  t.throws(() => parseEnvArgs(['A=a\0b'], hostEnv), invalid(/NUL/))
})

t.test('image env', async t => {
  t.strictSame(parseImageEnv(['PATH=/bin', 'X=a=b', 'BARE']), [['PATH', '/bin'], ['X', 'a=b']])
  t.strictSame(parseImageEnv(null), [])
  t.throws(() => parseImageEnv(['=oops']), invalid(/env fields from image failed to parse/))
})

t.test('merging: later wins, first position kept', async t => {
  t.strictSame(mergeEnv([['A', '1'], ['B', '1']], [['C', '2'], ['A', '2']], [['B', '3']]), [['A', '2'], ['B', '3'], ['C', '2']])
})

t.test('containerEnv layers', async t => {
  const proxyHost = { ...hostEnv, http_proxy: 'http://p', NO_PROXY: 'localhost' }
  t.strictSame(
    containerEnv({
      imageEnv: ['PATH=/img', 'container=docker', 'IMG=1'],
      envFile: [['IMG', 'file'], ['F', '1']],
      env: [['F', 'flag']],
      hostEnv: proxyHost,
      home: '/root',
      hostname: 'h',
    }),
    ['PATH=/img', 'TERM=xterm', 'container=docker', 'IMG=file', 'http_proxy=http://p', 'NO_PROXY=localhost', 'F=flag', 'HOME=/root', 'HOSTNAME=h'],
  )
  t.strictSame(containerEnv({}), ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm', 'container=podman'])
  t.strictSame(containerEnv({ hostEnv: proxyHost, httpProxy: false }).length, 3)
  const all = containerEnv({ hostEnv: proxyHost, envHost: true, imageEnv: ['OTHER=image'] })
  t.ok(all.includes('OTHER=o'), '--env-host overrides the image')
  t.ok(all.includes('EMPTY='))
  t.ok(containerEnv({ env: [['HOME', '/x']], home: '/root' }).includes('HOME=/x'))
})
