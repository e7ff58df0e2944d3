#!/usr/bin/env node
// `run --rm IMAGE true`, tspod against podman (runc, overlay, the same image
// from the same loopback registry), interleaved rounds, medians and ratio.
// Issue 3's goal: tspod's median ≤ 0.5× podman's.
//
//   node bench/run-latency.mjs [--rounds N] [--detached]
//
// --detached also times `run -d` + `rm -f` pairs. Run it as an unprivileged
// user after `npm run build`, on an otherwise idle machine.
import { benchEnvironment, interleave, printTable, timeCommand } from './lib/compare.mjs'
import { numberOption } from './lib/options.mjs'

const rounds = numberOption('--rounds', 30)
const env = await benchEnvironment(['busybox'])
try {
  const [image] = env.images
  const { tspod, podman: pod } = env
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

  if (process.argv.includes('--detached')) {
    // A service's start and removal: `run -d` returns once the container runs; `rm -f` kills and removes it.
    let n = 0
    const pair = async argv => {
      const name = `bench-detached-${process.pid}-${n++}`
      return (await timeCommand([...argv, 'run', '-d', '--name', name, image, 'sleep', '600'])) + (await timeCommand([...argv, 'rm', '-f', '-t', '0', name]))
    }
    const detached = await interleave(
      [
        { name: 'podman run -d + rm -f', run: () => pair(pod) },
        { name: 'tspod run -d + rm -f', run: () => pair(tspod) },
      ],
      { rounds, warmup: 2 },
    )
    printTable(`run -d ${image} sleep 600, then rm -f -t 0 — ${rounds} interleaved rounds`, detached)
  }
} finally {
  await env.host.run()
}
