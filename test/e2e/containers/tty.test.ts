// `-it` through a real terminal: tspod runs in a tmux pane (tmux is the
// terminal), as a user would type it. The container gets a pty of its own
// with the pane's size, resizes follow, ctrl-p ctrl-q detaches leaving it
// running, `attach` and `exec -it` work on it, and the user's terminal mode
// is what it was once tspod exits.
import t from 'tap'
import { execa } from 'execa'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { requireTools } from '../../harness/tools.js'
import { TSPOD_CLI, type StoreEnv } from '../../harness/tspod.js'
import { existsSync, inspect, ok, psStates, storeWith, waitFor, withImages } from './helpers.js'

requireTools('tmux')
const images = await withImages(t)
const env = await storeWith(t, images)
const busybox = images.busybox.reference

/** The file is there with its whole line (the shell creates it before stty writes). */
const written = (path: string) => existsSync(path) && readFileSync(path, 'utf8').endsWith('\n')

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

/** The shell command line running the built CLI with the store's environment (as runTspod does). */
function cliLine(e: StoreEnv, args: string[]): string {
  const vars = Object.entries(e.env).map(([k, v]) => quote(`${k}=${v}`))
  return ['env', '-i', ...vars, quote(process.execPath), '--', quote(TSPOD_CLI), ...e.globalArgs.map(quote), ...args.map(quote)].join(' ')
}

/** A tmux server of our own (its socket in the store's temp dir), ended at teardown. */
function tmuxServer(t: { teardown(fn: () => unknown): void }, e: StoreEnv) {
  const socket = join(e.tmpDir, 'tmux.sock')
  const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', '/dev/null', ...args], { env: { TERM: 'xterm-256color' }, extendEnv: true })
  t.teardown(() => tmux('kill-server').catch(() => {}))
  return {
    tmux,
    /** Opens a window of COLSxROWS running `sh -c SCRIPT`; its name is `name`. */
    async open(name: string, script: string, cols = 100, rows = 30) {
      if (!(await tmux('has-session', '-t', 'tspod').then(() => true, () => false))) {
        await tmux('new-session', '-d', '-s', 'tspod', '-x', String(cols), '-y', String(rows), '-n', name, 'sh', '-c', script)
      } else {
        await tmux('new-window', '-t', 'tspod', '-n', name, 'sh', '-c', script)
        await tmux('resize-window', '-t', `tspod:${name}`, '-x', String(cols), '-y', String(rows))
      }
    },
    async screen(name: string): Promise<string> {
      return (await tmux('capture-pane', '-p', '-t', `tspod:${name}`)).stdout
    },
    async type(name: string, text: string) {
      await tmux('send-keys', '-t', `tspod:${name}`, '-l', text)
      await tmux('send-keys', '-t', `tspod:${name}`, 'Enter')
    },
    async keys(name: string, ...keys: string[]) {
      await tmux('send-keys', '-t', `tspod:${name}`, ...keys)
    },
    async resize(name: string, cols: number, rows: number) {
      await tmux('resize-window', '-t', `tspod:${name}`, '-x', String(cols), '-y', String(rows))
    },
    /**
     * Types `command` until its output matches (a resize reaches the pty
     * asynchronously: a command typed right after it may still see the old size).
     */
    async retype(name: string, command: string, re: RegExp, what: string): Promise<void> {
      for (let i = 0; ; i++) {
        await this.type(name, `clear; ${command}`)
        try {
          await waitFor(what, async () => re.test(await this.screen(name)), 1000)
          return
        } catch (err) {
          if (i === 10) throw new Error(`${(err as Error).message}; the screen shows:\n${await this.screen(name)}`)
        }
      }
    },
    /** Until the screen matches; returns the match. */
    async expect(name: string, re: RegExp, what: string): Promise<RegExpMatchArray> {
      let m: RegExpMatchArray | null = null
      let last = ''
      try {
        await waitFor(what, async () => {
          last = await this.screen(name)
          m = last.match(re)
          return m !== null
        }, 15_000)
      } catch (err) {
        throw new Error(`${(err as Error).message}; the screen shows:\n${last}`)
      }
      return m!
    },
  }
}

/**
 * The pane's script: note the terminal mode, run tspod, print its exit
 * status, note the mode again, and stay (so the screen can be read).
 */
function paneScript(e: StoreEnv, name: string, args: string[]): { script: string; before: string; after: string } {
  const before = join(e.tmpDir, `${name}.stty-before`)
  const after = join(e.tmpDir, `${name}.stty-after`)
  const script = `stty -g > ${quote(before)}; ${cliLine(e, args)}; echo "EXIT=$?"; stty -g > ${quote(after)}; exec sleep 600`
  return { script, before, after }
}

