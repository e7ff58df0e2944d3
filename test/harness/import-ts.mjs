// Lets plain Node scripts (scripts/local-registry.mjs, bench/lib/*.mjs) reuse
// the TypeScript harness: esbuild bundles the module and its dependencies
// into one temp .mjs, which is imported and then deleted. Node 20 cannot
// strip types itself, and the bundle keeps `import.meta.url` meaningless, so
// harness modules loaded this way must not locate files relative to themselves
// (the ones that do take the repo root from TSPOD_REPO_ROOT, set here).
import { build } from 'esbuild'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** import() a .ts file: `const { buildFixture } = await importTs('test/harness/fixtures.ts')`. */
export async function importTs(path) {
  const entry = resolve(repoRoot, path)
  process.env.TSPOD_REPO_ROOT ??= repoRoot
  const dir = mkdtempSync(join(tmpdir(), 'tspod-import-'))
  const outfile = join(dir, 'module.mjs')
  try {
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      banner: {
        js: "import { createRequire as __tspodCreateRequire } from 'node:module'; const require = __tspodCreateRequire(import.meta.url);",
      },
      // Resolve dependencies from the repository, not from the temp dir.
      nodePaths: [join(repoRoot, 'node_modules')],
    })
    return await import(pathToFileURL(outfile).href)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
