#!/usr/bin/env node
// A local registry for the README demo (`npm run registry`):
//
//   node scripts/local-registry.mjs           start (or reuse) it, seed busybox, print the image reference
//   node scripts/local-registry.mjs --stop    stop it (data is kept)
//   node scripts/local-registry.mjs --purge   stop it and delete its data
//
// docker-registry listens on 127.0.0.1:5000 (another free port if 5000 is
// taken); data, config, log and pid live in ~/.local/share/tspod-demo/. The
// `busybox` image is built from /bin/busybox by the test fixtures' builder
// (GNU tar + umoci) and pushed with skopeo. A `[[registry]]` entry marking the
// registry insecure (plain HTTP) is appended to
// ~/.config/containers/registries.conf unless one is there already; an
// existing file is never rewritten. The image reference is the only line on
// stdout; progress goes to stderr.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'smol-toml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dataHome = process.env.XDG_DATA_HOME || join(homedir(), '.local/share')
const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config')
const state = join(dataHome, 'tspod-demo')
const paths = {
  data: join(state, 'registry'),
  config: join(state, 'config.yml'),
  log: join(state, 'registry.log'),
  pid: join(state, 'registry.pid'),
  port: join(state, 'registry.port'),
  registriesConf: join(configHome, 'containers/registries.conf'),
}
const say = msg => process.stderr.write(`local-registry: ${msg}\n`)
const fail = msg => {
  say(msg)
  process.exit(1)
}

function runningPid() {
  if (!existsSync(paths.pid)) return null
  const pid = Number(readFileSync(paths.pid, 'utf8').trim())
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return cmdline.includes('docker-registry') ? pid : null
  } catch {
    return null
  }
}

async function answers(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v2/`)
    await res.arrayBuffer()
    return res.status === 200
  } catch {
    return false
  }
}

function portFree(port) {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function stop(purge) {
  const pid = runningPid()
  if (pid) {
    process.kill(pid, 'SIGTERM')
    const deadline = Date.now() + 10_000
    while (runningPid() && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
    if (runningPid()) process.kill(pid, 'SIGKILL')
    say(`stopped docker-registry (pid ${pid})`)
  } else {
    say('not running')
  }
  rmSync(paths.pid, { force: true })
  if (purge) {
    rmSync(state, { recursive: true, force: true })
    say(`removed ${state}`)
  }
}

async function start() {
  mkdirSync(paths.data, { recursive: true })
  let pid = runningPid()
  let port = existsSync(paths.port) ? Number(readFileSync(paths.port, 'utf8').trim()) : 0
  if (pid && port && (await answers(port))) {
    say(`already running on 127.0.0.1:${port} (pid ${pid})`)
    return port
  }
  if (pid) await stop(false)
  if (!existsSync('/usr/bin/docker-registry') && !process.env.PATH?.split(':').some(d => existsSync(join(d, 'docker-registry')))) {
    fail("docker-registry is not installed (Debian package: docker-registry)")
  }
  port = (await portFree(5000)) ? 5000 : await anyFreePort()
  if (port !== 5000) say(`port 5000 is taken; using ${port}`)
  writeFileSync(
    paths.config,
    [
      'version: 0.1',
      'log: { level: info, formatter: text }',
      'storage:',
      `  filesystem: { rootdirectory: ${JSON.stringify(paths.data)} }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  )
  const log = openSync(paths.log, 'a')
  const child = spawn('docker-registry', ['serve', paths.config], { detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  let exited = null
  child.on('exit', code => (exited = code))
  child.unref()
  const deadline = Date.now() + 20_000
  while (!(await answers(port))) {
    if (exited !== null) fail(`docker-registry exited (status ${exited}); see ${paths.log}`)
    if (Date.now() > deadline) fail(`docker-registry did not answer on 127.0.0.1:${port}; see ${paths.log}`)
    await new Promise(r => setTimeout(r, 50))
  }
  writeFileSync(paths.pid, `${child.pid}\n`)
  writeFileSync(paths.port, `${port}\n`)
  say(`docker-registry listening on 127.0.0.1:${port} (pid ${child.pid}, data in ${paths.data})`)
  return port
}

/** Appends an insecure [[registry]] entry for `host` unless the file already has one. */
function ensureRegistriesConf(host) {
  const entry = `\n# Added by tspod scripts/local-registry.mjs: the demo registry speaks plain HTTP.\n[[registry]]\nlocation = ${JSON.stringify(host)}\ninsecure = true\n`
  const instructions = `add this to ${paths.registriesConf} yourself:\n${entry}`
  if (!existsSync(paths.registriesConf)) {
    mkdirSync(dirname(paths.registriesConf), { recursive: true })
    writeFileSync(paths.registriesConf, entry.trimStart())
    say(`created ${paths.registriesConf} with an insecure entry for ${host}`)
    return
  }
  const text = readFileSync(paths.registriesConf, 'utf8')
  let parsed
  try {
    parsed = parse(text)
  } catch (err) {
    say(`${paths.registriesConf} is not valid TOML (${err.message}); not touching it. ${instructions}`)
    return
  }
  if (parsed.registries !== undefined) {
    say(`${paths.registriesConf} uses the old v1 format (cannot mix with [[registry]]); not touching it. ${instructions}`)
    return
  }
  const existing = Array.isArray(parsed.registry) ? parsed.registry : []
  const mine = existing.find(r => r.location === host || r.prefix === host)
  if (mine) {
    if (mine.insecure !== true) say(`${paths.registriesConf} has an entry for ${host} without insecure = true; pulls over plain HTTP will fail`)
    return
  }
  const next = text + (text.endsWith('\n') || text === '' ? '' : '\n') + entry
  try {
    parse(next)
  } catch (err) {
    say(`appending would make ${paths.registriesConf} invalid (${err.message}); not touching it. ${instructions}`)
    return
  }
  appendFileSync(paths.registriesConf, next.slice(text.length))
  say(`added an insecure entry for ${host} to ${paths.registriesConf}`)
}

async function seed(port) {
  const { importTs } = await import(join(root, 'test/harness/import-ts.mjs'))
  const { pushFixture } = await importTs('test/harness/fixtures.ts')
  const pushed = await pushFixture({ host: `127.0.0.1:${port}` }, 'busybox', { repo: 'busybox', tag: 'latest' })
  say(`pushed busybox (${pushed.digest})`)
  return pushed.reference
}

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: node scripts/local-registry.mjs [--stop | --purge]\n')
} else if (args.includes('--stop') || args.includes('--purge')) {
  await stop(args.includes('--purge'))
} else if (args.length) {
  fail(`unknown argument ${args[0]} (try --help)`)
} else {
  const port = await start()
  const reference = await seed(port)
  ensureRegistriesConf(`127.0.0.1:${port}`)
  process.stdout.write(`${reference}\n`)
}
