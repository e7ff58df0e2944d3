#!/usr/bin/env node
// `run --rm IMAGE true`, tspod against podman (runc, overlay, the same image
// from the same loopback registry), interleaved rounds, medians and ratio.
// Issue 3's goal: tspod's median ≤ 0.5× podman's.
//
//   node bench/run-latency.mjs [--rounds N] [--detached]
//
// --detached also times `run -d` + `rm -f` pairs. Run it as an unprivileged
// user after `npm run build`, on an otherwise idle machine.
import { importTs } from '../test/harness/import-ts.mjs'
import { cleanEnvArgv, interleave, printTable, teardownHost, timeCommand } from './lib/compare.mjs'

const args = process.argv.slice(2)
const rounds = Number(args[args.indexOf('--rounds') + 1] || 30) || 30
const h = await importTs('bench/lib/harness.ts')
const host = teardownHost()
try {
  const registry = await h.startRegistry()
  host.teardown(() => registry.stop())
  const image = (await h.pushFixture(registry, 'busybox')).reference
  const store = await h.makeStoreEnv(host, { registries: [registry] })
  const podman = await h.makePodmanEnv(store)

  const tspod = [...cleanEnvArgv(store.env), process.execPath, '--', h.TSPOD_CLI, ...store.globalArgs]
  const pod = [...cleanEnvArgv(podman.env), 'podman', ...podman.globalArgs]
  for (const argv of [tspod, pod]) await timeCommand([...argv, 'pull', '-q', image])

  const result = await interleave(
    [
      { name: 'podman run --rm true', run: () => timeCommand([...pod, 'run', '--rm', image, 'true']) },
      { name: 'tspod run --rm true', run: () => timeCommand([...tspod, 'run', '--rm', image, 'true']) },
    ],
    { rounds, warmup: 2 },
  )
  printTable(`run --rm ${image} true — ${rounds} interleaved rounds`, result)
  const ratio = result.rows[1].ratio
  console.log(`\ntspod/podman median ratio: ${ratio.toFixed(2)} (goal ≤ 0.50)`)
} finally {
  await host.run()
}
