import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import t from 'tap'
import { BodyTooLargeError, describeNetworkError, discard, httpRequest, isLoopbackHost, NetworkError, readBody } from './transport.js'

async function serve(t: { teardown(fn: () => unknown): void }, handler: http.RequestListener) {
  const srv = http.createServer(handler)
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => {
    srv.closeAllConnections()
    srv.close()
  })
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`
}

t.test('loopback hosts', async t => {
  for (const h of ['localhost', 'localhost:5000', '127.0.0.1', '127.1.2.3:80', '[::1]', '[::1]:5000', 'LOCALHOST']) t.ok(isLoopbackHost(h), h)
  for (const h of ['quay.io', '128.0.0.1', 'localhost.example.com', '[::2]:5000', '10.0.0.1:5000', '127.0.0.1.nip.io']) t.notOk(isLoopbackHost(h), h)
})

t.test("Go's wording for network errors", async t => {
  const url = new URL('https://reg.example:5000/v2/')
  const e = (code: string, extra: object = {}) => Object.assign(new Error(`raw ${code}`), { code, ...extra })
  t.equal(describeNetworkError(e('ECONNREFUSED', { address: '10.0.0.1', port: 5000 }), url), 'dial tcp 10.0.0.1:5000: connect: connection refused')
  t.equal(describeNetworkError(e('ECONNREFUSED', { address: '::1', port: 5000 }), url), 'dial tcp [::1]:5000: connect: connection refused')
  t.equal(describeNetworkError(e('ECONNREFUSED'), url), 'dial tcp reg.example:5000: connect: connection refused')
  t.equal(describeNetworkError(e('ENOTFOUND', { hostname: 'reg.example' }), url), 'dial tcp: lookup reg.example: no such host')
  t.equal(describeNetworkError(e('EHOSTUNREACH'), url), 'dial tcp reg.example:5000: connect: no route to host')
  t.equal(describeNetworkError(e('ENETUNREACH'), url), 'dial tcp reg.example:5000: connect: network is unreachable')
  t.equal(describeNetworkError(e('ETIMEDOUT'), url), 'dial tcp reg.example:5000: i/o timeout')
  t.equal(describeNetworkError(e('ERESPONSETIMEOUT'), url), 'net/http: timeout awaiting response headers')
  t.equal(describeNetworkError(e('ECONNRESET'), url), 'read tcp reg.example:5000: connection reset by peer')
  t.equal(describeNetworkError(e('EPROTO'), url), 'http: server gave HTTP response to HTTPS client')
  t.equal(describeNetworkError(e('CERT_HAS_EXPIRED'), url), 'tls: failed to verify certificate: raw CERT_HAS_EXPIRED')
  t.equal(describeNetworkError(e('EWHATEVER'), url), 'raw EWHATEVER')
})

t.test('a keep-alive socket the server dropped is retried once on a new one', async t => {
  const served = new WeakMap<Socket, number>()
  let dropped = 0
  const base = await serve(t, (req, res) => {
    const n = (served.get(req.socket) ?? 0) + 1
    served.set(req.socket, n)
    // A server that closed the idle connection: the second request on a socket gets nothing back.
    if (n > 1) {
      dropped++
      return req.socket.destroy()
    }
    res.writeHead(200, { 'Content-Length': 2 }).end('ok')
  })
  const get = async () => {
    const res = await httpRequest({ url: new URL(`${base}/x`) })
    return (await readBody(res, 10)).toString()
  }
  t.equal(await get(), 'ok')
  t.equal(await get(), 'ok', 'the second GET succeeds')
  t.equal(dropped, 1, 'after one dropped attempt')
})

t.test('bodies: limits and draining', async t => {
  const sockets = new Set<Socket>()
  const base = await serve(t, (req, res) => {
    sockets.add(req.socket)
    if (req.url === '/big') return res.writeHead(200, { 'Content-Length': 100 }).end(Buffer.alloc(100))
    if (req.url === '/chunked') {
      res.writeHead(200)
      res.write(Buffer.alloc(60))
      return res.end(Buffer.alloc(60))
    }
    res.writeHead(404, { 'Content-Length': 9 }).end('not found')
  })
  await t.rejects(readBody(await httpRequest({ url: new URL(`${base}/big`) }), 50), BodyTooLargeError, 'declared too large')
  await t.rejects(readBody(await httpRequest({ url: new URL(`${base}/chunked`) }), 100), new BodyTooLargeError(100), 'streamed too large')
  const before = sockets.size
  await discard(await httpRequest({ url: new URL(`${base}/a`) }))
  const r = await httpRequest({ url: new URL(`${base}/b`) })
  t.equal((await readBody(r, 100)).toString(), 'not found')
  t.equal(sockets.size, before + 1, 'a drained small body leaves the socket reusable')
})

t.test('unsupported schemes and aborts', async t => {
  await t.rejects(httpRequest({ url: new URL('ftp://x/') }), NetworkError)
  const ac = new AbortController()
  ac.abort(new Error('stop'))
  await t.rejects(httpRequest({ url: new URL('http://127.0.0.1:1/'), signal: ac.signal }), { message: 'stop' })
})
