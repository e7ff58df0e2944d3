#!/usr/bin/env node
// How long a shell waits on TAB for names: `tspod __complete containers all`
// (and `running`, and `images`) over a temp store holding N containers'
// records (container.json + state.json, mixed states) and an images.json,
// run as the completion scripts run it (node -- bin/tspod --root STORE ...).
// Median of hyperfine's runs (warm-up first, so the code cache is in
// place); an interleaved loop of our own when hyperfine is missing.
// Target: median below 150 ms.
//
//   node bench/completion.mjs [--containers N] [--runs N]
//
// Run it as an unprivileged user after `npm run build`, on an idle machine.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { numberOption } from './lib/options.mjs'

const containers = numberOption('--containers', 100)
const runs = numberOption('--runs', 30)
const TARGET_MS = 150

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const base = mkdtempSync(join(tmpdir(), 'tspod-bench-completion-'))
const root = join(base, 'root')
const statuses = ['running', 'exited', 'created', 'running', 'exited']
for (let i = 0; i < containers; i++) {
  const id = createHash('sha256').update(`bench-${i}`).digest('hex')
  const dir = join(root, 'containers', id)
  mkdirSync(dir, { recursive: true })
  // Records the size of real ones: the image config and run options make up most of them.
  const record = { id, name: `bench-${i}`, created: new Date().toISOString(), imageName: 'docker.io/library/busybox:latest', imageConfig: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['sh'] }, runOptions: { padding: 'x'.repeat(2000) }, labels: { n: String(i) } }
  writeFileSync(join(dir, 'container.json'), JSON.stringify(record, null, 2))
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ status: statuses[i % statuses.length], restartCount: 0 }))
}
writeFileSync(join(root, 'images.json'), JSON.stringify({ version: 1, images: Array.from({ length: 20 }, (_, i) => ({ id: createHash('sha256').update(`img-${i}`).digest('hex'), names: [`localhost/bench-${i}:latest`] })) }))

const env = { PATH: process.env.PATH, HOME: join(base, 'home'), XDG_CACHE_HOME: join(base, 'cache'), LANG: 'C.UTF-8' }
const argv = what => [process.execPath, '--', join(repo, 'bin/tspod'), '--root', root, '__complete', ...what]
const cases = [
  ['containers all', ['containers', 'all']],
  ['containers running', ['containers', 'running']],
  ['images', ['images']],
]
const count = execFileSync(argv(['containers', 'all'])[0], argv(['containers', 'all']).slice(1), { env, encoding: 'utf8' }).split('\n').filter(Boolean).length
if (count !== containers) throw new Error(`__complete listed ${count} containers, expected ${containers}`)

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const quote = s => `'${s.replaceAll("'", "'\\''")}'`
const results = []
try {
  if (spawnSync('hyperfine', ['--version']).status === 0) {
    const json = join(base, 'hyperfine.json')
    const commands = cases.map(([, what]) => argv(what).map(quote).join(' '))
    execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', json, ...cases.flatMap(([name], i) => ['-n', name, commands[i]])], { env, stdio: ['ignore', 'ignore', 'inherit'] })
    for (const r of JSON.parse(readFileSync(json, 'utf8')).results) results.push([r.command, r.median * 1000])
  } else {
    const times = cases.map(() => [])
    for (let round = -3; round < runs; round++) {
      cases.forEach(([, what], i) => {
        const a = argv(what)
        const t0 = process.hrtime.bigint()
        execFileSync(a[0], a.slice(1), { env, stdio: 'ignore' })
        if (round >= 0) times[i].push(Number(process.hrtime.bigint() - t0) / 1e6)
      })
    }
    cases.forEach(([name], i) => results.push([name, median(times[i])]))
  }
} finally {
  rmSync(base, { recursive: true, force: true })
}
console.log(`tspod __complete, ${containers} containers in the store, median of ${runs} runs (target < ${TARGET_MS} ms):`)
for (const [name, ms] of results) console.log(`  ${name.padEnd(20)} ${ms.toFixed(1).padStart(7)} ms  ${ms < TARGET_MS ? 'ok' : 'OVER TARGET'}`)
