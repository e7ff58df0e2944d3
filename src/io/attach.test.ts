import t, { type Test } from 'tap'
import { execa } from 'execa'
import { readFile, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { setLogSink } from '../util/log.js'
import { attach, type AttachResult } from './attach-client.js'
import {
  createServerFrameDecoder, encodeClientFrame, encodeHello, type ServerFrame, type WindowSize,
} from './attach-protocol.js'
import { AttachServer, type AttachServerOptions } from './attach-server.js'
import { attachCliCommand, Collector, tempDir, waitFor } from './testing.js'

// The server warns about slow clients; keep test output clean but visible to assertions.
const warnings: string[] = []
setLogSink(line => warnings.push(line))

async function setup(t: Test, options: AttachServerOptions = {}) {
  const dir = await tempDir(t, 'tspod-attach-')
  const socketPath = path.join(dir, 'attach.sock')
  const stdin = new Collector()
  const resizes: WindowSize[] = []
  const signals: string[] = []
  const server = await AttachServer.listen(socketPath, {
    stdin,
    onResize: s => resizes.push(s),
    onSignal: s => signals.push(s),
    ...options,
  })
  t.teardown(() => server.close())
  return { dir, socketPath, server, stdin, resizes, signals }
}

/** A hand-driven protocol client, for what the real client never does (stall, send garbage). */
async function rawClient(socketPath: string, hello: object | string) {
  const socket = net.createConnection(socketPath)
  await new Promise(r => socket.once('connect', r))
  socket.write(typeof hello === 'string' ? hello : encodeHello({ stdin: false, stdout: false, stderr: false, replay: false, ...hello }))
  const frames: ServerFrame[] = []
  const decoder = createServerFrameDecoder()
  socket.on('data', c => frames.push(...decoder.push(c)))
  const closed = new Promise(r => socket.once('close', r))
  socket.on('error', () => {})
  return { socket, frames, closed }
}

const text = (frames: ServerFrame[], type: 'stdout' | 'stderr') =>
  Buffer.concat(frames.flatMap(f => (f.type === type ? [f.data] : []))).toString()

t.test('socket is created with mode 0600, replaces a stale one, and rejects too-long paths', async t => {
  const dir = await tempDir(t)
  const socketPath = path.join(dir, 'attach.sock')
  await writeFile(socketPath, 'stale')
  const server = await AttachServer.listen(socketPath)
  t.teardown(() => server.close())
  const st = await stat(socketPath)
  t.ok(st.isSocket())
  t.equal(st.mode & 0o777, 0o600)
  await t.rejects(AttachServer.listen(path.join(dir, 'x'.repeat(120))), { code: 'invalid-argument' })
  await t.rejects(attach({ socketPath: path.join(dir, 'missing.sock') }), { code: 'unavailable' })
})

t.test('replay sends buffered output to clients that ask, bounded by replayBytes', async t => {
  const { socketPath, server } = await setup(t, { replayBytes: 10 })
  server.output('stdout', Buffer.from('0123456789'))
  server.output('stderr', Buffer.from('abcde'))
  server.output('stdout', Buffer.from('XYZ'))
  const withReplay = await rawClient(socketPath, { stdout: true, stderr: true, replay: true })
  const without = await rawClient(socketPath, { stdout: true, stderr: true, replay: false })
  const onlyErr = await rawClient(socketPath, { stderr: true, replay: true })
  await waitFor(() => server.attachedCount === 3)
  server.output('stdout', Buffer.from('live'))
  await waitFor(() => text(withReplay.frames, 'stdout').endsWith('live') && text(without.frames, 'stdout') === 'live', 'live output')
  t.equal(text(withReplay.frames, 'stdout'), '89XYZlive', 'only the last 10 bytes (of both streams) were kept')
  t.equal(text(withReplay.frames, 'stderr'), 'abcde')
  t.equal(text(without.frames, 'stderr'), '')
  t.equal(text(onlyErr.frames, 'stdout'), '', 'streams not asked for are not sent')
  t.equal(text(onlyErr.frames, 'stderr'), 'abcde')
  for (const c of [withReplay, without, onlyErr]) c.socket.destroy()
})

t.test('the client copies output, forwards stdin and EOF, and resolves with the exit code', async t => {
  const { socketPath, server, stdin } = await setup(t)
  server.output('stdout', Buffer.from('early\n'))
  const out = new Collector()
  const err = new Collector()
  const input = new PassThrough()
  const result = attach({ socketPath, stdout: out, stderr: err, stdin: input, replay: true })
  await waitFor(() => out.text === 'early\n', 'replayed output')
  input.write('typed input\n')
  input.write(Buffer.from([0, 0xff, 0x10, 0x11]))
  await waitFor(() => stdin.buffer.length === 16, 'stdin at the container')
  t.same([...stdin.buffer.subarray(12)], [0, 0xff, 0x10, 0x11], 'bytes pass unchanged (no detach keys without a terminal)')
  input.end()
  await waitFor(() => stdin.writableFinished, 'container stdin closed on EOF')
  server.output('stderr', Buffer.from('after eof\n'))
  await waitFor(() => err.text === 'after eof\n', 'output still arrives after stdin EOF')
  await server.exit({ exitCode: 42 })
  t.same(await result, { kind: 'exited', exitCode: 42 })
  t.same(stdin.buffer, Buffer.concat([Buffer.from('typed input\n'), Buffer.from([0, 0xff, 0x10, 0x11])]))
})

t.test('an error exit is reported as failed; late clients get replay and the exit', async t => {
  const { socketPath, server } = await setup(t)
  const out = new Collector()
  const first = attach({ socketPath, stdout: out })
  await waitFor(() => server.attachedCount === 1)
  server.output('stdout', Buffer.from('bye\n'))
  await waitFor(() => out.text === 'bye\n')
  await server.exit({ error: 'container killed by OOM' })
  t.same(await first, { kind: 'failed', error: 'container killed by OOM' })
  const late = new Collector()
  t.same(await attach({ socketPath, stdout: late, replay: true }), { kind: 'failed', error: 'container killed by OOM' })
  t.equal(late.text, 'bye\n')
})

t.test('a terminal client sends its size, resizes on SIGWINCH, and detaches on ctrl-p,ctrl-q', async t => {
  const { socketPath, server, stdin, resizes } = await setup(t)
  const rawCalls: boolean[] = []
  const input = Object.assign(new PassThrough(), {
    isTTY: true as const,
    isRaw: false,
    setRawMode(mode: boolean) {
      rawCalls.push(mode)
      this.isRaw = mode
      return this as never
    },
  })
  const output = { columns: 80, rows: 24 }
  const result = attach({ socketPath, stdin: input, stdout: new Collector(), terminal: { input, output } })
  await waitFor(() => resizes.length === 1, 'initial size')
  t.same(resizes, [{ rows: 24, cols: 80 }])
  t.same(rawCalls, [true])
  output.columns = 132
  output.rows = 50
  process.emit('SIGWINCH')
  await waitFor(() => resizes.length === 2, 'resize')
  t.same(resizes[1], { rows: 50, cols: 132 })
  input.write('ls\r\x10')
  input.write('\x11ignored')
  t.same(await result, { kind: 'detached' })
  t.same(rawCalls, [true, false], 'raw mode restored')
  await waitFor(() => server.clientCount === 0, 'server saw the detach')
  t.equal(stdin.text, 'ls\r', 'the detach keys never reach the container')
  t.notOk(stdin.writableEnded, 'detaching does not close the container stdin')
  t.equal(input.listenerCount('data'), 0, 'stdin is released')
  t.equal(process.listenerCount('SIGWINCH'), 0, 'SIGWINCH handler removed')
})

t.test('clients may detach mid-stream; two clients see the same output and both send stdin', async t => {
  const { socketPath, server, stdin } = await setup(t)
  const a = new Collector()
  const b = new Collector()
  const aIn = new PassThrough()
  const bIn = new PassThrough()
  const ra = attach({ socketPath, stdout: a, stdin: aIn })
  const rb = attach({ socketPath, stdout: b, stdin: bIn })
  await waitFor(() => server.attachedCount === 2)
  aIn.write('from a;')
  await waitFor(() => stdin.text === 'from a;')
  bIn.write('from b;')
  await waitFor(() => stdin.text === 'from a;from b;')
  server.output('stdout', Buffer.from('one '))
  await waitFor(() => a.text === 'one ' && b.text === 'one ')
  const dropper = await rawClient(socketPath, { stdout: true })
  await waitFor(() => server.attachedCount === 3)
  server.output('stdout', Buffer.from('two '))
  await waitFor(() => text(dropper.frames, 'stdout') === 'two ')
  dropper.socket.destroy()
  await waitFor(() => server.clientCount === 2, 'detached client removed')
  for (let i = 0; i < 100; i++) server.output('stdout', Buffer.from(`${i} `))
  await server.exit({ exitCode: 0 })
  const expected = `one two ${Array.from({ length: 100 }, (_, i) => `${i} `).join('')}`
  t.same(await ra, { kind: 'exited', exitCode: 0 })
  t.same(await rb, { kind: 'exited', exitCode: 0 })
  t.equal(a.text, expected)
  t.equal(b.text, expected)
})

t.test('a client that stops reading neither blocks the server nor others, and learns why it was cut off', async t => {
  const { socketPath, server, stdin } = await setup(t, { clientBufferBytes: 256 * 1024, replayBytes: 0 })
  const slow = await rawClient(socketPath, { stdout: true })
  slow.socket.pause()
  const fast = new Collector()
  const fastIn = new PassThrough()
  const result = attach({ socketPath, stdout: fast, stdin: fastIn })
  await waitFor(() => server.attachedCount === 2)
  const chunk = Buffer.alloc(64 * 1024, 0x61)
  let sent = 0
  for (let i = 0; i < 64; i++) {
    server.output('stdout', chunk) // synchronous: returns even though `slow` reads nothing
    sent += chunk.length
    // A client that reads keeps up (the cap is for clients that stop reading, not for bursts).
    await waitFor(() => fast.buffer.length === sent, `the reading client got chunk ${i}`)
  }
  fastIn.write('still works')
  await waitFor(() => stdin.text === 'still works', 'stdin still forwarded')
  t.match(warnings.join('\n'), /attach client too slow/)
  slow.socket.resume()
  await slow.closed
  const last = slow.frames.at(-1)
  t.same(last, { type: 'exit', exit: { error: 'attach client too slow: output was not read, disconnected' } })
  t.ok(text(slow.frames, 'stdout').length < sent, 'the slow client missed output instead of holding it up')
  await server.exit({ exitCode: 0 })
  t.same(await result, { kind: 'exited', exitCode: 0 })
})

t.test('garbage from a client gets an error exit frame and a closed connection', async t => {
  const { socketPath, server, signals, resizes } = await setup(t)
  const bad = await rawClient(socketPath, 'not json\n')
  await bad.closed
  t.match(bad.frames, [{ type: 'exit', exit: { error: /hello is not valid JSON/ } }])
  const worse = await rawClient(socketPath, { stdin: true })
  worse.socket.write(Buffer.from([0x7f, 0, 0, 0, 0]))
  await worse.closed
  t.match(worse.frames, [{ type: 'exit', exit: { error: /unknown frame type 0x7f/ } }])
  // A well-behaved raw client: resize and signal reach the callbacks.
  const ok = await rawClient(socketPath, { stdin: true })
  ok.socket.write(Buffer.concat([
    ...encodeClientFrame({ type: 'resize', size: { rows: 10, cols: 20 } }),
    ...encodeClientFrame({ type: 'signal', signal: 'SIGRTMIN+3' }),
  ]))
  await waitFor(() => signals.length === 1)
  t.same(resizes, [{ rows: 10, cols: 20 }])
  t.same(signals, ['SIGRTMIN+3'])
  ok.socket.destroy()
  await waitFor(() => server.clientCount === 0, 'all gone')
})

t.test('a client without stdin cannot write to the container', async t => {
  const { socketPath, stdin, signals } = await setup(t)
  const c = await rawClient(socketPath, { stdout: true })
  c.socket.write(Buffer.concat([...encodeClientFrame({ type: 'stdin', data: Buffer.from('sneaky') }), ...encodeClientFrame({ type: 'stdin-eof' }), ...encodeClientFrame({ type: 'signal', signal: 'SIGINT' })]))
  await waitFor(() => signals.length === 1)
  t.equal(stdin.text, '')
  t.notOk(stdin.writableEnded)
  c.socket.destroy()
})

async function runCli(t: Test, dir: string, socketPath: string, extra: Record<string, unknown>) {
  const resultFile = path.join(dir, `result-${Math.random()}.json`)
  const pidFile = path.join(dir, `pid-${Math.random()}`)
  const { file, args } = attachCliCommand({ socketPath, resultFile, pidFile, tty: false, ...extra })
  const child = execa(file, args, { reject: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: true })
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  let stdout = ''
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()))
  return {
    child,
    output: () => stdout,
    result: async () => JSON.parse(await readFile(resultFile, 'utf8')) as AttachResult | { error: string },
  }
}

