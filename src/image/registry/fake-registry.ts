/**
 * Test support (not shipped): a small in-process registry speaking enough of
 * the distribution API for unit tests — manifests, blobs, Basic or Bearer
 * auth with its own token endpoint — plus hooks to inject faults. It records
 * every request so tests can count them.
 */
import { createHash, randomBytes } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Digest } from '../digest.js'
import { MediaType } from './media-types.js'

export interface RecordedRequest {
  method: string
  path: string
  authorization: string | undefined
  accept: string | undefined
}

export interface FakeRegistryOptions {
  auth?: 'none' | 'basic' | 'token'
  username?: string
  password?: string
  /** token mode: refuse anonymous tokens (a private registry). */
  tokenNeedsCredentials?: boolean
  tokenExpiresIn?: number
}

export interface PushedImage {
  manifestDigest: Digest
  manifestBytes: Buffer
  configDigest: Digest
  configBytes: Buffer
  layers: { digest: Digest; size: number; bytes: Buffer; diffId: Digest }[]
}

/** Returns true when it answered the request itself. */
export type Override = (req: IncomingMessage, res: ServerResponse, path: string) => boolean | Promise<boolean>

export const sha256 = (b: Uint8Array | string): Digest => `sha256:${createHash('sha256').update(b).digest('hex')}`

export class FakeRegistry {
  readonly requests: RecordedRequest[] = []
  readonly blobs = new Map<string, Buffer>()
  /** `repo\nreference` → manifest */
  readonly manifests = new Map<string, { bytes: Buffer; contentType: string }>()
  overrides: Override[] = []
  private tokens = new Map<string, string>() // token → scope string
  private tokenCount = 0

  private constructor(
    private readonly server: http.Server,
    readonly opts: FakeRegistryOptions,
  ) {}

