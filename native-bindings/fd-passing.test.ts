// Receiving a file descriptor over a unix socket, as runc's --console-socket sends it.
import t from 'tap'
import { execa } from 'execa'
import { closeSync, createReadStream, existsSync, openSync, writeSync } from 'node:fs'
import { chmod, copyFile, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tty from 'node:tty'
import { nodeWithTs, tempNamespace } from '../src/rootless/testing.js'
import { listenForFd } from './fd-passing.js'
import { lazyFn } from './libc.js'
import { getWinsize, setWinsize } from './winsize.js'

const fdPassing = new URL('./fd-passing.ts', import.meta.url).pathname

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tspod-fdpass-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A second process that sends `fdExpr` (evaluated there) to the socket at `path`. */
function sender(path: string, fdExpr: string, name: string, input?: string) {
  const [node, ...args] = nodeWithTs(
    `const fs = await import('node:fs'); const { sendFd } = await import(${JSON.stringify(fdPassing)});` +
      `sendFd(${JSON.stringify(path)}, ${fdExpr}, ${JSON.stringify(name)})`,
  )
  return execa(node!, args, { ...(input === undefined ? {} : { input }) })
}

function readAll(fd: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    createReadStream('', { fd, encoding: 'utf8' })
      .on('data', chunk => (text += chunk))
      .on('end', () => resolve(text))
      .on('error', reject)
  })
}

t.test('a pipe sent by another process is readable through the received fd', async t => {
  const path = join(await tempDir(t), 'console.sock')
  const listener = listenForFd(path)
  t.teardown(() => listener.close())
  t.ok(existsSync(path), 'the socket exists once listening')
  const receiving = listener.receive()
  // The sender hands over its own stdin, a pipe the test writes into.
  const send = sender(path, '0', '/dev/pts/7', 'through the pipe')
  const received = await receiving
  await send
  t.equal(received.name, '/dev/pts/7', 'the payload sent with the fd')
  t.ok(received.fd > 2)
  t.equal(await readAll(received.fd), 'through the pipe')
})

t.test('a pty master arrives usable by tty.ReadStream and the winsize ioctls', async t => {
  const path = join(await tempDir(t), 'console.sock')
  const listener = listenForFd(path)
  t.teardown(() => listener.close())
  const receiving = listener.receive()
  await sender(path, `fs.openSync('/dev/ptmx', fs.constants.O_RDWR | fs.constants.O_NOCTTY)`, 'pty')
  const { fd } = await receiving
  t.ok(tty.isatty(fd), 'a terminal')
  t.same(getWinsize(fd), { rows: 0, cols: 0 }, 'a fresh pty')

  // Open the slave side and write into it; the master must read it.
  const unlockpt = lazyFn<(fd: number) => number>('int unlockpt(int fd)')
  const ptsname = lazyFn<(fd: number) => string>('const char *ptsname(int fd)')
  t.equal(unlockpt()(fd), 0)
  const slave = openSync(ptsname()(fd), 'r+')
  t.teardown(() => closeSync(slave))
  const stream = new tty.ReadStream(fd)
  t.teardown(() => stream.destroy())
  const got = new Promise<string>(resolve => stream.once('data', chunk => resolve(chunk.toString())))
  writeSync(slave, 'hello from the container\n')
  t.equal(await got, 'hello from the container\r\n')
})

t.test('each connection hands over one fd; receive() can be called again', async t => {
  const path = join(await tempDir(t), 'console.sock')
  const listener = listenForFd(path)
  t.teardown(() => listener.close())
  for (const name of ['first', 'second']) {
    const receiving = listener.receive()
    await sender(path, '0', name, name)
    const r = await receiving
    t.equal(r.name, name)
    t.equal(await readAll(r.fd), name)
  }
})

t.test('a peer that sends no fd is an error, not a hang', async t => {
  const path = join(await tempDir(t), 'console.sock')
  const listener = listenForFd(path)
  t.teardown(() => listener.close())
  const receiving = listener.receive()
  const [node, ...args] = nodeWithTs(
    `const net = await import('node:net'); const s = net.connect(${JSON.stringify(path)}, () => s.end('no fd here'))`,
  )
  const rejected = t.rejects(receiving, { message: /closed the connection without sending a file descriptor/ })
  await execa(node!, args)
  await rejected
})

