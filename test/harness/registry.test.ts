import t from 'tap'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { execa } from 'execa'
import { fileURLToPath } from 'node:url'
import { startRegistry, withRegistry } from './registry.js'
import { removeDir } from './tools.js'

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` })

/** Resolves once nothing accepts connections at `url` any more. */
async function waitUntilDown(url: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
    } catch {
      return
    }
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  throw new Error(`${url} still answers`)
}

t.test('a plain registry serves the v2 API and stores blobs in dataDir', async t => {
  const reg = await withRegistry(t)
  t.match(reg.host, /^127\.0\.0\.1:\d+$/)
  t.equal(reg.url, `http://${reg.host}`)
  t.equal(reg.credentials, undefined)
  const res = await fetch(`${reg.url}/v2/`)
  t.equal(res.status, 200)
  t.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0')

  // Monolithic blob upload, then the bytes are where blobPath() says.
  const data = Buffer.from('hello registry\n')
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`
  const start = await fetch(`${reg.url}/v2/probe/blobs/uploads/`, { method: 'POST' })
  t.equal(start.status, 202)
  const location = new URL(start.headers.get('location')!, reg.url)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } })
  t.equal(put.status, 201)
  t.same(readFileSync(reg.blobPath(digest)), data)
  const got = await fetch(`${reg.url}/v2/probe/blobs/${digest}`)
  t.equal(await got.text(), data.toString())

  t.match(await reg.readLog(), `listening on ${reg.host}`)
})

t.test('stop() ends the registry, removes its files and is idempotent', async t => {
  const reg = await startRegistry()
  t.ok(existsSync(reg.dataDir))
  await reg.stop()
  await t.rejects(fetch(`${reg.url}/v2/`), 'nothing listens after stop()')
  t.notOk(existsSync(reg.dataDir), 'temp dir removed')
  await reg.stop()
  t.throws(() => process.kill(reg.pid, 0), { code: 'ESRCH' }, 'process gone')
})

t.test('two registries run side by side on different ports', async t => {
  const [a, b] = await Promise.all([withRegistry(t), withRegistry(t)])
  t.not(a.port, b.port)
  t.equal((await fetch(`${a.url}/v2/`)).status, 200)
  t.equal((await fetch(`${b.url}/v2/`)).status, 200)
})

t.test('a test process killed with SIGKILL does not leak its registry', async t => {
  const importTs = fileURLToPath(new URL('./import-ts.mjs', import.meta.url))
  const script = `
    const { importTs } = await import(${JSON.stringify(importTs)})
    const { startRegistry } = await importTs('test/harness/registry.ts')
    const reg = await startRegistry()
    console.log(JSON.stringify({ url: reg.url, pid: reg.pid, dataDir: reg.dataDir }))
    process.kill(process.pid, 'SIGKILL')
  `
  const child = await execa('node', ['--input-type=module', '-e', script], { reject: false })
  t.equal(child.signal, 'SIGKILL')
  const info = JSON.parse(String(child.stdout).trim()) as { url: string; pid: number; dataDir: string }
  t.teardown(() => removeDir(info.dataDir.replace(/\/data$/, '')))
  await waitUntilDown(`${info.url}/v2/`)
  t.pass('registry went down with its parent (parent-death signal)')
})

t.test('basic auth: htpasswd accounts accepted, others refused', async t => {
  const reg = await withRegistry(t, { auth: 'basic' })
  t.ok(reg.credentials)
  t.equal(reg.users.length, 2)
  const anon = await fetch(`${reg.url}/v2/`)
  t.equal(anon.status, 401)
  t.equal(anon.headers.get('www-authenticate'), 'Basic realm="tspod-test-registry"')
  const wrong = await fetch(`${reg.url}/v2/`, { headers: basic(reg.credentials!.username, 'not-the-password') })
  t.equal(wrong.status, 401)
  const unknown = await fetch(`${reg.url}/v2/`, { headers: basic('mallory', 'x') })
  t.equal(unknown.status, 401)
  for (const u of reg.users) {
    const ok = await fetch(`${reg.url}/v2/`, { headers: basic(u.username, u.password) })
    t.equal(ok.status, 200, `${u.username} accepted`)
  }
  // The same through an independent client.
  const curl = await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', `${reg.credentials!.username}:${reg.credentials!.password}`, `${reg.url}/v2/`])
  t.equal(curl.stdout, '200')
  const curlBad = await execa('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', 'tspod:nope', `${reg.url}/v2/`])
  t.equal(curlBad.stdout, '401')
})

t.test('custom users replace the default accounts', async t => {
  const reg = await withRegistry(t, { auth: 'basic', users: [{ username: 'alice', password: 'pa:ss w0rd', actions: ['pull'] }] })
  t.same(reg.credentials, { username: 'alice', password: 'pa:ss w0rd' })
  t.equal((await fetch(`${reg.url}/v2/`, { headers: basic('alice', 'pa:ss w0rd') })).status, 200)
  t.equal((await fetch(`${reg.url}/v2/`, { headers: basic('tspod', 'tspod-secret') })).status, 401)
})
