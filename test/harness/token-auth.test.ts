import t from 'tap'
import { execa } from 'execa'
import { createPublicKey, verify } from 'node:crypto'
import { TOKEN_ISSUER, TOKEN_SERVICE, withRegistry, type RegistryHandle } from './registry.js'
import { generateSigningKey, libtrustKeyId, parseScope, sharedSigningKey } from './token-server.js'

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`

/** The bearer challenge's parameters, e.g. {realm, service, scope, error}. */
function challenge(header: string | null): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of (header ?? '').replace(/^Bearer\s+/, '').matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!
  return out
}

async function getToken(reg: RegistryHandle, scopes: string[], creds?: { username: string; password: string }) {
  const url = new URL(reg.token!.realm)
  url.searchParams.set('service', TOKEN_SERVICE)
  for (const s of scopes) url.searchParams.append('scope', s)
  const res = await fetch(url, { headers: creds ? { authorization: basic(creds.username, creds.password) } : {} })
  return { status: res.status, body: (await res.json()) as { token?: string; access_token?: string; refresh_token?: string } }
}

function claims(jwt: string): { sub: string; aud: string; iss: string; access: { type: string; name: string; actions: string[] }[] } {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())
}

const manifestUrl = (reg: RegistryHandle, repo: string) => `${reg.url}/v2/${repo}/manifests/latest`

t.test('libtrust key ids have the libtrust shape and sign verifiably', async t => {
  const key = await sharedSigningKey()
  t.match(key.kid, /^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/)
  t.equal(libtrustKeyId(createPublicKey(key.privateKey)), key.kid, 'same id from the public half')
  t.same(parseScope('repository:library/busybox:pull,push'), { type: 'repository', name: 'library/busybox', actions: ['pull', 'push'] })
  t.same(parseScope('registry:catalog:*'), { type: 'registry', name: 'catalog', actions: ['*'] })
  t.equal(parseScope('nonsense'), null)
})

t.test('token auth: the registry challenges with the realm, service and scope', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const res = await fetch(`${reg.url}/v2/`)
  t.equal(res.status, 401)
  const c = challenge(res.headers.get('www-authenticate'))
  t.equal(c.realm, reg.token!.realm)
  t.equal(c.service, TOKEN_SERVICE)
  const m = await fetch(manifestUrl(reg, 'some/repo'))
  t.equal(m.status, 401)
  t.equal(challenge(m.headers.get('www-authenticate')).scope, 'repository:some/repo:pull')
})

for (const signing of ['kid', 'x5c'] as const) {
  t.test(`token auth (${signing} header): valid users get tokens the registry accepts`, async t => {
    const reg = await withRegistry(t, { auth: 'token', tokenSigning: signing })
    const { status, body } = await getToken(reg, ['repository:demo/app:pull,push'], reg.credentials)
    t.equal(status, 200)
    t.ok(body.token)
    t.equal(body.access_token, body.token)
    const header = JSON.parse(Buffer.from(body.token!.split('.')[0]!, 'base64url').toString())
    t.equal(header.alg, 'RS256')
    t.ok(signing === 'kid' ? header.kid : header.x5c, `header carries ${signing}`)
    const cl = claims(body.token!)
    t.equal(cl.iss, TOKEN_ISSUER)
    t.equal(cl.aud, TOKEN_SERVICE)
    t.equal(cl.sub, 'tspod')
    t.same(cl.access, [{ type: 'repository', name: 'demo/app', actions: ['pull', 'push'] }])
    const [h, p, s] = body.token!.split('.')
    const key = await sharedSigningKey()
    t.ok(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(key.privateKey), Buffer.from(s!, 'base64url')), 'RS256 signature')

    const auth = { authorization: `Bearer ${body.token}` }
    t.equal((await fetch(`${reg.url}/v2/`, { headers: auth })).status, 200, '/v2/ accepted')
    // Authorized but absent: 404, not 401.
    const m = await fetch(manifestUrl(reg, 'demo/app'), { headers: auth })
    t.equal(m.status, 404)
    const upload = await fetch(`${reg.url}/v2/demo/app/blobs/uploads/`, { method: 'POST', headers: auth })
    t.equal(upload.status, 202, 'push access granted')
    // Scope is per repository.
    t.equal((await fetch(manifestUrl(reg, 'other/repo'), { headers: auth })).status, 401)

    // The same flow through curl.
    const tok = await execa('curl', ['-sf', '-u', 'tspod:tspod-secret', `${reg.token!.realm}?service=${TOKEN_SERVICE}&scope=repository:demo/app:pull`])
    const token = (JSON.parse(tok.stdout) as { token: string }).token
    const curl = await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Authorization: Bearer ${token}`, manifestUrl(reg, 'demo/app')])
    t.equal(curl.stdout, '404')
  })
}

t.test('token auth: bad credentials are refused by the token server', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const wrong = await getToken(reg, ['repository:demo/app:pull'], { username: 'tspod', password: 'wrong' })
  t.equal(wrong.status, 401)
  t.notOk(wrong.body.token)
  const unknown = await getToken(reg, ['repository:demo/app:pull'], { username: 'nobody', password: 'x' })
  t.equal(unknown.status, 401)
  t.same(reg.token!.requests.map(r => r.status), [401, 401])
  t.same(reg.token!.requests[0]!.scopes, ['repository:demo/app:pull'])
  const wrongService = await fetch(`${reg.token!.realm}?service=elsewhere&scope=repository:x:pull`, {
    headers: { authorization: basic('tspod', 'tspod-secret') },
  })
  t.equal(wrongService.status, 400)
})