t.test('close() rejects a pending receive() and removes the socket', async t => {
  const path = join(await tempDir(t), 'console.sock')
  const listener = listenForFd(path)
  const receiving = listener.receive()
  await t.rejects(listener.receive(), { message: /already pending/ })
  listener.close()
  await t.rejects(receiving, { message: /was closed/ })
  t.notOk(existsSync(path))
  await t.rejects(listener.receive(), { message: /is closed/ })
})

t.test('socket paths longer than sun_path (108 bytes) work', async t => {
  const dir = join(await tempDir(t), 'a-rather-long-directory-name-'.repeat(4))
  await mkdir(dir)
  const path = join(dir, 'console.sock')
  t.ok(Buffer.byteLength(path) > 108)
  const listener = listenForFd(path)
  t.teardown(() => listener.close())
  const receiving = listener.receive()
  await sender(path, '0', 'long', 'long path')
  t.equal(await readAll((await receiving).fd), 'long path')
})

t.test('runc run --console-socket hands over a working pty master', async t => {
  for (const tool of ['runc', 'busybox']) {
    const found = await execa('sh', ['-c', `command -v ${tool}`], { reject: false })
    t.equal(found.exitCode, 0, `${tool} is installed (Debian packages runc, busybox-static)`)
  }
  const ns = await tempNamespace(t)
  const bundle = join(ns.dataDir, 'bundle')
  await mkdir(join(bundle, 'rootfs', 'bin'), { recursive: true })
  await copyFile((await execa('sh', ['-c', 'command -v busybox'])).stdout, join(bundle, 'rootfs', 'bin', 'busybox'))
  await chmod(join(bundle, 'rootfs', 'bin', 'busybox'), 0o755)
  await execa('runc', ['spec', '--bundle', bundle])
  const config = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8'))
  config.process.terminal = true
  // Waits for a line from the terminal, then reports the terminal size set meanwhile.
  config.process.args = ['/bin/busybox', 'sh', '-c', 'echo ready; read line; echo "got $line"; /bin/busybox stty size']
  await writeFile(join(bundle, 'config.json'), JSON.stringify(config))

  const socket = join(ns.dataDir, 'console.sock')
  const listener = listenForFd(socket)
  t.teardown(() => listener.close())
  const runc = (...args: string[]) =>
    execa(ns.enter[0]!, [...ns.enter.slice(1), 'runc', '--root', join(ns.dataDir, 'runc'), ...args], { reject: false })
  t.teardown(() => runc('delete', '--force', 'fdpass'))
  const receiving = listener.receive()
  const run = await runc('run', '--detach', '--bundle', bundle, '--console-socket', socket, 'fdpass')
  t.equal(run.exitCode, 0, run.stderr)
  const { fd, name } = await receiving
  t.equal(name, '/dev/ptmx', 'runc 1.1 names the master it sends')

  const stream = new tty.ReadStream(fd)
  t.teardown(() => stream.destroy())
  let output = ''
  const seen = (text: string) =>
    new Promise<void>(resolve => {
      const check = () => output.includes(text) && (stream.off('data', onData), resolve())
      const onData = (chunk: Buffer) => ((output += chunk.toString()), check())
      stream.on('data', onData)
      check()
    })
  await seen('ready')
  setWinsize(fd, { rows: 33, cols: 101 })
  writeSync(fd, 'hello\n')
  await seen('101\r\n')
  t.match(output, 'got hello')
  t.match(output, '33 101', 'the size set on the master is the container terminal size')
})

t.test('listening on an existing path fails like Node does', async t => {
  const path = join(await tempDir(t), 'taken')
  const listener = listenForFd(path)
  t.teardown(() => listener.close())
  t.throws(() => listenForFd(path), { code: 'EADDRINUSE', syscall: 'bind' })
})
