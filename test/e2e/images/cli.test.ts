// Global flags before and after the command name, the default store paths,
// --log-level, `info` (YAML, JSON, templates) and `version`.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pushFixture } from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import { endPauseProcesses, makeStoreEnv, REPO_ROOT } from '../../harness/tspod.js'
import { assertOneLineError, ok, readImagesJson, subordinateStarts, tspod } from '../../harness/store-checks.js'

const reg = await withRegistry(t)
const busybox = await pushFixture(reg, 'busybox')
const id = busybox.built.images[0]!.configDigest.slice(7)
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version

t.test('--root and --runroot, before and after the command name', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const other = { root: join(env.base, 'other-root'), runroot: join(env.base, 'other-run') }
  env.beforeRemove(() => endPauseProcesses([other.runroot]))
  const paths = '{{.Store.GraphRoot}} {{.Store.RunRoot}}'
  const bare = { globalArgs: false }

  t.equal((await ok(t, env, ['--root', env.root, '--runroot', env.runroot, 'info', '--format', paths], bare)).stdout, `${env.root} ${env.runroot}\n`, 'before')
  t.equal((await ok(t, env, ['info', '--root', env.root, '--runroot', env.runroot, '--format', paths], bare)).stdout, `${env.root} ${env.runroot}\n`, 'after')
  t.equal((await ok(t, env, [`--root=${other.root}`, 'info', `--runroot=${other.runroot}`, '--format', paths], bare)).stdout, `${other.root} ${other.runroot}\n`, '--flag=value forms, mixed')
  t.equal(
    (await ok(t, env, ['info', '--format', paths], bare)).stdout,
    `${join(env.dataHome, 'tspod')} ${join(env.runtimeDir, 'tspod')}\n`,
    'defaults: $XDG_DATA_HOME/tspod and $XDG_RUNTIME_DIR/tspod',
  )

  // A pull into one store is seen there only.
  t.equal((await ok(t, env, ['pull', '-q', '--root', other.root, '--runroot', other.runroot, busybox.reference], bare)).stdout, `${id}\n`)
  t.equal((await ok(t, env, ['--root', other.root, '--runroot', other.runroot, 'images', '-q'], bare)).stdout, `${id.slice(0, 12)}\n`, 'the other store has it')
  t.equal((await ok(t, env, ['images', '-q'])).stdout, '', 'the test store does not')
  t.equal(readImagesJson(env).length, 0)
  t.equal((await ok(t, env, ['--root', other.root, '--runroot', other.runroot, 'info', '--format', '{{.Store.ImageStore.Number}}'], bare)).stdout, '1\n')

  const missing = await tspod(env, ['--root'], bare)
  assertOneLineError(t, missing, /flag needs an argument: --root/, '--root without a value')
})

t.test('--log-level', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const debug = await ok(t, env, ['--log-level', 'debug', 'pull', '-q', busybox.reference])
  t.equal(debug.stdout, `${id}\n`)
  t.match(debug.stderr, /^DEBU\[\d{4}\] /m, 'debug lines on stderr')
  const after = await ok(t, env, ['images', '-q', '--log-level=debug'])
  t.equal(after.stdout, `${id.slice(0, 12)}\n`, 'accepted after the command name too')
  t.equal((await ok(t, env, ['--log-level', 'error', 'images', '-q'])).stderr, '')
  for (const args of [['--log-level', 'bogus', 'images'], ['images', '--log-level', 'bogus']]) {
    const r = await tspod(env, args)
    assertOneLineError(t, r, /log-level "bogus" not supported, choose from trace, debug, info, warn, error, fatal, panic/, args.join(' '))
  }
})

t.test('info: YAML, JSON, templates', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  await ok(t, env, ['pull', '-q', busybox.reference])
  const sub = subordinateStarts()

  const yaml = (await ok(t, env, ['info'])).stdout
  t.match(yaml, /^host:\n/, 'YAML, host first')
  t.match(yaml, new RegExp(`\\n  graphRoot: ${env.root}\\n`), 'graphRoot')
  t.match(yaml, new RegExp(`\\n  runRoot: ${env.runroot}\\n`), 'runRoot')
  t.match(yaml, /\n  graphDriverName: overlay\n/)
  t.match(yaml, /\n  imageStore:\n    number: 1\n/)
  t.match(yaml, /\n    rootless: true\n/)
  t.match(yaml, /\nversion:\n/)

  const json = JSON.parse((await ok(t, env, ['info', '--format', 'json'])).stdout) as {
    host: { idMappings: { uidmap: { container_id: number; host_id: number; size: number }[] }; security: { rootless: boolean } }
    store: { graphRoot: string; runRoot: string; imageStore: { number: number } }
    version: { Version: string }
  }
  t.equal(json.store.graphRoot, env.root)
  t.equal(json.store.runRoot, env.runroot)
  t.equal(json.store.imageStore.number, 1)
  t.equal(json.host.security.rootless, true)
  t.same(json.host.idMappings.uidmap[0], { container_id: 0, host_id: process.getuid!(), size: 1 }, 'container root is the user')
  t.equal(json.host.idMappings.uidmap[1]?.container_id, 1)
  t.equal(json.host.idMappings.uidmap[1]?.host_id, sub.uid, 'then the subordinate range')
  t.equal(json.version.Version, VERSION)

  t.equal((await ok(t, env, ['system', 'info', '--format', '{{.Store.GraphRoot}}'])).stdout, `${env.root}\n`, 'system info, template')
  t.equal((await ok(t, env, ['info', '-f', '{{.Host.Security.Rootless}} {{.Store.GraphDriverName}}'])).stdout, 'true overlay\n')
  const bad = await tspod(env, ['info', '--format', '{{.NoSuchField}}'])
  t.equal(bad.exitCode, 125, 'a template naming an unknown field fails')
  t.match(bad.stderr, /^Error: /)
})

t.test('version', async t => {
  const env = await makeStoreEnv(t)
  const plain = (await ok(t, env, ['version'])).stdout
  t.match(plain, new RegExp(`^Client: +tspod\\nVersion: +${VERSION.replace(/\./g, '\\.')}\\n`), 'podman-style block')
  t.match(plain, /\nOS\/Arch: +linux\/\w+\n/)
  t.equal((await ok(t, env, ['version', '--format', '{{.Client.Version}}'])).stdout, `${VERSION}\n`)
  const json = JSON.parse((await ok(t, env, ['version', '--format', 'json'])).stdout) as { Client: { Version: string; OsArch: string } }
  t.equal(json.Client.Version, VERSION)
  t.equal((await ok(t, env, ['--version'])).stdout, `tspod version ${VERSION}\n`)
  t.equal((await ok(t, env, ['-v'])).stdout, `tspod version ${VERSION}\n`)
})