  static async start(opts: FakeRegistryOptions = {}): Promise<FakeRegistry> {
    const server = http.createServer()
    const reg = new FakeRegistry(server, opts)
    server.on('request', (req, res) => {
      reg.handle(req, res).catch(err => {
        res.statusCode = 500
        res.end(String(err))
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    return reg
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port
  }

  get host(): string {
    return `127.0.0.1:${this.port}`
  }

  get tokensIssued(): number {
    return this.tokenCount
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  /** Requests whose path matches, e.g. `/blobs/`. */
  count(fragment: string): number {
    return this.requests.filter(r => r.path.includes(fragment)).length
  }

  addBlob(bytes: Buffer): Digest {
    const d = sha256(bytes)
    this.blobs.set(d, bytes)
    return d
  }

  putManifest(repo: string, reference: string, bytes: Buffer, contentType: string): Digest {
    const d = sha256(bytes)
    this.manifests.set(`${repo}\n${reference}`, { bytes, contentType })
    this.manifests.set(`${repo}\n${d}`, { bytes, contentType })
    return d
  }

  /** Push an image of `layerSizes` random layers (bytes, not real tars: nothing here unpacks). */
  addImage(
    repo: string,
    tag: string,
    o: { layerSizes?: number[]; platform?: { os: string; architecture: string; variant?: string }; mediaType?: string; diffIds?: number } = {},
  ): PushedImage {
    const layers = (o.layerSizes ?? [1000, 70_000]).map(size => {
      const bytes = randomBytes(size)
      return { digest: this.addBlob(bytes), size, bytes, diffId: sha256(`diff-${sha256(bytes)}`) }
    })
    const platform = o.platform ?? { os: 'linux', architecture: 'amd64' }
    const diffIds = layers.map(l => l.diffId).slice(0, o.diffIds ?? layers.length)
    const configBytes = Buffer.from(
      JSON.stringify({ ...platform, config: { Cmd: ['sh'], Env: ['PATH=/bin'] }, rootfs: { type: 'layers', diff_ids: diffIds } }),
    )
    const configDigest = this.addBlob(configBytes)
    const docker = o.mediaType === MediaType.DockerManifest
    const manifestBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: o.mediaType ?? MediaType.OciManifest,
        config: { mediaType: docker ? MediaType.DockerConfig : MediaType.OciConfig, digest: configDigest, size: configBytes.length },
        layers: layers.map(l => ({ mediaType: docker ? MediaType.DockerLayerGzip : MediaType.OciLayerGzip, digest: l.digest, size: l.size })),
      }),
    )
    const manifestDigest = this.putManifest(repo, tag, manifestBytes, o.mediaType ?? MediaType.OciManifest)
    return { manifestDigest, manifestBytes, configDigest, configBytes, layers }
  }

  /** An index over images already pushed (by their manifest digests). */
  addIndex(repo: string, tag: string, entries: { image: PushedImage; platform: { os: string; architecture: string; variant?: string } }[]): Digest {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciIndex,
        manifests: entries.map(e => ({ mediaType: MediaType.OciManifest, digest: e.image.manifestDigest, size: e.image.manifestBytes.length, platform: e.platform })),
      }),
    )
    return this.putManifest(repo, tag, bytes, MediaType.OciIndex)
  }

  private challenge(res: ServerResponse, scope?: string, error?: string): void {
    if (this.opts.auth === 'basic') res.setHeader('WWW-Authenticate', 'Basic realm="fake"')
    else {
      const extra = (scope ? `,scope="${scope}"` : '') + (error ? `,error="${error}"` : '')
      res.setHeader('WWW-Authenticate', `Bearer realm="http://${this.host}/token",service="fake-registry"${extra}`)
    }
    json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] })
  }

  private basicOk(header: string | undefined): boolean {
    const expected = `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64')}`
    return header === expected
  }

  /** Expire every token handed out so far (tests of invalid_token). */
  revokeTokens(): void {
    this.tokens.clear()
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, `http://${this.host}`)
    const path = url.pathname
    this.requests.push({ method: req.method!, path: path + url.search, authorization: req.headers.authorization, accept: req.headers.accept })
    for (const o of this.overrides) if (await o(req, res, path)) return

    if (path === '/token') {
      if (this.opts.tokenNeedsCredentials || req.headers.authorization) {
        if (!this.basicOk(req.headers.authorization)) {
          return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] })
        }
      }
      const token = `tok-${++this.tokenCount}`
      this.tokens.set(token, url.searchParams.getAll('scope').join(' '))
      return json(res, 200, { token, expires_in: this.opts.tokenExpiresIn ?? 300 })
    }
    if (path === '/v2/' || path === '/v2') {
      if (this.opts.auth === 'basic' && !this.basicOk(req.headers.authorization)) return this.challenge(res)
      if (this.opts.auth === 'token' && !this.tokens.has(req.headers.authorization?.replace(/^Bearer /, '') ?? '')) return this.challenge(res)
      return json(res, 200, {})
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path)
    if (!m) return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] })
    const [, repo, kind, reference] = m as unknown as [string, string, string, string]
    const scope = `repository:${repo}:pull`
    if (this.opts.auth === 'basic' && !this.basicOk(req.headers.authorization)) return this.challenge(res)
    if (this.opts.auth === 'token') {
      const granted = this.tokens.get(req.headers.authorization?.replace(/^Bearer /, '') ?? '')
      if (granted === undefined) return this.challenge(res, scope, req.headers.authorization ? 'invalid_token' : undefined)
      if (!granted.split(' ').includes(scope)) return this.challenge(res, scope, 'insufficient_scope')
    }
    if (kind === 'manifests') {
      const man = this.manifests.get(`${repo}\n${reference}`)
      if (!man) {
        const known = [...this.manifests.keys()].some(k => k.startsWith(`${repo}\n`))
        return json(res, 404, {
          errors: [known ? { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: reference } } : { code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: repo } }],
        })
      }
      res.writeHead(200, { 'Content-Type': man.contentType, 'Content-Length': man.bytes.length, 'Docker-Content-Digest': sha256(man.bytes) })
      return void res.end(man.bytes)
    }
    const blob = this.blobs.get(reference)
    if (!blob) return json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: reference }] })
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': blob.length })
    res.end(blob)
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}
