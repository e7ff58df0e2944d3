#!/usr/bin/env node
// `pull` of the ≥100 MiB, 5-layer benchmark image (bench/lib/big-image.ts)
// from a loopback registry into an empty store: tspod, podman (overlay) and
// `skopeo copy` to a directory, interleaved rounds, medians and ratios.
// Issue 2's goal: tspod ≤ 0.8× podman's time.
//
//   node bench/pull.mjs [--rounds N]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { importTs } from '../test/harness/import-ts.mjs'
import { cleanEnvArgv, interleave, printTable, teardownHost, timeCommand } from './lib/compare.mjs'

const args = process.argv.slice(2)
const rounds = Number(args[args.indexOf('--rounds') + 1] || 7) || 7
const h = await importTs('bench/lib/harness.ts')
const host = teardownHost()

async function quiet(argv) {
  const r = await execa(argv[0], argv.slice(1), { reject: false })
  if (r.exitCode !== 0) throw new Error(`${argv.slice(-4).join(' ')}: ${r.stderr}`)
}

try {
  const registry = await h.startRegistry()
  host.teardown(() => registry.stop())
  const image = (await h.pushBigImage({ host: registry.host }, { repo: 'big', tag: 'latest' })).reference
  const store = await h.makeStoreEnv(host, { registries: [registry] })
  const podman = await h.makePodmanEnv(store)
  const tspod = [...cleanEnvArgv(store.env), process.execPath, '--', h.TSPOD_CLI, ...store.globalArgs]
  const pod = [...cleanEnvArgv(podman.env), 'podman', ...podman.globalArgs]

  // Each timed pull starts from an empty store: the previous copy is removed (untimed) first.
  const timed = async (reset, argv) => {
    await reset()
    return timeCommand(argv)
  }
  const contenders = [
    {
      name: 'podman pull',
      run: () => timed(() => quiet([...pod, 'rmi', '-a', '-f']), [...pod, 'pull', '-q', image]),
    },
    {
      name: 'tspod pull',
      run: () => timed(() => quiet([...tspod, 'rmi', '-a', '-f']), [...tspod, 'pull', '-q', image]),
    },
  ]
  const skopeo = await execa('skopeo', ['--version'], { reject: false })
  if (skopeo.exitCode === 0) {
    contenders.push({
      name: 'skopeo copy (to dir:)',
      run: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'bench-skopeo-'))
        try {
          return await timeCommand(['skopeo', 'copy', '-q', '--src-tls-verify=false', `docker://${image}`, `dir:${dir}`])
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
    })
  }
  const result = await interleave(contenders, { rounds, warmup: 1 })
  printTable(`pull ${image} (5 layers, 105 MiB) into an empty store — ${rounds} interleaved rounds`, result)
  console.log(`\ntspod/podman median ratio: ${result.rows[1].ratio.toFixed(2)} (goal ≤ 0.80)`)
} finally {
  await host.run()
}
