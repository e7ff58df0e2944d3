/**
 * A bearer-token server for the distribution token flow, so tests can run a
 * real registry behind token auth:
 *
 *   registry: 401 + `WWW-Authenticate: Bearer realm=…,service=…,scope=…`
 *   client:   GET realm?service=S&scope=repository:NAME:pull,push[&scope=…]
 *             (HTTP Basic credentials optional) → {"token": JWT, …}
 *   client:   retries with `Authorization: Bearer JWT`
 *
 * Also the OAuth2 form (POST realm, grant_type=password|refresh_token) that
 * clients holding an identity token use. Tokens are RS256 JWTs; the registry
 * trusts the certificate written to its `auth.token.rootcertbundle`.
 *
 * Distribution 2.8 accepts both ways of naming the signing key, and the
 * harness tests prove it for each: `kid` = the libtrust key id of the public
 * key in the bundle, or `x5c` = the certificate chain (here: the self-signed
 * certificate itself, found among the roots).
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { makeTempDir, removeDir, run } from './tools.js'

export type TokenSigning = 'kid' | 'x5c'

export interface TokenUser {
  username: string
  password: string
  /** Repository actions this user may be granted: 'pull', 'push', 'delete'. */
  actions: readonly string[]
}

/** One entry of a token's `access` claim. */
export interface TokenAccess {
  type: string
  name: string
  actions: string[]
}

export interface SigningKey {
  privateKey: KeyObject
  /** PEM of the self-signed certificate (what `rootcertbundle` holds). */
  certPem: string
  /** DER of the certificate, standard base64 (the `x5c` header value). */
  certDerBase64: string
  /** libtrust key id of the public key (the `kid` header value). */
  kid: string
}

/** One request the token server answered (tests assert on scopes asked). */
export interface TokenRequest {
  method: 'GET' | 'POST'
  /** Authenticated user name; null when anonymous or refused. */
  user: string | null
  service: string | null
  scopes: string[]
  granted: TokenAccess[]
  status: number
}

export interface TokenServerOptions {
  service: string
  issuer: string
  users: readonly TokenUser[]
  /** Grant `pull` to requests without credentials. */
  anonymousPull: boolean
  signing: TokenSigning
  key: SigningKey
  ttlSeconds: number
}

export interface TokenServer {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string
  /** The realm the registry advertises: `${url}/token`. */
  realm: string
  service: string
  issuer: string
  /** Every request answered so far, oldest first. */
  requests: TokenRequest[]
  /** Sign a token directly (to test expired or over-scoped tokens). */
  mint(subject: string, access: TokenAccess[], options?: { expiresIn?: number; notBefore?: number; audience?: string; issuer?: string; key?: SigningKey; signing?: TokenSigning }): string
  close(): Promise<void>
}

/**
 * libtrust's key id: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits,
 * base32 without padding, in 12 colon-separated groups of 4.
 */
