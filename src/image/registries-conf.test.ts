import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { parseDockerReference } from './reference.js'
import { loadRegistriesConf, matchPrefix, parseRegistriesConf, RegistriesConf } from './registries-conf.js'

const D = 'sha256:' + 'cd'.repeat(32)
const conf = (text: string, path = '/x/registries.conf') => RegistriesConf.fromFiles([parseRegistriesConf(text, path)])
const badConf = (message: string | RegExp) => ({ code: 'invalid-argument', message })

t.test('parses the v2 format', async t => {
  const f = parseRegistriesConf(
    `
unqualified-search-registries = ["registry.fedoraproject.org", "quay.io:443", "docker.io/"]
short-name-mode = "enforcing"

[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/bar/"
insecure = true

[[registry.mirror]]
location = "mirror-0.local/foo"

[[registry.mirror]]
location = "mirror-1.local/foo"
insecure = true
pull-from-mirror = "digest-only"

[[registry]]
location = "blocked.io"
blocked = true

[[registry]]
prefix = "*.wild.io"

[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"bb" = "docker.io/busybox"
`,
    '/etc/test.conf',
  )
  t.same(f.unqualifiedSearchRegistries, ['registry.fedoraproject.org', 'quay.io:443', 'docker.io'])
  t.equal(f.shortNameMode, 'enforcing')
  t.same(f.registries, [
    {
      prefix: 'example.com/foo',
      location: 'internal.example.com/bar',
      insecure: true,
      blocked: false,
      mirrorByDigestOnly: false,
      mirrors: [
        { location: 'mirror-0.local/foo', insecure: false, pullFromMirror: 'all' },
        { location: 'mirror-1.local/foo', insecure: true, pullFromMirror: 'digest-only' },
      ],
    },
    { prefix: 'blocked.io', location: 'blocked.io', insecure: false, blocked: true, mirrorByDigestOnly: false, mirrors: [] },
    { prefix: '*.wild.io', location: '', insecure: false, blocked: false, mirrorByDigestOnly: false, mirrors: [] },
  ])
  t.equal(f.aliases.get('fedora')?.toString(), 'registry.fedoraproject.org/fedora')
  t.equal(f.aliases.get('bb')?.toString(), 'docker.io/library/busybox', 'alias values are normalised')
})

t.test('an empty file and absent keys', async t => {
  const f = parseRegistriesConf('# nothing\n', '/e.conf')
  t.equal(f.unqualifiedSearchRegistries, undefined, 'absent, so a drop-in does not reset the list')
  t.equal(f.shortNameMode, undefined)
  t.same(f.registries, [])
  t.equal(f.aliases.size, 0)
  t.same(parseRegistriesConf('unqualified-search-registries = []', '/e.conf').unqualifiedSearchRegistries, [])
})

t.test('converts the v1 format', async t => {
  const f = parseRegistriesConf(
    `[registries.search]\nregistries = ["quay.io"]\n[registries.insecure]\nregistries = ["10.0.0.1:5000"]\n[registries.block]\nregistries = ["evil.io"]\n`,
    '/v1.conf',
  )
  t.same(f.unqualifiedSearchRegistries, ['quay.io'])
  t.same(
    f.registries.map(r => [r.prefix, r.insecure, r.blocked]),
    [
      ['evil.io', false, true],
      ['10.0.0.1:5000', true, false],
    ],
  )
  t.throws(() => parseRegistriesConf('[registries.search]\nregistries = ["quay.io"]\n', '/d.conf', { dropIn: true }), badConf(/must be in v2 format/))
  t.throws(
    () => parseRegistriesConf('unqualified-search-registries = ["a.io"]\n[registries.search]\nregistries = ["quay.io"]\n', '/m.conf'),
    badConf(/mixing sysregistry v1\/v2 is not supported/),
  )
})

