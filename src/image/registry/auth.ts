/**
 * Registry authorisation (distribution's token spec): learn the challenge from
 * `/v2/` or from a 401, then send either Basic credentials or a Bearer token
 * fetched from the challenge's realm (anonymously, or with Basic credentials),
 * cached per scope until it expires. OAuth2 refresh tokens (POST to the realm
 * with an identity token) are not supported.
 */
import { TspodError } from '../../engine/errors.js'
import type { Credentials } from '../auth-file.js'
import { log } from '../../util/log.js'
import { type Challenge, parseChallenges } from './challenge.js'
import { describeErrorBody } from './errors.js'
import { httpRequest, NetworkError, readBody, type HttpResponse } from './transport.js'

/** Tokens without `expires_in` live 60 s (the token spec's default and minimum). */
const DEFAULT_TOKEN_SECONDS = 60
/** Renew a little early so a token does not expire in flight. */
const EXPIRY_SLACK_MS = 5_000

interface CachedToken {
  token: string
  expiresAt: number
}

export interface AuthorizerOptions {
  /** Credentials for a repository of this registry (namespaced auth-file keys need the repository). */
  credentials: (repository: string) => Credentials | undefined
  /** TLS verification for the token realm (the registry's own setting, as containers/image does). */
  tlsVerify: () => boolean
  timeoutMs?: number
  signal?: AbortSignal
}

const pullScope = (repository: string) => `repository:${repository}:pull`

export class Authorizer {
  private challenges: Challenge[] = []
  private readonly tokens = new Map<string, Promise<CachedToken>>()
  /** Scopes a registry asked for beyond our own (insufficient_scope challenges). */
  private readonly extraScopes = new Map<string, string[]>()

  constructor(private readonly opts: AuthorizerOptions) {}

  /** Record the challenges of a `/v2/` ping. */
  setChallenges(challenges: Challenge[]): void {
    this.challenges = challenges
  }

  private scopes(repository: string): string[] {
    return [pullScope(repository), ...(this.extraScopes.get(repository) ?? [])]
  }

  /** The Authorization header for a request to `repository`, or undefined. */
  async header(repository: string): Promise<string | undefined> {
    const creds = this.opts.credentials(repository)
    const bearer = this.challenges.find(c => c.scheme === 'bearer')
    if (bearer) return `Bearer ${await this.token(bearer, this.scopes(repository), creds)}`
    if (this.challenges.some(c => c.scheme === 'basic') && creds) {
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`
    }
    return undefined
  }

  /**
   * Learn from a 401 answer to a request that carried `sent`: true when asking
   * again with new authorisation may succeed (a first or changed challenge, an
   * expired token, a wider scope).
   */
  onUnauthorized(res: HttpResponse, repository: string, sent: string | undefined): boolean {
    const challenges = parseChallenges(res.headersDistinct['www-authenticate'])
    if (challenges.length === 0) return false
    this.challenges = challenges
    const bearer = challenges.find(c => c.scheme === 'bearer')
    if (bearer) {
      const wanted = (bearer.params.scope ?? '').split(' ').filter(s => s && !this.scopes(repository).includes(s))
      if (wanted.length > 0) this.extraScopes.set(repository, [...(this.extraScopes.get(repository) ?? []), ...wanted])
      const hadBearer = sent?.startsWith('Bearer ') ?? false
      if (hadBearer) this.forget(repository)
      return !hadBearer || wanted.length > 0 || bearer.params.error === 'invalid_token'
    }
    return challenges.some(c => c.scheme === 'basic') && sent === undefined && this.opts.credentials(repository) !== undefined
  }

  private forget(repository: string): void {
    for (const key of this.tokens.keys()) if (key.includes(pullScope(repository))) this.tokens.delete(key)
  }

  private async token(challenge: Challenge, scopes: string[], creds: Credentials | undefined): Promise<string> {
    const realm = challenge.params.realm
    if (!realm) throw new TspodError('unauthorized', 'unable to retrieve auth token: the registry sent a Bearer challenge without a realm')
    const key = `${realm}\n${challenge.params.service ?? ''}\n${scopes.join(' ')}\n${creds?.username ?? ''}`
    const cached = this.tokens.get(key)
    if (cached) {
      const t = await cached.catch(() => undefined)
      if (t && t.expiresAt > Date.now()) return t.token
    }
    // One request per scope even when many blob downloads ask at once.
    const pending = this.fetchToken(realm, challenge.params.service, scopes, creds)
    this.tokens.set(key, pending)
    pending.catch(() => this.tokens.delete(key))
    return (await pending).token
  }

  private async fetchToken(realm: string, service: string | undefined, scopes: string[], creds: Credentials | undefined): Promise<CachedToken> {
    let url: URL
    try {
      url = new URL(realm)
    } catch {
      throw new TspodError('unauthorized', `unable to retrieve auth token: invalid realm "${realm}"`)
    }
    if (service) url.searchParams.set('service', service)
    for (const s of scopes) url.searchParams.append('scope', s)
    if (creds) url.searchParams.set('account', creds.username)
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (creds) headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`
    log.debug(`Getting a token from ${url.origin}${url.pathname} for ${scopes.join(' ')}`)

    let res: HttpResponse
    try {
      res = await httpRequest({ url, headers, tlsVerify: this.opts.tlsVerify(), timeoutMs: this.opts.timeoutMs, signal: this.opts.signal })
    } catch (err) {
      if (err instanceof NetworkError) {
        throw new TspodError('unavailable', `unable to retrieve auth token: Get "${url.origin}${url.pathname}": ${err.message}`, { cause: err })
      }
      throw err
    }
    let body: Buffer
    try {
      body = await readBody(res, 1024 * 1024)
    } catch (err) {
      res.body.destroy()
      throw new TspodError('unavailable', `unable to retrieve auth token: ${(err as Error).message}`, { cause: err })
    }
    if (res.status === 401 || res.status === 403) {
      const why = describeErrorBody(res.status, body)
      throw new TspodError('unauthorized', creds ? `unable to retrieve auth token: invalid username/password: ${why}` : `unable to retrieve auth token: ${why}`)
    }
    if (res.status !== 200) {
      throw new TspodError(res.status >= 500 ? 'unavailable' : 'unauthorized', `unable to retrieve auth token: ${describeErrorBody(res.status, body)}`)
    }
    let doc: { token?: unknown; access_token?: unknown; expires_in?: unknown }
    try {
      doc = JSON.parse(body.toString('utf8'))
    } catch {
      throw new TspodError('unauthorized', 'unable to retrieve auth token: the token server sent malformed JSON')
    }
    const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : ''
    if (!token) throw new TspodError('unauthorized', 'unable to retrieve auth token: the token server sent no token')
    const seconds = typeof doc.expires_in === 'number' && doc.expires_in >= DEFAULT_TOKEN_SECONDS ? doc.expires_in : DEFAULT_TOKEN_SECONDS
    // Counted from receipt, not from `issued_at`: the token server's clock may differ from ours.
    return { token, expiresAt: Date.now() + seconds * 1000 - EXPIRY_SLACK_MS }
  }
}
