/**
 * A client for one registry (OCI distribution spec, pull side): ping `/v2/`
 * to choose the scheme and learn the auth challenge, then manifests and blobs
 * of any repository on it. Errors carry podman's wording without the
 * "initializing source docker://REF:" prefix, which the caller adds.
 *
 * Schemes: `tlsVerify: true` means HTTPS with verification only. `false`, or
 * `insecure = true` in registries.conf, means HTTPS without verification, then
 * plain HTTP (podman's order). Loopback registries (localhost, 127.0.0.0/8,
 * ::1) speak plain HTTP first, then HTTPS without verification, as Docker
 * treats them as insecure. Anything else: HTTPS with verification.
 */
import { createHash } from 'node:crypto'
import { TspodError } from '../../engine/errors.js'
import { log } from '../../util/log.js'
import type { CredentialSource } from '../auth-file.js'
import { digestAlgorithm, isDigest, type Digest } from '../digest.js'
import { DigestMismatchError, type BlobInfo, type ContentWriter } from '../store/content.js'
import { Authorizer } from './auth.js'
import { parseChallenges } from './challenge.js'
import { responseError } from './errors.js'
import { type Manifest, parseManifest } from './manifest.js'
import { MANIFEST_ACCEPT } from './media-types.js'
import { BodyTooLargeError, discard, httpRequest, isLoopbackHost, NetworkError, readBody, type HttpResponse } from './transport.js'

/** containers/image refuses manifests above 4 MiB; so do we. */
export const MANIFEST_SIZE_LIMIT = 4 * 1024 * 1024
const MAX_REDIRECTS = 10

export interface RegistryClientOptions {
  /** undefined: the rules above; true: HTTPS with verification only; false: HTTPS unverified, then HTTP. */
  tlsVerify?: boolean
  /** registries.conf `insecure = true` for this registry. */
  insecure?: boolean
  auth?: CredentialSource
  timeoutMs?: number
  signal?: AbortSignal
}

export interface FetchedManifest {
  /** Computed from the bytes (never taken from the Docker-Content-Digest header). */
  readonly digest: Digest
  readonly mediaType: string
  readonly bytes: Buffer
  readonly manifest: Manifest
}

export interface BlobFetchOptions {
  /** Called with each chunk's length as it is written. */
  onBytes?: (n: number) => void
  signal?: AbortSignal
}

interface Endpoint {
  scheme: 'https' | 'http'
  verify: boolean
}

/** The scheme attempts for a registry host (see the file comment). */
export function endpointsFor(host: string, opts: { tlsVerify?: boolean; insecure?: boolean }): Endpoint[] {
  if (opts.tlsVerify === true) return [{ scheme: 'https', verify: true }]
  if (opts.tlsVerify === false || opts.insecure) {
    return [
      { scheme: 'https', verify: false },
      { scheme: 'http', verify: false },
    ]
  }
  if (isLoopbackHost(host)) {
    return [
      { scheme: 'http', verify: false },
      { scheme: 'https', verify: false },
    ]
  }
  return [{ scheme: 'https', verify: true }]
}

/** Docker Hub's API lives on another host than its name. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry
}

/** Failures that would be the same on any scheme: no point trying the next one. */
const CONNECTION_LEVEL = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'])

export class RegistryClient {
  private base: URL | undefined
  private verify = true
  private pinging: Promise<void> | undefined
  private readonly authorizer: Authorizer

  constructor(
    /** The registry as named in references (`docker.io`, `127.0.0.1:5000`). */
    readonly registry: string,
    private readonly opts: RegistryClientOptions = {},
  ) {
    this.authorizer = new Authorizer({
      credentials: repository => opts.auth?.(registry, repository),
      tlsVerify: () => this.verify,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
    })
  }

  /** Find a working scheme and the auth challenge (once; concurrent callers share it). */
  ping(): Promise<void> {
    this.pinging ??= this.doPing().catch(err => {
      this.pinging = undefined // a later call may try again
      throw err
    })
    return this.pinging
  }

  private async doPing(): Promise<void> {
    const host = apiHost(this.registry)
    let failure: string | undefined
    for (const ep of endpointsFor(host, this.opts)) {
      const url = new URL(`${ep.scheme}://${host}/v2/`)
      let res: HttpResponse
      try {
        res = await httpRequest({ url, tlsVerify: ep.verify, timeoutMs: this.opts.timeoutMs, signal: this.opts.signal })
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err
        // Prefer the plain-HTTP attempt's error, as podman reports it for insecure registries.
        if (failure === undefined || ep.scheme === 'http') failure = `Get "${url}": ${err.message}`
        if (err.code && CONNECTION_LEVEL.has(err.code)) break
        continue
      }
      await discard(res)
      if (res.status === 200 || res.status === 401) {
        this.base = new URL(`${ep.scheme}://${host}/`)
        this.verify = ep.verify
        this.authorizer.setChallenges(parseChallenges(res.headersDistinct['www-authenticate']))
        log.debug(`Ping ${url} status ${res.status}`)
        return
      }
      if (failure === undefined || ep.scheme === 'http') failure = `Get "${url}": unexpected status ${res.status} (not a registry speaking the v2 API)`
    }
    throw new TspodError('unavailable', `pinging container registry ${this.registry}: ${failure}`)
  }