t.test('rejects malformed files with the file name', async t => {
  const cases: [string, RegExp][] = [
    ['[[registry]]\nlocation = "https://x.io"', /invalid location 'https:\/\/x.io': URI schemes are not supported/],
    ['[[registry]]\ninsecure = true', /both location and prefix are unset/],
    ['[[registry]]\nprefix = "x.io/a"', /location is unset and prefix is not in the format: \*\.example\.com/],
    ['[[registry]]\nprefix = "*.x.io/foo"', /Wildcarded prefix should be in the format/],
    ['[[registry]]\nlocation = "x.io"\npull-from-mirror = "all"', /pull-from-mirror must not be set for a non-mirror registry/],
    ['[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\ninsecure = true', /mirror location is unset/],
    ['[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "sometimes"', /unsupported pull-from-mirror value "sometimes"/],
    [
      '[[registry]]\nlocation = "x.io"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "all"',
      /cannot set mirror usage mirror-by-digest-only/,
    ],
    ['[[registry]]\nlocation = "x.io"\ninsecure = "yes"', /insecure must be true or false/],
    ['[[registry]]\nprefix = "a.x.io"\nlocation = "x.io"\ninsecure = true\n[[registry]]\nprefix = "b.x.io"\nlocation = "x.io"', /registry 'x.io' is defined multiple times with conflicting 'insecure' setting/],
    ['[[registry]]\nprefix = "a.x.io"\nlocation = "x.io"\nblocked = true\n[[registry]]\nprefix = "b.x.io"\nlocation = "x.io"', /conflicting 'blocked' setting/],
    ['short-name-mode = "strict"', /invalid short-name mode: "strict"/],
    ['unqualified-search-registries = ["not a host"]', /Invalid unqualified-search-registries entry "not a host"/],
    ['unqualified-search-registries = "quay.io"', /unqualified-search-registries must be an array of strings/],
    ['registry = "x"', /registry must be an array of tables/],
    ['[aliases]\n"x" = "quay.io/x:tag"', /invalid alias "quay.io\/x:tag": must not contain tag/],
    [`[aliases]\n"x" = "quay.io/x@${D}"`, /must not contain digest/],
    ['[aliases]\n"x" = "notqualified/x"', /invalid alias "notqualified\/x": must contain registry and repository/],
    ['[aliases]\n"quay.io/x" = "quay.io/x"', /invalid short name "quay.io\/x": must not contain registry/],
    ['[aliases]\n"x:1" = "quay.io/x"', /invalid short name "x:1": must not contain tag/],
    ['[aliases]\n"a:1" = "quay.io/a"\n"b" = "b"', /must not contain tag.*; invalid alias "b"/],
    ['[aliases]\n"x" = 1', /alias "x" must be a string/],
    ['unqualified-search-registries = [', /loading registries configuration "\/bad.conf": .*\(line 1, column \d+\)/],
  ]
  for (const [text, message] of cases) {
    t.throws(() => parseRegistriesConf(text, '/bad.conf'), badConf(message), message.source)
    t.throws(() => parseRegistriesConf(text, '/bad.conf'), badConf(/^loading registries configuration "\/bad.conf": /))
  }
})

t.test('prefix matching', async t => {
  t.equal(matchPrefix('example.com/foo/bar:1', 'example.com/foo'), 15)
  t.equal(matchPrefix('example.com/foo', 'example.com/foo'), 15)
  t.equal(matchPrefix('example.com/foobar', 'example.com/foo'), -1, 'component boundary')
  t.equal(matchPrefix('example.com', 'example.com/foo'), -1)
  t.equal(matchPrefix(`example.com/foo@${D}`, 'example.com/foo'), 15)
  t.equal(matchPrefix('a.b.wild.io/x', '*.wild.io'), 11)
  t.equal(matchPrefix('b.wild.io:5000/x', '*.wild.io'), 9)
  t.equal(matchPrefix('wild.io/x', '*.wild.io'), -1, 'the wildcard needs a subdomain')
  t.equal(matchPrefix('x.io/a.wild.io', '*.wild.io'), -1, 'only in the host part')
  t.equal(matchPrefix('a.wild.iox/y', '*.wild.io'), -1)
})

