/**
 * HTTP for the registry client, on node:http/node:https with keep-alive agents.
 *
 * Not the global fetch: in Node 20 the first fetch() loads undici lazily
 * (measured here: ~30-40 ms before the first byte vs ~7 ms with node:http), and
 * TLS without verification (insecure registries, --tls-verify=false) needs a
 * per-request `rejectUnauthorized: false`, which fetch cannot take without
 * undici's own Agent. Redirects are not followed here; the client decides.
 *
 * Network failures become NetworkError with Go-like text ("dial tcp
 * 127.0.0.1:5000: connect: connection refused"), as podman prints them.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import https from 'node:https'

export interface HttpRequest {
  url: URL
  method?: 'GET' | 'HEAD' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** https only: verify the server certificate. */
  tlsVerify?: boolean
  signal?: AbortSignal
  /** Socket inactivity limit in ms (connect, headers, and each gap in the body). */
  timeoutMs?: number
}

export interface HttpResponse {
  readonly url: URL
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** Every value of a repeated header (WWW-Authenticate may come several times). */
  readonly headersDistinct: NodeJS.Dict<string[]>
  /** The body stream; consume it, or call discard(). */
  readonly body: IncomingMessage
}

/** A transport-level failure (nothing or not all of a response arrived). */
export class NetworkError extends Error {
  constructor(
    message: string,
    /** The Node error code (ECONNREFUSED, ETIMEDOUT, ...). */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'NetworkError'
  }
}

export const DEFAULT_TIMEOUT_MS = 60_000

const httpAgent = new http.Agent({ keepAlive: true, scheduling: 'lifo' })
const httpsAgent = new https.Agent({ keepAlive: true, scheduling: 'lifo' })
const httpsInsecureAgent = new https.Agent({ keepAlive: true, scheduling: 'lifo', rejectUnauthorized: false })

const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** Go's net/http wording for Node's errors, so messages read like podman's. */
export function describeNetworkError(err: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }, url: URL): string {
  const hostPort = err.address ? `${err.address.includes(':') ? `[${err.address}]` : err.address}:${err.port ?? url.port}` : url.host
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${hostPort}: connect: connection refused`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${err.hostname ?? url.hostname}: no such host`
    case 'EHOSTUNREACH':
      return `dial tcp ${hostPort}: connect: no route to host`
    case 'ENETUNREACH':
      return `dial tcp ${hostPort}: connect: network is unreachable`
    case 'ETIMEDOUT':
      return `dial tcp ${hostPort}: i/o timeout`
    case 'ERESPONSETIMEOUT':
      return 'net/http: timeout awaiting response headers'
    case 'ECONNRESET':
      return `read tcp ${url.host}: connection reset by peer`
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'http: server gave HTTP response to HTTPS client'
  }
  if (err.code && TLS_VERIFY_CODES.has(err.code)) return `tls: failed to verify certificate: ${err.message}`
  return err.message
}

/**
 * Send one request; resolves when the response headers arrived. A GET on a
 * reused keep-alive socket that the server had already closed is retried once
 * on a fresh connection (the race Node's documentation describes).
 */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  try {
    return await sendOnce(req)
  } catch (err) {
    if (err instanceof StaleSocketError) return sendOnce(req, true)
    throw err
  }
}

class StaleSocketError extends Error {}

function sendOnce(req: HttpRequest, freshSocket = false): Promise<HttpResponse> {
  const { url } = req
  const secure = url.protocol === 'https:'
  if (!secure && url.protocol !== 'http:') return Promise.reject(new NetworkError(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`, undefined))
  const agent = secure ? (req.tlsVerify === false ? httpsInsecureAgent : httpsAgent) : httpAgent
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) return reject(req.signal.reason)
    const method = req.method ?? 'GET'
    const r = (secure ? https : http).request(url, {
      method,
      headers: { 'User-Agent': 'tspod/0.1', ...req.headers },
      // The retry after a stale socket opens a new connection outside the pool.
      agent: freshSocket ? false : agent,
      ...(secure ? { rejectUnauthorized: req.tlsVerify !== false } : {}),
      signal: req.signal,
      timeout: timeoutMs,
    })
    r.on('timeout', () => {
      // Still connecting: the dial timed out; else the server accepted and never answered.
      const connecting = r.socket?.connecting ?? true
      r.destroy(Object.assign(new Error('i/o timeout'), { code: connecting ? 'ETIMEDOUT' : 'ERESPONSETIMEOUT' }))
    })
    r.on('error', err => {
      if (req.signal?.aborted) return reject(req.signal.reason)
      const code = (err as NodeJS.ErrnoException).code
      if (r.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE') && method !== 'POST') return reject(new StaleSocketError())
      reject(new NetworkError(describeNetworkError(err as NodeJS.ErrnoException, url), (err as NodeJS.ErrnoException).code, { cause: err }))
    })
    r.on('response', res => {
      // The response keeps the socket's inactivity timeout for its body.
      res.setTimeout(timeoutMs, () => {
        res.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' }))
      })
      resolve({ url, status: res.statusCode ?? 0, headers: res.headers, headersDistinct: res.headersDistinct, body: res })
    })
    r.end(req.body)
  })
}

/** Read a whole (small) body, refusing more than `limit` bytes. */
export async function readBody(res: HttpResponse, limit: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    res.body.destroy()
    throw new BodyTooLargeError(limit)
  }
  const chunks: Buffer[] = []
  let total = 0
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > limit) {
        res.body.destroy()
        throw new BodyTooLargeError(limit)
      }
      chunks.push(chunk)
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err
    throw new NetworkError(describeNetworkError(err as NodeJS.ErrnoException, res.url), (err as NodeJS.ErrnoException).code, { cause: err })
  }
  return Buffer.concat(chunks, total)
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

/**
 * Drop a body we do not need. Small ones are drained, and the promise waits for
 * that, so the next request finds the keep-alive socket back in the pool.
 */
export function discard(res: HttpResponse): Promise<void> {
  const declared = Number(res.headers['content-length'])
  if (!(Number.isFinite(declared) && declared <= 64 * 1024)) {
    res.body.destroy()
    return Promise.resolve()
  }
  return new Promise(resolve => {
    res.body.on('error', () => resolve())
    res.body.on('close', () => resolve())
    res.body.resume()
  })
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}