t.test('sig-proxy: signals the CLI receives are sent to the container', async t => {
  const { dir, socketPath, server, signals } = await setup(t)
  server.output('stdout', Buffer.from('ready\n'))
  const cli = await runCli(t, dir, socketPath, {})
  // Replayed output proves the hello went out, so the handlers are installed.
  await waitFor(() => cli.output() === 'ready\n', 'CLI attached')
  const sent = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const
  for (const [i, sig] of sent.entries()) {
    cli.child.kill(sig)
    await waitFor(() => signals.length === i + 1, `${sig} forwarded`)
  }
  t.same(signals, [...sent])
  t.equal(cli.child.exitCode, null, 'the CLI survives the signals it forwards')
  await server.exit({ exitCode: 3 })
  const r = await cli.child
  t.equal(r.exitCode, 3)
  t.same(await cli.result(), { kind: 'exited', exitCode: 3 })
})

t.test('without sig-proxy SIGINT ends the CLI like podman (exit 1) and leaves the container alone', async t => {
  const { dir, socketPath, server, signals, stdin } = await setup(t)
  server.output('stdout', Buffer.from('ready\n'))
  const cli = await runCli(t, dir, socketPath, { sigProxy: false })
  await waitFor(() => cli.output() === 'ready\n', 'CLI attached')
  cli.child.kill('SIGINT')
  const r = await cli.child
  t.equal(r.exitCode, 1)
  t.same(await cli.result(), { kind: 'interrupted', signal: 'SIGINT' })
  t.same(signals, [], 'nothing was sent to the container')
  t.notOk(stdin.writableEnded, 'container stdin left open')
  await waitFor(() => server.clientCount === 0)
  // The container keeps running: a new client can still attach.
  const again = new Collector()
  const res = attach({ socketPath, stdout: again })
  await waitFor(() => server.attachedCount === 1)
  await server.exit({ exitCode: 0 })
  t.same(await res, { kind: 'exited', exitCode: 0 })
})