  /** One authorised request to a repository, answering one 401 challenge if it helps. */
  private async send(repository: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<HttpResponse> {
    await this.ping()
    const url = new URL(path, this.base)
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.authorizer.header(repository)
      const res = await httpRequest({
        url,
        headers: authorization ? { ...headers, Authorization: authorization } : headers,
        tlsVerify: this.verify,
        timeoutMs: this.opts.timeoutMs,
        signal: signal ?? this.opts.signal,
      })
      if (res.status === 401 && attempt === 0 && this.authorizer.onUnauthorized(res, repository, authorization)) {
        await discard(res)
        continue
      }
      return res
    }
  }

  /** A manifest or index by tag or digest; by digest, the bytes must hash to it. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const context = `reading manifest ${reference} in ${this.registry}/${repository}`
    let res: HttpResponse
    try {
      res = await this.send(repository, `/v2/${repository}/manifests/${reference}`, { Accept: MANIFEST_ACCEPT.join(', ') })
    } catch (err) {
      throw transportError(err, context)
    }
    if (res.status !== 200) throw await responseError(res, context)
    let bytes: Buffer
    try {
      bytes = await readBody(res, MANIFEST_SIZE_LIMIT)
    } catch (err) {
      throw transportError(err, context)
    }
    const expected = isDigest(reference) ? reference : undefined
    const algorithm = expected ? digestAlgorithm(expected) : 'sha256'
    const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}` as Digest
    if (expected && digest !== expected) throw new DigestMismatchError(expected, digest, `${context}: manifest`)
    const manifest = parseManifest(bytes, res.headers['content-type'], `manifest ${digest}`)
    return { digest, mediaType: manifest.mediaType, bytes, manifest }
  }

  /**
   * Stream a blob into `writer` and commit it (the writer checks size and
   * digest). Redirects are followed; credentials are not sent to other hosts.
   * On any failure the writer is aborted, so nothing partial is committed.
   */
  async fetchBlob(repository: string, desc: { digest: Digest; size: number }, writer: ContentWriter, opts: BlobFetchOptions = {}): Promise<BlobInfo> {
    const context = `reading blob ${desc.digest}`
    const signal = opts.signal ?? this.opts.signal
    let res: HttpResponse
    try {
      res = await this.openBlob(repository, desc.digest, context, signal)
    } catch (err) {
      await writer.abort()
      throw err
    }
    try {
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          await writer.write(chunk)
          opts.onBytes?.(chunk.length)
        }
      } catch (err) {
        if (signal?.aborted || err instanceof TspodError) throw err // aborted, or the writer refused: more bytes than the descriptor says
        const why = err instanceof Error ? describeStreamError(err) : String(err)
        throw new TspodError('unavailable', `connection closed after ${writer.written} of ${desc.size} bytes: ${why}`, { cause: err })
      }
      return await writer.commit()
    } catch (err) {
      await writer.abort()
      res.body.destroy()
      if (signal?.aborted) throw signal.reason
      if (err instanceof TspodError) throw new TspodError(err.code, `${context}: ${err.message}`, { cause: err })
      throw err
    }
  }

  /** GET a blob, following redirects; resolves with a 200 response or throws. */
  private async openBlob(repository: string, digest: Digest, context: string, signal: AbortSignal | undefined): Promise<HttpResponse> {
    let res: HttpResponse
    try {
      res = await this.send(repository, `/v2/${repository}/blobs/${digest}`, {}, signal)
      for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.location; hops++) {
        if (hops === MAX_REDIRECTS) throw new TspodError('unavailable', `${context}: stopped after ${MAX_REDIRECTS} redirects`)
        await discard(res)
        const next = new URL(res.headers.location, res.url)
        log.debug(`Blob ${digest} redirected to ${next.origin}${next.pathname}`)
        res =
          next.origin === this.base!.origin
            ? await this.send(repository, next.pathname + next.search, {}, signal)
            : await httpRequest({ url: next, tlsVerify: this.opts.tlsVerify !== false, timeoutMs: this.opts.timeoutMs, signal })
      }
    } catch (err) {
      throw signal?.aborted ? signal.reason : transportError(err, context)
    }
    if (res.status !== 200) throw await responseError(res, `${context}: fetching blob`)
    return res
  }
}

/** Network failures get a code and the context; TspodErrors (ping, token) keep theirs. */
function transportError(err: unknown, context: string): unknown {
  if (err instanceof NetworkError) return new TspodError('unavailable', `${context}: ${err.message}`, { cause: err })
  if (err instanceof BodyTooLargeError) return new TspodError('data-loss', `${context}: manifest is larger than the ${err.limit}-byte limit`)
  return err
}

function describeStreamError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code
  // Node reports a body cut short ("aborted") as ECONNRESET.
  if (code === 'ECONNRESET') return 'unexpected EOF'
  if (code === 'ETIMEDOUT') return 'i/o timeout'
  return err.message
}
