// The completion scripts in real shells, against a store with real
// containers (one running, one exited): bash through its completion function
// (COMP_WORDS/COMP_CWORD) and interactively in tmux, zsh interactively in
// tmux (compinit, the script autoloaded from $fpath), fish through
// `complete -C` — static words (commands, options, fixed values) and names
// from `tspod __complete`, including a store named by --root on the line.
import t from 'tap'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { completionStore, SCRIPTS, shell, tmuxShell } from './helpers.js'

const store = await completionStore(t)
const { running, exited, image, env } = store

/** COMPREPLY for a line, the last word being the one completed. */
async function bashComplete(words: string[], shellEnv = store.shellEnv): Promise<string[]> {
  const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tspod; printf '%s\\n' "\${COMPREPLY[@]}"`
  const r = await shell('bash', ['--norc', '--noprofile', '-c', script, 'bash', SCRIPTS.bash, ...words], shellEnv)
  if (r.exitCode !== 0) throw new Error(`bash: ${r.stderr}`)
  return r.stdout.split('\n').filter(l => l !== '')
}

/** fish's candidates for a line (`complete -C`), the words without descriptions. */
async function fishComplete(line: string, shellEnv = store.shellEnv): Promise<string[]> {
  const r = await shell('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', SCRIPTS.fish, line], { ...shellEnv, XDG_DATA_HOME: join(env.base, 'fish-data'), XDG_CONFIG_HOME: join(env.base, 'fish-config') })
  if (r.exitCode !== 0) throw new Error(`fish: ${r.stderr}`)
  return r.stdout.split('\n').filter(l => l !== '').map(l => l.split('\t')[0]!)
}

t.test('bash: syntax, commands, options, values, containers, images', async t => {
  t.equal((await shell('bash', ['-n', SCRIPTS.bash], store.shellEnv)).exitCode, 0, 'bash -n')
  t.same(await bashComplete(['tspod', 'ru']), ['run'], 'tspod ru<TAB>')
  t.same(await bashComplete(['tspod', 'run', '--pu']), ['--pull'], 'tspod run --pu<TAB>')
  t.same(await bashComplete(['tspod', 'run', '--pull', '']), ['always', 'missing', 'never', 'newer'], 'tspod run --pull <TAB>')
  t.ok((await bashComplete(['tspod', 'image', ''])).includes('inspect'), 'tspod image <TAB> includes inspect')
  t.same(await bashComplete(['tspod', 'stop', '']), [running], 'tspod stop <TAB>: the running container')
  t.same(await bashComplete(['tspod', 'start', '']), [exited], 'tspod start <TAB>: the stopped one')
  t.same(await bashComplete(['tspod', 'rm', '']), [exited, running].sort(), 'tspod rm <TAB>: all of them')
  t.same(await bashComplete(['tspod', 'run', '-d', '']), [image], 'tspod run -d <TAB>: the image')
  t.same(await bashComplete(['tspod', 'run', image, '--pu']), [], 'after the image, words are the container\'s command')
  t.same(await bashComplete(['tspod', 'container', 'st']), ['start', 'stop'], 'group subcommands')
  t.same(await bashComplete(['tspod', '--log-level', 'de']), ['debug'], 'global option value')
  t.same(await bashComplete(['tspod', 'completion', '']), ['bash', 'zsh', 'fish'])
  t.same(await bashComplete(['tspod', 'rm', ''], store.bareShellEnv), [], 'a tspod without --root: the (empty) default store')
  t.same(await bashComplete(['tspod', '--root', env.root, 'rm', ''], store.bareShellEnv), [exited, running].sort(), '--root on the line is honoured')
  t.same(await bashComplete(['tspod', 'rm', '--root', env.root, ''], store.bareShellEnv), [exited, running].sort(), '--root after the command too')
  t.notOk((await bashComplete(['tspod', '_'])).length, '__complete is never offered')
})

t.test('bash, interactively: tspod ru<TAB> becomes tspod run', async t => {
  const term = await tmuxShell(t, ['bash', '--norc', '--noprofile'], { ...store.shellEnv, PS1: '$ ' })
  await term.type(`source ${SCRIPTS.bash}; PS1='ready> '`, 'Enter')
  await term.waitFor(/^ready>$/m)
  await term.type('tspod ru', 'Tab')
  await term.waitFor(/^ready> tspod run$/m)
  t.pass('completed in a terminal')
})

t.test('zsh: syntax, and completion in a terminal (compinit, autoloaded from $fpath)', async t => {
  t.equal((await shell('zsh', ['-n', SCRIPTS.zsh], store.shellEnv)).exitCode, 0, 'zsh -n')
  const fpath = join(env.base, 'zfunc')
  mkdirSync(fpath, { recursive: true })
  copyFileSync(SCRIPTS.zsh, join(fpath, '_tspod'))
  const term = await tmuxShell(t, ['zsh', '-f'], { ...store.shellEnv, HOME: env.home })
  await term.type(`fpath=(${fpath} $fpath); autoload -U compinit; compinit -u -D; PS1='ready> '`, 'Enter')
  await term.waitFor(/^ready>$/m)
  await term.type('tspod ru', 'Tab')
  await term.waitFor(/^ready> tspod run$/m)
  t.pass('tspod ru<TAB> → tspod run')
  await term.type('C-u', 'tspod stop ', 'Tab')
  await term.waitFor(new RegExp(`^ready> tspod stop ${running}$`, 'm'))
  t.pass('tspod stop <TAB> → the running container')
  await term.type('C-u', 'tspod run --pull ', 'Tab')
  await term.waitFor(/always +missing +never +newer/)
  t.pass('tspod run --pull <TAB> lists the policies')
})

t.test('fish: syntax, and complete -C', async t => {
  t.equal((await shell('fish', ['--no-config', '-n', SCRIPTS.fish], store.shellEnv)).exitCode, 0, 'fish -n')
  t.same(await fishComplete('tspod ru'), ['run'])
  t.same(await fishComplete('tspod run --pu'), ['--pull'])
  t.same(await fishComplete('tspod run --pull '), ['always', 'missing', 'never', 'newer'])
  t.ok((await fishComplete('tspod image ')).includes('inspect'), 'tspod image <TAB> includes inspect')
  t.same(await fishComplete('tspod stop '), [running], 'running containers')
  t.same(await fishComplete('tspod start '), [exited], 'stopped containers')
  t.same(await fishComplete('tspod rm '), [exited, running].sort(), 'all containers')
  t.same(await fishComplete('tspod image inspect '), [image], 'images')
  t.same(await fishComplete(`tspod --root ${env.root} rm `, store.bareShellEnv), [exited, running].sort(), '--root on the line is honoured')
  t.same(await fishComplete(`tspod run ${image} --pu`), [], 'after the image, words are the container\'s command')
})
