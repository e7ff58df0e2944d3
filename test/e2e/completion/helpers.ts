/**
 * Shared by the completion tests: a store with real containers (one running,
 * one exited) and a `tspod` on PATH that runs the built CLI on that store, as
 * the completion scripts call it; shells run with exactly that environment.
 */
import { execa } from 'execa'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TeardownHost } from '../../harness/registry.js'
import { REPO_ROOT, TSPOD_CLI, type StoreEnv } from '../../harness/tspod.js'
import { storeWith, tspod, withImages } from '../containers/helpers.js'

export const SCRIPTS = {
  bash: join(REPO_ROOT, 'completions/tspod.bash'),
  zsh: join(REPO_ROOT, 'completions/_tspod'),
  fish: join(REPO_ROOT, 'completions/tspod.fish'),
}

const sq = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

export interface CompletionStore {
  env: StoreEnv
  image: string
  running: string
  exited: string
  /** Environment for a shell: PATH starts with the wrapper's directory. */
  shellEnv: Record<string, string>
  /** As shellEnv, but its `tspod` names no store: the line's --root must. */
  bareShellEnv: Record<string, string>
}

/** A `tspod` script in `dir` running the built CLI with the store's environment (and `globals`). */
function writeWrapper(dir: string, env: StoreEnv, globals: readonly string[]): void {
  mkdirSync(dir, { recursive: true })
  const vars = Object.entries(env.env).map(([k, v]) => sq(`${k}=${v}`))
  const argv = ['exec', 'env', '-i', ...vars, sq(process.execPath), '--', sq(TSPOD_CLI), ...globals.map(sq), '"$@"']
  writeFileSync(join(dir, 'tspod'), `#!/bin/sh\n${argv.join(' ')}\n`)
  chmodSync(join(dir, 'tspod'), 0o755)
}

/** Setup at the top of a file runs outside any test: failures throw instead of asserting. */
async function must(env: StoreEnv, args: readonly string[]): Promise<void> {
  const r = await tspod(env, args)
  if (r.exitCode !== 0) throw new Error(`tspod ${args.join(' ')}: ${r.stderr}`)
}

export async function completionStore(t: TeardownHost): Promise<CompletionStore> {
  const images = await withImages(t)
  const env = await storeWith(t, images)
  const image = images.busybox.reference
  await must(env, ['run', '-d', '--name', 'web-running', image, 'sleep', '600'])
  await must(env, ['run', '--name', 'job-exited', image, 'true'])
  const bin = join(env.base, 'completion-bin')
  const bareBin = join(env.base, 'completion-bin-bare')
  writeWrapper(bin, env, env.globalArgs)
  // No --root: the default store of this HOME is empty, so only a --root on the line finds the containers.
  writeWrapper(bareBin, { ...env, env: { ...env.env, XDG_DATA_HOME: join(env.base, 'empty-data') } }, [])
  const shell = (dir: string) => ({ ...env.env, PATH: `${dir}:${env.env.PATH}`, TERM: 'xterm', SHELL: '/bin/sh' })
  return { env, image, running: 'web-running', exited: 'job-exited', shellEnv: shell(bin), bareShellEnv: shell(bareBin) }
}

/** Runs a shell tool (bash, zsh, fish, tmux): a missing one fails the test naming it. */
export async function shell(tool: string, args: readonly string[], env: Record<string, string>, input?: string) {
  const r = await execa(tool, args, { env, extendEnv: false, reject: false, input, timeout: 60_000 })
  if ((r as { code?: string }).code === 'ENOENT') throw new Error(`${tool} is not installed (needed to test its completion; Debian package ${tool})`)
  return r
}

/**
 * An interactive shell in a private tmux server: `type` sends keys, `screen`
 * polls the pane until `until` matches (or fails after `timeoutMs` with what
 * the pane showed). Killed at teardown.
 */
export async function tmuxShell(t: TeardownHost, argv: readonly string[], env: Record<string, string>) {
  const socket = `tspod-completion-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  const tmux = (args: readonly string[]) => shell('tmux', ['-L', socket, '-f', '/dev/null', ...args], env)
  const started = await tmux(['new-session', '-d', '-x', '200', '-y', '50', '-s', 'c', ...argv])
  if (started.exitCode !== 0) throw new Error(`tmux new-session: ${started.stderr}`)
  t.teardown(async () => void (await tmux(['kill-server'])))
  const screen = async () => (await tmux(['capture-pane', '-p', '-t', 'c'])).stdout
  return {
    type: async (...keys: string[]) => void (await tmux(['send-keys', '-t', 'c', ...keys])),
    screen,
    async waitFor(until: RegExp, timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs
      let text = ''
      while (Date.now() < deadline) {
        text = await screen()
        if (until.test(text)) return text
        await new Promise(r => setTimeout(r, 100))
      }
      throw new Error(`the terminal never showed ${until}; it showed:\n${text}`)
    },
  }
}
