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
import { benchEnvironment, interleave, printTable, timeCommand } from './lib/compare.mjs'
import { numberOption } from './lib/options.mjs'

const rounds = numberOption('--rounds', 7)

async function quiet(argv) {
  const r = await execa(argv[0], argv.slice(1), { reject: false })
  if (r.exitCode !== 0) throw new Error(`${argv.slice(-4).join(' ')}: ${r.stderr}`)
}

const env = await benchEnvironment([])
try {
  const image = (await env.h.pushBigImage({ host: env.registry.host }, { repo: 'big', tag: 'latest' })).reference
  const { tspod, podman: pod } = env

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
  await env.host.run()
}
