import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { setLogSink } from '../util/log.js'
import { authFilePaths, authFromFiles, fixedCredentials, parseCredentialsFlag } from './auth-file.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const logLines: string[] = []
setLogSink(line => logLines.push(line))

const root = mkdtempSync(join(tmpdir(), 'tspod-auth-'))
t.teardown(() => rmSync(root, { recursive: true, force: true }))
const home = join(root, 'home')
const run = join(root, 'run')
mkdirSync(run, { recursive: true })
const write = (path: string, value: unknown) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value))
}

t.test('file order follows podman', async t => {
  t.same(
    authFilePaths({ env: { XDG_RUNTIME_DIR: run }, home }).map(p => p.path),
    [join(run, 'containers/auth.json'), join(home, '.config/containers/auth.json'), join(home, '.docker/config.json'), join(home, '.dockercfg')],
  )
  t.same(
    authFilePaths({ env: { XDG_CONFIG_HOME: join(root, 'cfg'), DOCKER_CONFIG: join(root, 'dk') }, home, uid: 1234 }).map(p => p.path),
    ['/run/containers/1234/auth.json', join(root, 'cfg/containers/auth.json'), join(root, 'dk/config.json'), join(home, '.dockercfg')],
  )
  t.same(authFilePaths({ env: { REGISTRY_AUTH_FILE: '/a.json', XDG_RUNTIME_DIR: run }, home }), [{ path: '/a.json', legacy: false }], 'only the named file')
  logLines.length = 0
  t.same(authFilePaths({ env: { XDG_RUNTIME_DIR: join(root, 'missing') }, home }).length, 3, 'a missing runtime dir is skipped')
  t.match(logLines.join('\n'), /directory set by \$XDG_RUNTIME_DIR does not exist/)
})

t.test('lookup: namespaces, hosts, URLs, precedence', async t => {
  write(join(run, 'containers/auth.json'), {
    auths: {
      'quay.io/team/app': { auth: b64('app:apppw') },
      'quay.io/team': { auth: b64('team:teampw') },
      'quay.io': { auth: b64('host:hostpw') },
      'localhost:5000': { auth: b64('loc:a:b:c') },
    },
  })
  write(join(home, '.config/containers/auth.json'), { auths: { 'quay.io': { auth: b64('second:x') }, 'ghcr.io': { auth: b64('gh:pw') } } })
  write(join(home, '.docker/config.json'), { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:hubpw') }, 'http://old.io/v1/': { auth: b64('old:pw') } } })
  const get = authFromFiles({ env: { XDG_RUNTIME_DIR: run }, home })
  t.same(get('quay.io', 'team/app'), { username: 'app', password: 'apppw' }, 'repository key')
  t.same(get('quay.io', 'team/other'), { username: 'team', password: 'teampw' }, 'namespace key')
  t.same(get('quay.io', 'solo'), { username: 'host', password: 'hostpw' }, 'host key; the first file wins')
  t.same(get('localhost:5000', 'x'), { username: 'loc', password: 'a:b:c' }, 'a password may hold colons')
  t.same(get('ghcr.io', 'x/y'), { username: 'gh', password: 'pw' }, 'second file')
  t.same(get('docker.io', 'library/busybox'), { username: 'hub', password: 'hubpw' }, 'docker.io matches the index URL key')
  t.same(get('old.io', 'x'), { username: 'old', password: 'pw' }, 'URL keys are reduced to their host')
  t.equal(get('nothing.io', 'x'), undefined)
})

t.test('REGISTRY_AUTH_FILE replaces the defaults', async t => {
  const file = join(root, 'only.json')
  write(file, { auths: { 'ghcr.io': { auth: b64('only:pw') } } })
  const get = authFromFiles({ env: { REGISTRY_AUTH_FILE: file, XDG_RUNTIME_DIR: run }, home })
  t.same(get('ghcr.io', 'a'), { username: 'only', password: 'pw' })
  t.equal(get('quay.io', 'team/app'), undefined, 'the default files are not read')
})

t.test('legacy ~/.dockercfg and unusable entries', async t => {
  const h = join(root, 'home2')
  write(join(h, '.dockercfg'), { 'https://legacy.io/v1/': { auth: b64('leg:pw') } })
  write(join(h, '.docker/config.json'), {
    auths: { 'helper.io': {}, 'bad.io': { auth: b64('nocolon') }, 'tok.io': { identitytoken: 'secret-token' }, 'legacy.io': {} },
    credHelpers: { 'ecr.io': 'ecr-login' },
    credsStore: 'desktop',
  })
  const get = authFromFiles({ env: { XDG_RUNTIME_DIR: run }, home: h })
  logLines.length = 0
  t.equal(get('helper.io', 'x'), undefined, 'a credsStore marker entry')
  t.equal(get('bad.io', 'x'), undefined, 'no colon')
  t.equal(get('tok.io', 'x'), undefined, 'identity tokens are not supported')
  t.equal(get('ecr.io', 'x'), undefined, 'credHelpers are not run')
  t.same(get('legacy.io', 'x'), { username: 'leg', password: 'pw' }, 'an empty entry falls through to the next file')
  const logged = logLines.join('\n')
  t.match(logged, /does not run credential helpers/)
  t.match(logged, /missing semicolon/)
  t.match(logged, /identity token/)
  t.notMatch(logged, /secret-token|nocolon|bm9jb2xvbg/, 'no secret in the log')
})

t.test('malformed files fail without quoting their content', async t => {
  const file = join(root, 'bad.json')
  write(file, '{"auths": {"x.io": {"auth": "c2VjcmV0OnB3"}}')
  const get = authFromFiles({ env: { REGISTRY_AUTH_FILE: file }, home })
  t.throws(() => get('x.io', 'a'), { code: 'invalid-argument', message: `reading JSON file "${file}": invalid JSON` })
  write(file, '[1]')
  t.throws(() => authFromFiles({ env: { REGISTRY_AUTH_FILE: file }, home })('x.io', 'a'), { message: /not a JSON object/ })
  mkdirSync(join(root, 'adir.json'))
  t.throws(() => authFromFiles({ env: { REGISTRY_AUTH_FILE: join(root, 'adir.json') }, home })('x.io', 'a'), { message: /EISDIR/ })
  t.equal(authFromFiles({ env: { REGISTRY_AUTH_FILE: join(root, 'none.json') }, home })('x.io', 'a'), undefined, 'a missing file is no credentials')
})

t.test('--creds', async t => {
  t.same(parseCredentialsFlag('u:p:q'), { username: 'u', password: 'p:q' })
  t.same(fixedCredentials({ username: 'a', password: 'b' })('any.io', 'x'), { username: 'a', password: 'b' })
  t.throws(() => parseCredentialsFlag(':p'), { code: 'invalid-argument' })
  t.throws(() => parseCredentialsFlag('u'), { code: 'invalid-argument', message: /does not prompt/ })
})
