/**
 * The attach client on a real terminal: the fixture CLI runs inside a tmux
 * pane (a real pty), the test drives it with send-keys / resize-window and
 * checks the pty's settings with stty before, during and after.
 */
import t from 'tap'
import { execa } from 'execa'
import { readFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import type { WindowSize } from './attach-protocol.js'
import { AttachServer } from './attach-server.js'
import { attachCliCommand, Collector, tempDir, waitFor } from './testing.js'

const dir = await tempDir(t, 'tspod-tty-')
const tmuxSocket = path.join(dir, 'tmux.sock')
const tmux = (...args: string[]) => execa('tmux', ['-S', tmuxSocket, ...args], { env: { SHELL: '/bin/sh' } })

try {
  await execa('tmux', ['-V'])
} catch {
  throw new Error('tmux is required for the attach TTY tests (Debian package "tmux")')
}
t.teardown(() => tmux('kill-server').catch(() => {}))

const readText = async (file: string) => (await readFile(file, 'utf8')).trim()
const exists = async (file: string) => readFile(file).then(() => true, () => false)
let sessions = 0

/** Runs the fixture CLI in a fresh 80x24 tmux pane; stty settings are saved before and after it. */
async function runInPane(options: Record<string, unknown>) {
  const name = `s${++sessions}`
  const f = (what: string) => path.join(dir, `${name}.${what}`)
  const { file, args } = attachCliCommand({ resultFile: f('result'), pidFile: f('pid'), sttyFile: f('inside'), tty: true, ...options })
  const quote = (s: string) => `'${s}'`
  const command = `stty -g > ${f('before')}; ${[file, ...args].map(quote).join(' ')}; echo $? > ${f('rc.tmp')}; ` +
    `stty -g > ${f('after')}; mv ${f('rc.tmp')} ${f('rc')}; exec sleep 600`
  await tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', name, command)
  const paneTty = (await tmux('display-message', '-p', '-t', name, '#{pane_tty}')).stdout.trim()
  return {
    name,
    stty: async () => (await execa('stty', ['-g', '-F', paneTty])).stdout.trim(),
    sttyAll: async () => (await execa('stty', ['-a', '-F', paneTty])).stdout,
    screen: async () => (await tmux('capture-pane', '-p', '-t', name)).stdout,
    keys: (...keys: string[]) => tmux('send-keys', '-t', name, ...keys),
    pid: async () => {
      await waitFor(() => exists(f('pid')), 'fixture pid')
      return Number(await readText(f('pid')))
    },
    /**
     * Waits for the fixture to end. `after` is the pty's settings taken by the
     * fixture itself once attach() settled — before Node's own reset at exit,
     * which would hide a missing restore; `afterExit` is taken by the shell.
     */
    ended: async () => {
      await waitFor(() => exists(f('rc')), `${name} to end`)
      return {
        rc: Number(await readText(f('rc'))),
        before: await readText(f('before')),
        after: await readText(f('inside')),
        afterExit: await readText(f('after')),
      }
    },
    result: async () => JSON.parse(await readFile(f('result'), 'utf8')),
  }
}

async function attachServer(t: { teardown(fn: () => unknown): void }, name: string) {
  const stdin = new Collector()
  const resizes: WindowSize[] = []
  const signals: string[] = []
  const socketPath = path.join(dir, `${name}.sock`)
  const server = await AttachServer.listen(socketPath, { stdin, onResize: s => resizes.push(s), onSignal: s => signals.push(s) })
  t.teardown(() => server.close())
  return { socketPath, server, stdin, resizes, signals }
}

t.test('raw mode, window size, keys and detach through a real pty', async t => {
  const { socketPath, server, stdin, resizes, signals } = await attachServer(t, 'a')
  const pane = await runInPane({ socketPath })
  await waitFor(() => server.attachedCount === 1 && resizes.length === 1, 'the CLI to attach')
  t.same(resizes, [{ rows: 24, cols: 80 }], 'initial window size')
  server.output('stdout', Buffer.from('hello from the container\r\n'))
  await waitFor(async () => (await pane.screen()).includes('hello from the container'), 'output on the screen')

  const all = await pane.sttyAll()
  for (const flag of ['-icanon', '-echo', '-isig', '-ixon']) t.match(all, new RegExp(`(^|\\s)${flag}(\\s|$)`), `raw mode: ${flag}`)

  await pane.keys('-l', 'abc')
  await waitFor(() => stdin.text === 'abc', 'keys arrive without Enter')
  await pane.keys('C-c')
  await waitFor(() => stdin.text === 'abc\x03', 'ctrl-c arrives as a byte')
  t.same(signals, [], 'ctrl-c raised no SIGINT')

  await tmux('resize-window', '-t', pane.name, '-x', '100', '-y', '30')
  await waitFor(() => resizes.some(r => r.rows === 30 && r.cols === 100), 'SIGWINCH forwarded as a resize')

  await pane.keys('C-p')
  await pane.keys('C-q')
  const { rc, before, after, afterExit } = await pane.ended()
  t.equal(afterExit, before, 'and still so after the CLI exited')
  t.equal(rc, 0, 'the CLI exits 0 after detaching')
  t.same(await pane.result(), { kind: 'detached' })
  t.equal(after, before, 'terminal settings restored')
  t.equal(stdin.text, 'abc\x03', 'the detach keys never reached the container')
  await waitFor(() => server.clientCount === 0, 'server saw the client go')
  t.notMatch(await pane.screen(), /detach|read escape/i, 'nothing printed on detach')
})

t.test('the terminal is restored when the container exits, also with signals forwarded', async t => {
  const { socketPath, server, signals } = await attachServer(t, 'b')
  const pane = await runInPane({ socketPath })
  await waitFor(() => server.attachedCount === 1, 'the CLI to attach')
  process.kill(await pane.pid(), 'SIGTERM')
  await waitFor(() => signals.length === 1, 'SIGTERM proxied')
  t.same(signals, ['SIGTERM'])
  await server.exit({ exitCode: 7 })
  const { rc, before, after } = await pane.ended()
  t.equal(rc, 7)
  t.equal(after, before)
})

t.test('the terminal is restored on a protocol error', async t => {
  const socketPath = path.join(dir, 'garbage.sock')
  const garbage = net.createServer(socket => {
    socket.on('error', () => {})
    socket.once('data', () => socket.write(Buffer.from([0x99, 0, 0, 0, 0])))
  })
  await new Promise<void>(r => garbage.listen(socketPath, r))
  t.teardown(() => new Promise(r => garbage.close(r)))
  const pane = await runInPane({ socketPath })
  const { rc, before, after } = await pane.ended()
  t.equal(rc, 125)
  t.match(await pane.result(), { error: /unknown frame type 0x99/, code: 'data-loss' })
  t.equal(after, before)
})

t.test('the terminal is restored on signals without sig-proxy', async t => {
  const { socketPath, server, signals } = await attachServer(t, 'c')
  const interrupted = await runInPane({ socketPath, sigProxy: false })
  await waitFor(() => server.attachedCount === 1, 'the CLI to attach')
  process.kill(await interrupted.pid(), 'SIGTERM')
  const first = await interrupted.ended()
  t.equal(first.rc, 1, 'SIGTERM without sig-proxy: exit 1 like podman')
  t.same(await interrupted.result(), { kind: 'interrupted', signal: 'SIGTERM' })
  t.equal(first.after, first.before)

  await waitFor(() => server.attachedCount === 0)
  const hungUp = await runInPane({ socketPath, sigProxy: false })
  await waitFor(() => server.attachedCount === 1, 'the CLI to attach again')
  process.kill(await hungUp.pid(), 'SIGHUP')
  const second = await hungUp.ended()
  t.equal(second.rc, 128 + 1, 'SIGHUP: exit 129 as if killed by it')
  t.same(await hungUp.result(), { kind: 'interrupted', signal: 'SIGHUP' })
  t.equal(second.after, second.before)
  t.same(signals, [], 'nothing was sent to the container')
})
