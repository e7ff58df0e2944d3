// Side-by-side timing for the bench scripts: every round runs each contender
// once, in an order that rotates, so drift on a noisy machine falls on all of
// them alike. Reports medians, means and the ratio to the reference.
import { spawn } from 'node:child_process'

/** Run argv with env; resolve with wall-clock milliseconds; reject on a non-zero exit. */
export function timeCommand(argv, { env, input } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(argv[0], argv.slice(1), { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', d => (stderr += d))
    if (input !== undefined) child.stdin.end(input)
    child.on('error', reject)
    child.on('exit', code => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (code === 0) resolve(ms)
      else reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim().split('\n').pop()}`))
    })
  })
}

export const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
export const mean = xs => xs.reduce((a, b) => a + b, 0) / xs.length

/**
 * contenders: [{ name, run: async () => ms }]; the first is the reference
 * the others are compared with unless `reference` names another.
 */
export async function interleave(contenders, { rounds, warmup = 1, reference, onRound } = {}) {
  const samples = Object.fromEntries(contenders.map(c => [c.name, []]))
  for (let r = -warmup; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + Math.max(r, 0)) % contenders.length])
    for (const c of order) {
      const ms = await c.run()
      if (r >= 0) samples[c.name].push(ms)
    }
    if (r >= 0) onRound?.(r)
  }
  const refName = reference ?? contenders[0].name
  const refMedian = median(samples[refName])
  const rows = contenders.map(c => ({
    name: c.name,
    median: median(samples[c.name]),
    mean: mean(samples[c.name]),
    min: Math.min(...samples[c.name]),
    max: Math.max(...samples[c.name]),
    ratio: median(samples[c.name]) / refMedian,
  }))
  return { rows, samples, reference: refName }
}

export function printTable(title, result, unit = 'ms') {
  const f = v => v.toFixed(1).padStart(8)
  console.log(`\n${title}`)
  console.log(`${'contender'.padEnd(28)}${'median'.padStart(8)}${'mean'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}  ratio (median / ${result.reference})`)
  for (const r of result.rows) {
    console.log(`${r.name.padEnd(28)}${f(r.median)}${f(r.mean)}${f(r.min)}${f(r.max)}  ${r.ratio.toFixed(2)}  (${unit})`)
  }
}

/** A TeardownHost for harness functions made for tap tests. */
export function teardownHost() {
  const fns = []
  return {
    teardown: fn => fns.push(fn),
    passing: () => true,
    async run() {
      for (const fn of fns.reverse()) await fn()
    },
  }
}

/** `env -i VAR=... ` argv prefix so nothing of this process (NODE_OPTIONS...) leaks into the measured tools. */
export function cleanEnvArgv(env) {
  return ['env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`)]
}

/**
 * What every bench needs: a loopback registry with `fixtures` pushed (names
 * from test/harness/fixtures.ts), an isolated tspod store and an isolated
 * podman beside it, and the argv prefixes that run each engine there.
 * Call `host.run()` at the end to tear everything down.
 */
export async function benchEnvironment(fixtures) {
  const { importTs } = await import('../../test/harness/import-ts.mjs')
  const h = await importTs('bench/lib/harness.ts')
  const host = teardownHost()
  const registry = await h.startRegistry()
  host.teardown(() => registry.stop())
  const images = []
  for (const name of fixtures) images.push((await h.pushFixture(registry, name)).reference)
  const store = await h.makeStoreEnv(host, { registries: [registry] })
  const podman = await h.makePodmanEnv(store)
  return {
    h,
    host,
    registry,
    images,
    // `--` ends Node's own options (a container's --env-file is not Node's).
    tspod: [...cleanEnvArgv(store.env), process.execPath, '--', h.TSPOD_CLI, ...store.globalArgs],
    podman: [...cleanEnvArgv(podman.env), 'podman', ...podman.globalArgs],
  }
}