t.test('a piped stdin reaches EOF and the CLI still exits on the exit frame', async t => {
  const { dir, socketPath, server, stdin } = await setup(t)
  const cli = await runCli(t, dir, socketPath, { replay: false })
  cli.child.stdin!.end('piped data')
  await waitFor(() => stdin.writableFinished, 'container stdin closed')
  t.equal(stdin.text, 'piped data')
  server.output('stdout', Buffer.from('result\n'))
  await waitFor(() => cli.output() === 'result\n')
  await server.exit({ exitCode: 0 })
  t.equal((await cli.child).exitCode, 0)
})

t.test('whenAttached resolves on the first hello, at once when one is there, and on its timeout without one', async t => {
  const { socketPath, server } = await setup(t)
  let resolved = false
  const waiting = server.whenAttached(60_000).then(() => (resolved = true))
  const bare = net.createConnection(socketPath) // connected, no hello yet: not attached
  await new Promise(r => bare.once('connect', r))
  await new Promise(r => setTimeout(r, 50))
  t.notOk(resolved, 'a connection without hello is not an attached client')
  const client = await rawClient(socketPath, { stdout: true })
  await waiting
  t.ok(resolved)
  await server.whenAttached(60_000) // already attached: no wait
  client.socket.destroy()
  bare.destroy()
  await waitFor(() => server.attachedCount === 0)
  const started = Date.now()
  await server.whenAttached(30)
  t.ok(Date.now() - started >= 25, 'gave up after its timeout')
})