t.test('finds the longest prefix and rewrites locations', async t => {
  const c = conf(`
[[registry]]
prefix = "example.com"
location = "example.com"
insecure = true
[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/bar"
[[registry]]
prefix = "docker.io/library/busybox"
location = "127.0.0.1:5000/mirror/busybox"
[[registry]]
location = "127.0.0.1:5000"
insecure = true
[[registry]]
location = "nope.io"
blocked = true
[[registry]]
prefix = "*.sub.io"
insecure = true
`)
  t.equal(c.findRegistry(parseDockerReference('example.com/foo/app'))?.prefix, 'example.com/foo')
  t.equal(c.findRegistry(parseDockerReference('example.com/other'))?.prefix, 'example.com')
  t.equal(c.findRegistry(parseDockerReference('quay.io/x')), undefined)

  let src = c.pullSource(parseDockerReference('example.com/foo/app:1'))
  t.equal(src.reference.toString(), 'internal.example.com/bar/app:1')
  t.equal(src.insecure, false)
  src = c.pullSource(parseDockerReference('busybox'))
  t.equal(src.reference.toString(), '127.0.0.1:5000/mirror/busybox:latest')
  t.equal(src.insecure, true, 'the physical host is insecure')
  src = c.pullSource(parseDockerReference('example.com/x'))
  t.same([src.reference.toString(), src.insecure], ['example.com/x:latest', true])
  src = c.pullSource(parseDockerReference('a.sub.io/x'))
  t.same([src.reference.toString(), src.insecure], ['a.sub.io/x:latest', true], 'wildcard: flags, no rewrite')
  src = c.pullSource(parseDockerReference('quay.io/x'))
  t.same([src.reference.toString(), src.insecure], ['quay.io/x:latest', false], 'no entry')
  t.throws(() => c.pullSource(parseDockerReference('nope.io/x')), { code: 'permission-denied', message: 'registry nope.io is blocked in /x/registries.conf' })
})

t.test('short-name resolution', async t => {
  const c = conf(`
unqualified-search-registries = ["quay.io", "docker.io"]
[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"library/bb" = "docker.io/library/busybox"
`)
  let r = c.resolve('quay.io/x/y')
  t.same([r.rationale, r.candidates.map(String), r.description], ['fully-qualified', ['quay.io/x/y:latest'], undefined])
  r = c.resolve('fedora:39')
  t.same(r.candidates.map(String), ['registry.fedoraproject.org/fedora:39'])
  t.equal(r.rationale, 'alias')
  t.equal(r.description, 'Resolved "fedora" as an alias (/x/registries.conf)')
  t.same(c.resolve(`fedora@${D}`).candidates.map(String), [`registry.fedoraproject.org/fedora@${D}`])
  t.same(c.resolve(`fedora:39@${D}`).candidates.map(String), [`registry.fedoraproject.org/fedora:39@${D}`])
  t.same(c.resolve('library/bb').candidates.map(String), ['docker.io/library/busybox:latest'], 'alias keys are names as typed')
  r = c.resolve('busybox:1')
  t.same(r.candidates.map(String), ['quay.io/busybox:1', 'docker.io/library/busybox:1'])
  t.equal(r.rationale, 'search-registries')
  t.equal(r.description, 'Resolving "busybox" using unqualified-search registries (/x/registries.conf)')
  t.throws(() => c.resolve('Busybox'), { code: 'invalid-argument', message: 'repository name must be lowercase' })

  const none = conf('[aliases]\n"a" = "quay.io/a"\n', '/etc/r.conf')
  t.throws(() => none.resolve('busybox'), {
    code: 'invalid-argument',
    message: 'short-name "busybox" did not resolve to an alias and no unqualified-search registries are defined in "/etc/r.conf"',
  })
  t.throws(() => RegistriesConf.fromFiles([], { mainFile: null }).resolve('busybox'), {
    message: 'short-name "busybox" did not resolve to an alias and no containers-registries.conf(5) was found',
  })

  const enforcing = (regs: string) => conf(`short-name-mode = "enforcing"\nunqualified-search-registries = ${regs}`)
  t.throws(() => enforcing('["a.io", "b.io"]').resolve('x'), { message: 'short-name resolution enforced but cannot prompt without a TTY' })
  t.same(enforcing('["a.io"]').resolve('x').candidates.map(String), ['a.io/x:latest'], 'one registry: no ambiguity')
  t.same(conf('short-name-mode = "disabled"\nunqualified-search-registries = ["a.io", "b.io"]').resolve('x').candidates.length, 2)
  t.equal(conf('').shortNameMode, 'permissive', 'the default mode')
})

