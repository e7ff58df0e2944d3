/**
 * A plain-HTTP proxy in front of a test registry that records every request
 * as it arrives (so counts are exact the moment the client exits) and can
 * hold one blob download half-way — for tests that count what a pull
 * downloads, or kill a pull in the middle.
 *
 *   const proxy = await withRegistryProxy(t, reg.host)     // closed at teardown
 *   const stalled = proxy.stallNext({ digest, after: 4096 })
 *   // pull from `${proxy.host}/repo`; await stalled; kill it …
 *   proxy.blobGets(from)                                    // digests downloaded since `from`
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TeardownHost } from './registry.js'

export interface ProxyRequest {
  method: string
  path: string
}

export interface StallRule {
  /** Blob digest whose download stops half-way. */
  digest: string
  /** Bytes to pass before stalling. */
  after: number
}

export interface RegistryProxy {
  /** '127.0.0.1:PORT' */
  host: string
  readonly requests: ProxyRequest[]
  /** GETs of blobs since `from` (an index into requests), as digests. */
  blobGets(from?: number): string[]
  /** Makes the next download of `rule.digest` stop after `rule.after` bytes; resolves once it stalled. */
  stallNext(rule: StallRule): Promise<void>
  stop(): Promise<void>
}

/** The proxy for `upstream` ('127.0.0.1:PORT', a registry without auth), closed at teardown. */
export async function withRegistryProxy(t: TeardownHost, upstream: string): Promise<RegistryProxy> {
  const requests: ProxyRequest[] = []
  let stall: (StallRule & { reached: () => void }) | undefined
  const held = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    requests.push({ method: req.method ?? '', path })
    const rule = stall && req.method === 'GET' && path.endsWith(`/blobs/${stall.digest}`) ? stall : undefined
    if (rule) stall = undefined
    const up = http.request(`http://${upstream}${req.url}`, { method: req.method, headers: { ...req.headers, host: upstream } }, upRes => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers)
      if (!rule) return void upRes.pipe(res)
      let sent = 0
      upRes.on('data', (chunk: Buffer) => {
        if (sent >= rule.after) return
        const part = chunk.subarray(0, rule.after - sent)
        sent += part.length
        res.write(part)
        if (sent >= rule.after) {
          upRes.destroy()
          held.add(res) // kept open, silent: the client waits for the rest
          rule.reached()
        }
      })
    })
    up.on('error', err => {
      res.destroy(err)
    })
    req.pipe(up)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= new Promise<void>(resolve => {
      for (const res of held) res.destroy()
      server.closeAllConnections()
      server.close(() => resolve())
    }))
  t.teardown(stop)
  return {
    host: `127.0.0.1:${port}`,
    requests,
    blobGets: (from = 0) =>
      requests
        .slice(from)
        .filter(r => r.method === 'GET' && /\/blobs\/sha256:[0-9a-f]{64}$/.test(r.path))
        .map(r => r.path.slice(r.path.lastIndexOf('/') + 1)),
    stallNext: rule =>
      new Promise<void>(resolve => {
        stall = { ...rule, reached: resolve }
      }),
    stop,
  }
}
