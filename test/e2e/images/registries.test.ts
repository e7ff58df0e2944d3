// Where a pull goes and how it gets in: registries.conf (short names through
// unqualified-search-registries and aliases, blocked registries, prefix
// rewriting), plain HTTP for loopback registries and --tls-verify, and
// credentials for basic and bearer-token registries from the auth files and
// from --creds.
import t, { type Test } from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pushFixture } from '../../harness/fixtures.js'
import { withFakeRegistry } from '../../harness/fake-registry.js'
import { withRegistry, type RegistryHandle } from '../../harness/registry.js'
import { makeStoreEnv, type StoreEnv } from '../../harness/tspod.js'
import { assertOneLineError, imagesState, ok, tspod } from '../../harness/store-checks.js'

const plain = await withRegistry(t)
const busybox = await pushFixture(plain, 'busybox')
const id = busybox.built.images[0]!.configDigest.slice(7)

function writeConf(env: StoreEnv, text: string): void {
  writeFileSync(env.registriesConf, text)
}

const basicAuth = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64')

t.test('short names: unqualified-search-registries, in order', async t => {
  // (Not "busybox": Debian's /etc/containers/registries.conf.d/shortnames.conf aliases that to docker.io.)
  await pushFixture(plain, 'busybox', { repo: 'tspodbox' })
  // The first search registry has no busybox (404): podman goes on to the next.
  const empty = await withFakeRegistry(t, { manifests: {} })
  const env = await makeStoreEnv(t)
  writeConf(
    env,
    [
      `unqualified-search-registries = ["${empty.host}", "${plain.host}"]`,
      'short-name-mode = "permissive"',
      `[[registry]]\nlocation = "${empty.host}"\ninsecure = true`,
      '',
    ].join('\n'),
  )
  const r = await ok(t, env, ['pull', 'tspodbox'])
  t.equal(r.stdout, `${id}\n`)
  t.match(r.stderr, `Resolving "tspodbox" using unqualified-search registries (${env.registriesConf})`)
  t.match(r.stderr, `Trying to pull ${empty.host}/tspodbox:latest...`, 'the first registry is tried first')
  t.match(r.stderr, `Trying to pull ${plain.host}/tspodbox:latest...`, 'then the second')
  t.ok(empty.requests.some(q => q.path === '/v2/tspodbox/manifests/latest'), 'the first registry was asked')
  t.equal((await ok(t, env, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout, `${plain.host}/tspodbox:latest\n`, 'named by the registry that had it')
  t.equal((await ok(t, env, ['image', 'inspect', '--format', '{{.Id}}', 'tspodbox'])).stdout, `${id}\n`, 'the short name finds it locally')
})

t.test('short names: aliases; no search registry and no alias is an error', async t => {
  const env = await makeStoreEnv(t)
  writeConf(env, ['unqualified-search-registries = []', '[aliases]', `"mybox" = "${plain.host}/busybox"`, ''].join('\n'))
  const r = await ok(t, env, ['pull', 'mybox'])
  t.equal(r.stdout, `${id}\n`)
  t.match(r.stderr, `Resolved "mybox" as an alias (${env.registriesConf})`)
  t.equal((await ok(t, env, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout, `${plain.host}/busybox:latest\n`)

  const before = await imagesState(env)
  const miss = await tspod(env, ['pull', 'nosuchalias'])
  assertOneLineError(t, miss, /short-name "nosuchalias" did not resolve to an alias and no unqualified-search registries are defined/)
  t.same(await imagesState(env), before, 'images unchanged')
})

t.test('registries.conf: blocked registries are refused, prefixes are rewritten', async t => {
  const env = await makeStoreEnv(t)
  writeConf(env, `[[registry]]\nlocation = "${plain.host}"\nblocked = true\n`)
  const r = await tspod(env, ['pull', busybox.reference])
  assertOneLineError(t, r, /blocked/)
  t.same((await imagesState(env)).imagesJson, null, 'nothing stored')

  writeConf(env, `[[registry]]\nprefix = "registry.example.test/mirrored"\nlocation = "${plain.host}"\ninsecure = true\n`)
  const p = await ok(t, env, ['pull', 'registry.example.test/mirrored/busybox:latest'])
  t.equal(p.stdout, `${id}\n`, 'pulled from the location')
  t.equal(
    (await ok(t, env, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout,
    'registry.example.test/mirrored/busybox:latest\n',
    'named as asked (the logical name), not by the location',
  )
})

t.test('TLS: loopback registries speak plain HTTP; --tls-verify', async t => {
  // No registries.conf entry at all: the loopback rule alone picks HTTP.
  const env = await makeStoreEnv(t)
  writeConf(env, 'unqualified-search-registries = []\n')
  t.equal((await ok(t, env, ['pull', '-q', busybox.reference])).stdout, `${id}\n`, 'loopback: plain HTTP by default')
  t.equal((await ok(t, env, ['pull', '-q', '--tls-verify=false', busybox.reference])).stdout, `${id}\n`, '--tls-verify=false accepted')

  const before = await imagesState(env)
  const strict = await tspod(env, ['pull', '-q', '--tls-verify=true', `${plain.host}/busybox:other`])
  assertOneLineError(t, strict, /server gave HTTP response to HTTPS client/, '--tls-verify=true on a plain-HTTP registry')
  const bogus = await tspod(env, ['pull', '--tls-verify=maybe', busybox.reference])
  assertOneLineError(t, bogus, /invalid argument "maybe" for "--tls-verify"/)
  t.same(await imagesState(env), before, 'images unchanged')
})

async function authCases(t: Test, reg: RegistryHandle, wrongPassword: RegExp, noCredentials: RegExp): Promise<void> {
  const img = await pushFixture(reg, 'busybox')
  const creds = reg.credentials!

  await t.test('credentials from REGISTRY_AUTH_FILE', async t => {
    const env = await makeStoreEnv(t, { registries: [reg], login: true })
    t.equal((await ok(t, env, ['pull', '-q', img.reference])).stdout, `${id}\n`)
  })

  await t.test('credentials from $XDG_RUNTIME_DIR/containers/auth.json and --authfile', async t => {
    const env = await makeStoreEnv(t, { registries: [reg] })
    mkdirSync(join(env.runtimeDir, 'containers'), { recursive: true })
    writeFileSync(join(env.runtimeDir, 'containers/auth.json'), JSON.stringify({ auths: { [reg.host]: { auth: basicAuth(creds.username, creds.password) } } }))
    t.equal((await ok(t, env, ['pull', '-q', img.reference], { extraEnv: { REGISTRY_AUTH_FILE: '' } })).stdout, `${id}\n`, 'default auth file')
    const other = join(env.base, 'other-auth.json')
    writeFileSync(other, JSON.stringify({ auths: { [reg.host]: { auth: basicAuth(creds.username, creds.password) } } }))
    await ok(t, env, ['rmi', img.reference])
    t.equal((await ok(t, env, ['pull', '-q', '--authfile', other, img.reference])).stdout, `${id}\n`, '--authfile')
    const missing = await tspod(env, ['pull', '-q', '--authfile', join(env.base, 'no-such-auth.json'), img.reference])
    assertOneLineError(t, missing, /checking authfile: stat .*no-such-auth\.json: no such file or directory/, '--authfile naming no file')
  })

  await t.test('credentials from --creds; the wrong password is a clear 401', async t => {
    const env = await makeStoreEnv(t, { registries: [reg] })
    const before = await imagesState(env)
    const none = await tspod(env, ['pull', '-q', img.reference])
    assertOneLineError(t, none, noCredentials, 'no credentials')
    const wrong = await tspod(env, ['pull', '-q', '--creds', `${creds.username}:not-the-password`, img.reference])
    assertOneLineError(t, wrong, wrongPassword, 'wrong password')
    t.notMatch(wrong.stderr, 'not-the-password', 'the password is not echoed')
    t.same(await imagesState(env), before, 'images unchanged')
    t.equal((await ok(t, env, ['pull', '-q', '--creds', `${creds.username}:${creds.password}`, img.reference])).stdout, `${id}\n`)
  })
}

t.test('basic auth (htpasswd)', async t => {
  const reg = await withRegistry(t, { auth: 'basic' })
  await authCases(t, reg, /401|unauthorized|authentication required/i, /401|unauthorized|authentication required/i)
})

t.test('bearer token auth', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  await authCases(t, reg, /invalid username\/password/, /unauthorized|authentication required|401/i)
  const requests = reg.token!.requests
  t.ok(requests.some(r => r.user === reg.credentials!.username && r.scopes.includes('repository:busybox:pull')), 'tokens were asked for with the pull scope, as the user')
})

t.test('403 from the registry is a clear error', async t => {
  const denied = await startDenyingRegistry(t)
  const env = await makeStoreEnv(t, { registries: [denied] })
  const before = await imagesState(env)
  const r = await tspod(env, ['pull', `${denied}/busybox:latest`])
  assertOneLineError(t, r, /denied: requested access to the resource is denied/)
  t.same(await imagesState(env), before)
})

/** A registry that answers /v2/ and then 403 DENIED for everything else (what an ACL in front of a registry does). */
async function startDenyingRegistry(t: Test): Promise<string> {
  const { createServer } = await import('node:http')
  const server = createServer((req, res) => {
    const json = { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' }
    if (req.url === '/v2/') {
      res.writeHead(200, json)
      return res.end('{}')
    }
    res.writeHead(403, json)
    res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  t.teardown(() => new Promise<void>(resolve => server.close(() => resolve())))
  const address = server.address() as { port: number }
  return `127.0.0.1:${address.port}`
}
