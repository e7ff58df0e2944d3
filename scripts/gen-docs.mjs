#!/usr/bin/env node
// Regenerates the man pages (man/) and the shell completion scripts
// (completions/) from the built CLI's command definitions, which print them
// all with `tspod __complete docs`. Run after changing a command, an option
// or a description (a test fails until the committed copies are current):
//
//   node scripts/build.mjs && node scripts/gen-docs.mjs
//
//   --check   write nothing; list the files that differ and exit 1 if any do
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')
const DIRS = ['man', 'completions']

// The generated text depends on nothing but the definitions: no user's store or config is read.
const json = execFileSync(process.execPath, ['--', join(root, 'dist/tspod.cjs'), '__complete', 'docs'], {
  encoding: 'utf8',
  maxBuffer: 64 << 20,
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/nonexistent', LANG: 'C.UTF-8' },
})
const files = new Map(Object.entries(JSON.parse(json)))

const read = path => {
  try {
    return readFileSync(join(root, path), 'utf8')
  } catch {
    return undefined
  }
}
const existing = DIRS.flatMap(dir => {
  try {
    return readdirSync(join(root, dir)).map(name => `${dir}/${name}`)
  } catch {
    return []
  }
})
const changed = [...files].filter(([path, text]) => read(path) !== text).map(([path]) => path)
const stale = existing.filter(path => !files.has(path))

if (check) {
  for (const path of changed) console.log(`differs: ${path}`)
  for (const path of stale) console.log(`not generated (remove it): ${path}`)
  process.exit(changed.length + stale.length > 0 ? 1 : 0)
}
for (const dir of DIRS) mkdirSync(join(root, dir), { recursive: true })
for (const path of changed) writeFileSync(join(root, path), files.get(path))
for (const path of stale) rmSync(join(root, path))
console.log(`gen-docs: ${files.size} files, ${changed.length} written, ${stale.length} removed`)
