#!/usr/bin/env node
// Builds tspod: bundles the CLI, the shim and the library with esbuild (one
// file each, so a start-up reads one module), and compiles the small C helpers
// in native-bindings/ (single-threaded programs that enter namespaces).
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
mkdirSync(join(dist, 'native'), { recursive: true })

// ESM output still meets CommonJS dependencies: give them a real `require`.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const define = {
  __TSPOD_VERSION__: JSON.stringify(pkg.version),
  __TSPOD_BUILT__: JSON.stringify(String(Math.floor(Date.now() / 1000))),
}
const banner = {
  js: "import { createRequire as __tspodCreateRequire } from 'node:module'; const require = __tspodCreateRequire(import.meta.url);",
}
const common = {
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner,
  define,
  // koffi loads its prebuilt .node file relative to its own package.
  external: ['koffi'],
  sourcemap: 'linked',
  logLevel: 'warning',
  write: false,
}
// The CLI and the library: code splitting, so each command loads only the
// modules it uses (lazily imported commands become chunks of their own).
// The shim and the unpack worker: one file each, since they always need all
// of their code, and one file loads faster than a dozen chunks (the shim's
// start-up is on the critical path of `run`).
// Output is kept in memory and written only when every build succeeded:
// chunks first (their names carry content hashes), then each entry
// atomically, so a failed build never leaves dist/ half-written for a tspod
// that is running.
const results = await Promise.all([
  build({
    ...common,
    entryPoints: { tspod: join(root, 'src/cli/main.ts'), lib: join(root, 'src/index.ts') },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
  }),
  build({
    ...common,
    entryPoints: { shim: join(root, 'src/shim/main.ts'), 'unpack-worker': join(root, 'src/image/unpack/worker-main.ts') },
  }),
])
const outputs = results.flatMap(r => r.outputFiles)
const isChunk = f => f.path.startsWith(join(dist, 'chunks') + '/')
const files = [...outputs.filter(isChunk), ...outputs.filter(f => !isChunk(f))]
mkdirSync(join(dist, 'chunks'), { recursive: true })
for (const file of files) {
  const tmp = `${file.path}.${process.pid}.tmp`
  writeFileSync(tmp, file.contents)
  renameSync(tmp, file.path)
}
// Chunks of earlier builds: gone once no running tspod can still need them.
const current = new Set(files.map(f => f.path))
for (const name of readdirSync(join(dist, 'chunks'))) {
  const path = join(dist, 'chunks', name)
  if (!current.has(path) && Date.now() - statSync(path).mtimeMs > 10 * 60_000) rmSync(path, { force: true })
}

// C helpers: <name>.c -> dist/native/tspod-<name>. `init` is linked statically
// because it is bind-mounted into images that may have no libc at all.
const nativeDir = join(root, 'native-bindings')
for (const file of existsSync(nativeDir) ? readdirSync(nativeDir) : []) {
  if (!file.endsWith('.c')) continue
  const name = file.slice(0, -2)
  const out = join(dist, 'native', `tspod-${name}`)
  const flags = ['-O2', '-Wall', '-Wextra', '-Werror', '-D_GNU_SOURCE']
  if (name === 'init') flags.push('-static')
  execFileSync(process.env.CC ?? 'cc', [...flags, '-o', `${out}.tmp`, join(nativeDir, file)], { stdio: 'inherit' })
  renameSync(`${out}.tmp`, out)
}
