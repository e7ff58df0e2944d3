#!/usr/bin/env node
// Memory of the per-container shim: N containers running (`run -d IMAGE
// sleep`), then the PSS of each shim from /proc/PID/smaps_rollup (PSS shares
// the pages common to all shims fairly). Side by side with podman's conmon
// for the same N. Issue 3's goal: ≤ 10 MB PSS per shim with 20 running.
//
//   node bench/shim-memory.mjs [--count N]
import { readFileSync } from 'node:fs'
import { benchEnvironment, mean, median } from './lib/compare.mjs'
import { execa } from 'execa'
import { numberOption } from './lib/options.mjs'

const count = numberOption('--count', 20)

function pssKiB(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
  const line = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN)
  return { pss: line('Pss'), rss: line('Rss') }
}

async function run(argv) {
  const r = await execa(argv[0], argv.slice(1), { reject: false })
  if (r.exitCode !== 0) throw new Error(`${argv.slice(-6).join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

function report(name, pids) {
  const m = pids.map(pssKiB)
  const pss = m.map(x => x.pss / 1024)
  const rss = m.map(x => x.rss / 1024)
  console.log(`${name.padEnd(22)} n=${pids.length}  PSS median ${median(pss).toFixed(2)} MB  mean ${mean(pss).toFixed(2)} MB  max ${Math.max(...pss).toFixed(2)} MB  (RSS median ${median(rss).toFixed(1)} MB)`)
  return median(pss)
}

const env = await benchEnvironment(['busybox'])
try {
  const [image] = env.images
  const { tspod, podman: pod } = env
  await run([...tspod, 'pull', '-q', image])
  await run([...pod, 'pull', '-q', image])

  for (let i = 0; i < count; i++) await run([...tspod, 'run', '-d', image, 'sleep', '600'])
  for (let i = 0; i < count; i++) await run([...pod, 'run', '-d', image, 'sleep', '600'])
  await new Promise(r => setTimeout(r, Number(process.env.BENCH_SETTLE_MS ?? 10_000))) // steady state: V8 shrinks an idle heap after a few seconds
  const shims = (await run([...tspod, 'ps', '-q', '--no-trunc'])).split('\n').filter(Boolean)
  const shimPids = []
  for (const id of shims) shimPids.push(Number(await run([...tspod, 'inspect', '--format', '{{.State.ConmonPid}}', id])))
  const conmonPids = (await run([...pod, 'ps', '-q', '--no-trunc'])).split('\n').filter(Boolean)
  const conmons = []
  for (const id of conmonPids) conmons.push(Number(await run([...pod, 'inspect', '--format', '{{.State.ConmonPid}}', id])))

  console.log(`\nper-container supervisor memory, ${count} containers running each`)
  const tspodPss = report('tspod shim (Node)', shimPids)
  report('podman conmon (C)', conmons)
  console.log(`\ntspod shim PSS median ${tspodPss.toFixed(2)} MB (goal ≤ 10 MB)`)
  await run([...tspod, 'rm', '-f', '-a', '-t', '0'])
} finally {
  await env.host.run()
}
