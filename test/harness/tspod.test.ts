import t from 'tap'
import { existsSync, statSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'smol-toml'
import { withRegistry } from './registry.js'
import { makeTempDir, removeDir } from './tools.js'
import { makeStoreEnv, runTspod, REPO_ROOT, TSPOD_CLI, type StoreEnv } from './tspod.js'
import { hostIdMapper, removeTreeAsMappedRoot, runInUserNamespace, subordinateRanges } from './userns.js'

/** A stand-in CLI that reports what it was given. */
const ECHO_CLI = `
import { readFileSync } from 'node:fs'
const input = (() => { try { return readFileSync(0, 'utf8') } catch { return null } })()
process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), input }))
process.stderr.write('to stderr\\n')
if (process.argv.includes('hang')) setInterval(() => {}, 1000)
else if (process.argv.includes('die')) process.kill(process.pid, 'SIGTERM')
else process.exitCode = Number(process.env.EXIT_WITH ?? 0)
`

async function echoCli(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await makeTempDir('echo-cli')
  t.teardown(() => removeDir(dir))
  const path = join(dir, 'cli.mjs')
  await writeFile(path, ECHO_CLI)
  return path
}

/** Files owned by subordinate ids, as a container would leave them. */
async function populateLikeAContainer(dir: string): Promise<void> {
  await runInUserNamespace([
    '/bin/sh', '-c',
    `set -e; mkdir -p "$1/app/private"; echo secret > "$1/app/private/f"; chown -R 1000:1000 "$1/app"; chmod 700 "$1/app/private"; ` +
      `mkdir "$1/nobody"; touch "$1/nobody/x"; chown -R 65534:65534 "$1/nobody"; chmod 500 "$1/nobody"`,
    'sh', dir,
  ])
}

t.test('the repository root and CLI path', async t => {
  t.ok(existsSync(join(REPO_ROOT, 'package.json')))
  t.equal(TSPOD_CLI, join(REPO_ROOT, 'dist/tspod.cjs'))
})

t.test('runInUserNamespace maps the subordinate range', async t => {
  const uids = subordinateRanges('uid')
  t.ok(uids.length > 0, 'the test user has a subuid range')
  const { stdout } = await runInUserNamespace(['/bin/sh', '-c', 'id -u; cat /proc/self/uid_map'])
  const [uid, ...map] = stdout.trim().split('\n')
  t.equal(uid, '0', 'root inside')
  t.equal(map.length, 1 + uids.length, 'own id plus every subordinate range mapped')
  t.match(map[1]!.trim().split(/\s+/), ['1', String(uids[0]!.start), String(uids[0]!.count)])
  const { stdout: echoed } = await runInUserNamespace(['cat'], { input: 'through stdin' })
  t.equal(echoed, 'through stdin')
  await t.rejects(runInUserNamespace(['/bin/sh', '-c', 'echo oops >&2; exit 3']), /exit status 3[\s\S]*oops/)
})

t.test('removeTreeAsMappedRoot removes what the user cannot', async t => {
  const dir = await makeTempDir('userns-rm')
  t.teardown(() => removeTreeAsMappedRoot(dir))
  await populateLikeAContainer(dir)
  const ids = hostIdMapper()
  t.equal(statSync(join(dir, 'app')).uid, ids.uid(1000), 'owned by a subordinate uid on the host')
  t.equal(statSync(join(dir, 'nobody')).gid, ids.gid(65534))
  await t.rejects(rm(dir, { recursive: true }), { code: 'EACCES' }, 'plain rm fails')
  await removeTreeAsMappedRoot(dir)
  t.notOk(existsSync(dir), 'gone')
  await removeTreeAsMappedRoot(dir)
  t.pass('removing again is a no-op')
})

t.test('makeStoreEnv: isolated dirs, registries.conf, auth file; removed at teardown', async t => {
  const reg = await withRegistry(t, { auth: 'basic' })
  let env: StoreEnv | undefined
  await t.test('inner', async t => {
    env = await makeStoreEnv(t, { registries: [reg, '127.0.0.1:1'], login: true })
    for (const dir of [env.root, env.runroot, env.home, env.runtimeDir, env.tmpDir, env.configHome, env.dataHome]) {
      t.ok(statSync(dir).isDirectory(), `${dir} exists`)
      t.ok(dir.startsWith(env.base))
    }
    t.equal(statSync(env.runtimeDir).mode & 0o777, 0o700)
    t.same(env.globalArgs, ['--root', env.root, '--runroot', env.runroot])
    t.equal(env.env.CONTAINERS_REGISTRIES_CONF, env.registriesConf)
    t.equal(env.env.REGISTRY_AUTH_FILE, env.authFile)
    t.equal(env.env.XDG_RUNTIME_DIR, env.runtimeDir)
    t.equal(env.env.HOME, env.home)

    const conf = parse(await readFile(env.registriesConf, 'utf8')) as { registry: { location: string; insecure: boolean }[]; 'unqualified-search-registries': string[] }
    t.same(conf.registry, [{ location: reg.host, insecure: true }, { location: '127.0.0.1:1', insecure: true }])
    t.same(conf['unqualified-search-registries'], [])
    const auth = JSON.parse(await readFile(env.authFile, 'utf8')) as { auths: Record<string, { auth: string }> }
    t.same(Object.keys(auth.auths), [reg.host])
    t.equal(Buffer.from(auth.auths[reg.host]!.auth, 'base64').toString(), 'tspod:tspod-secret')

    env.addRegistry('example.test:5000', { search: true, insecure: false })
    env.setCredentials(reg.host, null)
    const conf2 = parse(await readFile(env.registriesConf, 'utf8')) as typeof conf
    t.same(conf2['unqualified-search-registries'], ['example.test:5000'])
    t.equal(conf2.registry.length, 3)
    t.same(JSON.parse(await readFile(env.authFile, 'utf8')).auths, {})
    t.throws(() => env!.addRegistry('no-creds.test', { login: true }), /no credentials/)

    await populateLikeAContainer(env.root)
  })
  t.notOk(existsSync(env!.base), 'the whole store, subordinate-owned files included, is gone after teardown')
})

t.test('runTspod: argv, isolated environment, stdin, exit status', async t => {
  const env = await makeStoreEnv(t)
  const cli = await echoCli(t)
  const r = await runTspod(['pull', 'x'], { env, cli, input: 'hello' })
  t.equal(r.exitCode, 0)
  t.equal(r.stderr, 'to stderr\n')
  const seen = JSON.parse(r.stdout) as { argv: string[]; env: Record<string, string>; cwd: string; input: string }
  t.same(seen.argv, ['--root', env.root, '--runroot', env.runroot, 'pull', 'x'])
  t.equal(seen.input, 'hello')
  t.equal(seen.cwd, env.base)
  t.equal(seen.env.HOME, env.home)
  t.equal(seen.env.CONTAINERS_REGISTRIES_CONF, env.registriesConf)
  t.equal(seen.env.REGISTRY_AUTH_FILE, env.authFile)
  t.same(Object.keys(seen.env).sort(), Object.keys(env.env).sort(), 'exactly the StoreEnv variables (no NODE_OPTIONS, no tap variables)')
  t.same(r.command.slice(1), ['--', cli, ...env.globalArgs, 'pull', 'x'], 'node -- CLI ...: a script argument is never a node option')

  const bare = await runTspod(['version'], { env, cli, globalArgs: false, extraEnv: { EXIT_WITH: '125' } })
  t.equal(bare.exitCode, 125)
  t.same((JSON.parse(bare.stdout) as { argv: string[] }).argv, ['version'])
  t.equal((JSON.parse(bare.stdout) as { input: string }).input, '', 'stdin empty by default')

  const killed = await runTspod(['die'], { env, cli })
  t.equal(killed.exitCode, 143, '128 + SIGTERM')
  t.equal(killed.signal, 'SIGTERM')

  await t.rejects(runTspod(['hang'], { env, cli, timeoutMs: 300 }), /timed out/)
  await t.rejects(runTspod(['version'], { env, cli: join(env.base, 'missing.mjs') }), /tspod is not built/)
})