t.test('run -it, resize, detach; attach; exec -it', async t => {
  const term = tmuxServer(t, env)

  const run = paneScript(env, 'run', ['run', '-it', '--name', 'shell', busybox, 'sh'])
  await term.open('run', run.script, 100, 30)
  await term.expect('run', /^\/ #\s*$/m, 'the shell prompt')
  await term.type('run', 'tty; stty size; echo "TERM=$TERM"')
  const [, pts] = await term.expect('run', /^(\/dev\/pts\/\d+)\s*\n30 100\s*\nTERM=xterm/m, 'tty and stty size')
  t.match(pts, /^\/dev\/pts\/\d+$/, `the container's stdin is a pty (${pts})`)
  t.pass('stty size inside is the pane size: 30 rows, 100 columns')

  await term.resize('run', 120, 40)
  await term.retype('run', 'stty size', /^40 120\s*$/m, 'the new size inside')
  t.pass('a resize of the terminal reaches the container')

  await term.type('run', 'echo typed-before-detach')
  await term.keys('run', 'C-p', 'C-q')
  await term.expect('run', /^EXIT=0\s*$/m, 'tspod to exit after ctrl-p ctrl-q')
  t.pass('ctrl-p ctrl-q detached, tspod exited 0')
  await waitFor('the mode after to be written', () => written(run.after))
  t.equal(readFileSync(run.after, 'utf8'), readFileSync(run.before, 'utf8'), 'the terminal mode is restored (stty -g before = after)')
  t.equal((await psStates(t, env)).shell, 'running', 'the container keeps running')
  t.match((await ok(t, env, ['logs', 'shell'])).stdout, /typed-before-detach/, 'what was typed is in its log')

  const ex = paneScript(env, 'exec', ['exec', '-it', 'shell', 'sh'])
  await term.open('exec', ex.script, 90, 25)
  await term.expect('exec', /^\/ #\s*$/m, 'the exec shell prompt')
  await term.type('exec', 'tty; stty size')
  const [, execPts] = await term.expect('exec', /^(\/dev\/pts\/\d+)\s*\n25 90\s*$/m, 'exec -it: tty and stty size')
  t.not(execPts, pts, `exec -it has a pty of its own (${execPts})`)
  await term.resize('exec', 70, 20)
  await term.retype('exec', 'stty size', /^20 70\s*$/m, 'exec -it: the new size inside')
  await term.type('exec', 'exit 3')
  await term.expect('exec', /^EXIT=3\s*$/m, 'exec -it to end with the exit status of its process')
  await waitFor('the mode after exec', () => written(ex.after))
  t.equal(readFileSync(ex.after, 'utf8'), readFileSync(ex.before, 'utf8'), 'exec -it restores the terminal mode')

  const at = paneScript(env, 'attach', ['attach', 'shell'])
  await term.open('attach', at.script, 80, 24)
  await term.type('attach', 'echo "attached $((6*7))"')
  await term.expect('attach', /^attached 42\s*$/m, 'attach: typing reaches the container')
  await term.type('attach', 'stty size')
  await term.expect('attach', /^24 80\s*$/m, 'attach: the size of the attached terminal')
  await term.type('attach', 'exit 9')
  await term.expect('attach', /^EXIT=9\s*$/m, "attach ends with the container's exit status")
  await waitFor('the mode after attach', () => written(at.after))
  t.equal(readFileSync(at.after, 'utf8'), readFileSync(at.before, 'utf8'), 'attach restores the terminal mode')
  const c = await inspect(t, env, 'shell')
  t.equal(c.State.Status, 'exited')
  t.equal(c.State.ExitCode, 9)
  await ok(t, env, ['rm', 'shell'])
})

t.test('run --rm -it: the exit status, and the mode restored', async t => {
  const term = tmuxServer(t, env)
  const run = paneScript(env, 'rm', ['run', '--rm', '-it', busybox, 'sh', '-c', 'read line; echo "got $line"; exit 4'])
  await term.open('rm', run.script)
  await waitFor('the container to run', async () => Object.values(await psStates(t, env)).includes('running'))
  await term.type('rm', 'hello')
  await term.expect('rm', /^got hello\s*\nEXIT=4\s*$/m, 'the line echoed, then exit 4')
  await waitFor('the mode after', () => written(run.after))
  t.equal(readFileSync(run.after, 'utf8'), readFileSync(run.before, 'utf8'), 'the terminal mode is restored')
  t.same(await psStates(t, env), {}, '--rm removed it')
})