t.test('loading follows podman precedence', async t => {
  const root = mkdtempSync(join(tmpdir(), 'tspod-regconf-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const home = join(root, 'home')
  const sys = join(root, 'etc/registries.conf')
  const sysDir = join(root, 'etc/registries.conf.d')
  const userConf = join(home, '.config/containers/registries.conf')
  const userDir = join(home, '.config/containers/registries.conf.d')
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
  }
  const load = (env: NodeJS.ProcessEnv = {}) =>
    loadRegistriesConf({ env, home, systemConf: sys, systemConfDir: sysDir, uid: 1001 })

  // Nothing at all: an empty configuration, and podman's message for short names.
  let c = load()
  t.same(c.unqualifiedSearchRegistries, [])
  t.throws(() => c.resolve('x'), { message: /no containers-registries.conf\(5\) was found/ })

  write(sys, 'unqualified-search-registries = ["sys.io"]\n[aliases]\n"a" = "sys.io/a"\n"gone" = "sys.io/gone"\n')
  write(join(sysDir, '10-x.conf'), '[aliases]\n"b" = "sysdir.io/b"\n')
  write(join(sysDir, 'ignored.txt'), 'not toml at all [')
  write(join(userDir, '20-y.conf'), '[aliases]\n"gone" = ""\n"c" = "userdir.io/c"\n')
  c = load()
  t.same(c.unqualifiedSearchRegistries, ['sys.io'])
  t.equal(c.alias('a')?.value.toString(), 'sys.io/a')
  t.equal(c.alias('b')?.origin, join(sysDir, '10-x.conf'))
  t.equal(c.alias('c')?.value.toString(), 'userdir.io/c', 'user drop-ins apply over the system file')
  t.equal(c.alias('gone'), undefined, 'an empty value erases an alias')
  t.same(c.sources, [sys, sysDir, userDir])

  write(join(sysDir, '30-search.conf'), 'unqualified-search-registries = ["drop.io"]\nshort-name-mode = "disabled"\n')
  c = load()
  t.same(c.unqualifiedSearchRegistries, ['drop.io'], 'a drop-in replaces the search list')
  t.equal(c.searchRegistriesOrigin, join(sysDir, '30-search.conf'))
  t.equal(c.shortNameMode, 'disabled')

  // The user's registries.conf replaces the system file and the system drop-ins.
  write(userConf, 'unqualified-search-registries = ["user.io"]\n')
  c = load()
  t.same(c.unqualifiedSearchRegistries, ['user.io'])
  t.equal(c.alias('a'), undefined)
  t.equal(c.alias('b'), undefined)
  t.equal(c.alias('c')?.value.toString(), 'userdir.io/c')

  // $CONTAINERS_REGISTRIES_CONF replaces the main file; drop-ins are still read (as podman 4.3 does).
  const envFile = join(root, 'env.conf')
  write(envFile, 'unqualified-search-registries = ["env.io"]\n')
  rmSync(join(sysDir, '30-search.conf'))
  c = load({ CONTAINERS_REGISTRIES_CONF: envFile })
  t.same(c.unqualifiedSearchRegistries, ['env.io'])
  t.equal(c.alias('b')?.value.toString(), 'sysdir.io/b')
  t.throws(() => load({ CONTAINERS_REGISTRIES_CONF: join(root, 'missing.conf') }), badConf(/missing.conf": no such file or directory/))

  // The machine-written alias file wins over every registries.conf.
  write(join(home, '.cache/containers/short-name-aliases.conf'), '[aliases]\n"c" = "cache.io/c"\n')
  t.equal(load().alias('c')?.value.toString(), 'cache.io/c')
  write(join(root, 'xdg/containers/short-name-aliases.conf'), '[aliases]\n"c" = "xdg.io/c"\n')
  t.equal(load({ XDG_CACHE_HOME: join(root, 'xdg') }).alias('c')?.value.toString(), 'xdg.io/c')

  write(join(userDir, '99-bad.conf'), '[registries.search]\nregistries = ["v1.io"]\n')
  t.throws(() => load(), badConf(/99-bad.conf": registry must be in v2 format/))
})