export function libtrustKeyId(key: KeyObject): string {
  const pub = key.type === 'public' ? key : createPublicKey(key)
  const der = pub.export({ type: 'spki', format: 'der' })
  const b32 = base32(createHash('sha256').update(der).digest().subarray(0, 30))
  return b32.match(/.{4}/g)!.join(':')
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`
}

/** A fresh RSA key and self-signed certificate (openssl, ~0.1 s). */
export async function generateSigningKey(): Promise<SigningKey> {
  const dir = await makeTempDir('tokenkey')
  try {
    const keyPath = join(dir, 'key.pem')
    const certPath = join(dir, 'cert.pem')
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '7',
      '-subj', '/CN=tspod test token issuer', '-keyout', keyPath, '-out', certPath,
    ])
    const privateKey = createPrivateKey(await readFile(keyPath))
    const certPem = await readFile(certPath, 'utf8')
    const certDerBase64 = certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
    return { privateKey, certPem, certDerBase64, kid: libtrustKeyId(privateKey) }
  } finally {
    await removeDir(dir)
  }
}

let sharedKey: Promise<SigningKey> | undefined
/** One key per test process: generating is the slow part of a token registry. */
export function sharedSigningKey(): Promise<SigningKey> {
  sharedKey ??= generateSigningKey()
  return sharedKey
}

/** `repository:library/busybox:pull,push` → {type, name, actions}. */
export function parseScope(scope: string): TokenAccess | null {
  const first = scope.indexOf(':')
  const last = scope.lastIndexOf(':')
  if (first <= 0 || last <= first) return null
  const actions = scope.slice(last + 1).split(',').filter(Boolean)
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions }
}

function grant(user: TokenUser | null, anonymousPull: boolean, requested: TokenAccess[]): TokenAccess[] {
  const granted: TokenAccess[] = []
  for (const want of requested) {
    let actions: string[]
    if (want.type === 'registry' && want.name === 'catalog') {
      actions = user ? want.actions : []
    } else if (want.type === 'repository') {
      const allowed = user ? user.actions : anonymousPull ? ['pull'] : []
      const all = ['pull', 'push', 'delete'].every(a => allowed.includes(a))
      actions = want.actions.filter(a => allowed.includes(a) || (a === '*' && all))
    } else {
      actions = []
    }
    if (actions.length > 0) granted.push({ type: want.type, name: want.name, actions })
  }
  return granted
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const requests: TokenRequest[] = []
  const refreshTokens = new Map<string, TokenUser>()
  let url = ''

  const mint: TokenServer['mint'] = (subject, access, o = {}) => {
    const now = Math.floor(Date.now() / 1000)
    const key = o.key ?? options.key
    const signing = o.signing ?? options.signing
    const header = signing === 'kid'
      ? { typ: 'JWT', alg: 'RS256', kid: key.kid }
      : { typ: 'JWT', alg: 'RS256', x5c: [key.certDerBase64] }
    const claims = {
      iss: o.issuer ?? options.issuer,
      sub: subject,
      aud: o.audience ?? options.service,
      exp: now + (o.expiresIn ?? options.ttlSeconds),
      nbf: now + (o.notBefore ?? -10),
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access,
    }
    return signJwt(header, claims, key.privateKey)
  }

  const findUser = (username: string, password: string) =>
    options.users.find(u => u.username === username && u.password === password) ?? null

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reqUrl = new URL(req.url ?? '/', url)
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    if (reqUrl.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) {
      return reply(404, { errors: [{ code: 'NOT_FOUND', message: 'no such endpoint' }] })
    }
    const record: TokenRequest = { method: req.method, user: null, service: null, scopes: [], granted: [], status: 0 }
    requests.push(record)
    const refuse = (status: number, code: string, message: string) => {
      record.status = status
      const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Basic realm="tspod-token-server"' } : {}
      reply(status, { errors: [{ code, message }] }, headers)
    }

    let user: TokenUser | null = null
    let refreshToken: string | undefined
    if (req.method === 'GET') {
      record.service = reqUrl.searchParams.get('service')
      record.scopes = reqUrl.searchParams.getAll('scope').flatMap(s => s.split(' ')).filter(Boolean)
      const authz = req.headers.authorization
      if (authz) {
        const m = /^Basic\s+(.+)$/i.exec(authz)
        const decoded = m ? Buffer.from(m[1]!, 'base64').toString() : ''
        const colon = decoded.indexOf(':')
        user = colon > 0 ? findUser(decoded.slice(0, colon), decoded.slice(colon + 1)) : null
        if (!user) return refuse(401, 'UNAUTHORIZED', 'invalid username or password')
      }
      if (user && reqUrl.searchParams.get('offline_token') === 'true') refreshToken = randomBytes(16).toString('hex')
    } else {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const form = new URLSearchParams(Buffer.concat(chunks).toString())
      record.service = form.get('service')
      record.scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
      const grantType = form.get('grant_type')
      if (grantType === 'password') {
        user = findUser(form.get('username') ?? '', form.get('password') ?? '')
        if (!user) return refuse(401, 'UNAUTHORIZED', 'invalid username or password')
        if (form.get('access_type') === 'offline') refreshToken = randomBytes(16).toString('hex')
      } else if (grantType === 'refresh_token') {
        user = refreshTokens.get(form.get('refresh_token') ?? '') ?? null
        if (!user) return refuse(401, 'UNAUTHORIZED', 'unknown refresh token')
      } else {
        return refuse(400, 'UNSUPPORTED', `unsupported grant_type ${JSON.stringify(grantType)}`)
      }
    }
    if (record.service !== options.service) {
      return refuse(400, 'INVALID_SERVICE', `unknown service ${JSON.stringify(record.service)}`)
    }
    record.user = user?.username ?? null
    const requested = record.scopes.map(parseScope).filter((s): s is TokenAccess => s !== null)
    record.granted = grant(user, options.anonymousPull, requested)
    const token = mint(user?.username ?? '', record.granted)
    if (refreshToken && user) refreshTokens.set(refreshToken, user)
    record.status = 200
    reply(200, {
      token,
      access_token: token,
      expires_in: options.ttlSeconds,
      issued_at: new Date().toISOString(),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(err => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(err))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    realm: `${url}/token`,
    service: options.service,
    issuer: options.issuer,
    requests,
    mint,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