t.test('token auth: anonymous requests get no access unless anonymousPull', async t => {
  const closed = await withRegistry(t, { auth: 'token' })
  const anon = await getToken(closed, ['repository:demo/app:pull'])
  t.equal(anon.status, 200, 'anonymous token issued')
  t.same(claims(anon.body.token!).access, [], 'with no access')
  const refused = await fetch(manifestUrl(closed, 'demo/app'), { headers: { authorization: `Bearer ${anon.body.token}` } })
  t.equal(refused.status, 401)
  t.equal(challenge(refused.headers.get('www-authenticate')).error, 'insufficient_scope')

  const open = await withRegistry(t, { auth: 'token', anonymousPull: true })
  const pull = await getToken(open, ['repository:demo/app:pull,push'])
  t.same(claims(pull.body.token!).access, [{ type: 'repository', name: 'demo/app', actions: ['pull'] }], 'pull only')
  const headers = { authorization: `Bearer ${pull.body.token}` }
  t.equal((await fetch(manifestUrl(open, 'demo/app'), { headers })).status, 404, 'anonymous pull allowed')
  t.equal((await fetch(`${open.url}/v2/demo/app/blobs/uploads/`, { method: 'POST', headers })).status, 401, 'anonymous push refused')
  t.equal(open.token!.requests.at(-1)!.user, null)
})

t.test('token auth: a read-only user cannot push', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const reader = reg.users.find(u => u.username === 'reader')!
  const { body } = await getToken(reg, ['repository:demo/app:pull,push'], reader)
  t.same(claims(body.token!).access, [{ type: 'repository', name: 'demo/app', actions: ['pull'] }])
  const headers = { authorization: `Bearer ${body.token}` }
  t.equal((await fetch(`${reg.url}/v2/demo/app/blobs/uploads/`, { method: 'POST', headers })).status, 401)
  t.equal((await fetch(manifestUrl(reg, 'demo/app'), { headers })).status, 404)
})

t.test('token auth: the registry really verifies tokens', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const access = [{ type: 'repository', name: 'demo/app', actions: ['pull'] }]
  const status = async (token: string) => (await fetch(manifestUrl(reg, 'demo/app'), { headers: { authorization: `Bearer ${token}` } })).status
  t.equal(await status(reg.token!.mint('tspod', access)), 404, 'a good token works')
  const stranger = await generateSigningKey()
  t.equal(await status(reg.token!.mint('tspod', access, { key: stranger })), 401, 'untrusted kid refused')
  t.equal(await status(reg.token!.mint('tspod', access, { key: stranger, signing: 'x5c' })), 401, 'untrusted certificate refused')
  // distribution allows 60 s of clock skew on exp.
  t.equal(await status(reg.token!.mint('tspod', access, { expiresIn: -120 })), 401, 'expired token refused')
  t.equal(await status(reg.token!.mint('tspod', access, { audience: 'other-service' })), 401, 'wrong audience refused')
  t.equal(await status(reg.token!.mint('tspod', access, { issuer: 'someone-else' })), 401, 'wrong issuer refused')
  const good = reg.token!.mint('tspod', access)
  const tampered = good.split('.').map((part, i) => (i === 1 ? Buffer.from(JSON.stringify({ ...claims(good), access: [{ ...access[0], name: 'other' }] })).toString('base64url') : part)).join('.')
  t.equal((await fetch(manifestUrl(reg, 'other'), { headers: { authorization: `Bearer ${tampered}` } })).status, 401, 'tampered claims refused')
})

t.test('token auth: OAuth2 password and refresh-token grants (POST)', async t => {
  const reg = await withRegistry(t, { auth: 'token' })
  const post = (form: Record<string, string>) =>
    fetch(reg.token!.realm, { method: 'POST', body: new URLSearchParams(form) }).then(async r => ({ status: r.status, body: (await r.json()) as { access_token?: string; refresh_token?: string } }))
  const first = await post({ grant_type: 'password', username: 'tspod', password: 'tspod-secret', service: TOKEN_SERVICE, scope: 'repository:demo/app:pull', client_id: 'tspod', access_type: 'offline' })
  t.equal(first.status, 200)
  t.ok(first.body.refresh_token)
  t.equal((await fetch(manifestUrl(reg, 'demo/app'), { headers: { authorization: `Bearer ${first.body.access_token}` } })).status, 404)
  const again = await post({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token!, service: TOKEN_SERVICE, scope: 'repository:demo/app:pull', client_id: 'tspod' })
  t.equal(again.status, 200)
  t.equal(claims(again.body.access_token!).sub, 'tspod')
  t.equal((await post({ grant_type: 'password', username: 'tspod', password: 'bad', service: TOKEN_SERVICE, scope: '' })).status, 401)
  t.equal((await post({ grant_type: 'refresh_token', refresh_token: 'bogus', service: TOKEN_SERVICE })).status, 401)
})
