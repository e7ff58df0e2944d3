// TEMPLATE for dist/tspod.mjs and dist/shim.mjs, filled in by scripts/build.mjs
// (BUNDLE, HASH, VARIANT): loads a CommonJS bundle through V8's code cache.
//
// Node 20 compiles every module of every tspod start from source: for the CLI
// that is a good share of its start-up, on the critical path of `run`. Here
// the bundle is compiled with a cache V8 wrote on an earlier start (kept in
// $XDG_CACHE_HOME/tspod, one file per bundle version, Node version and
// command), which skips the compiling of everything that earlier start used.
// The bundle's content hash is part of the cache's name, so a new build never
// meets an old cache; V8 itself rejects one made by another Node.
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'

const bundle = join(dirname(fileURLToPath(import.meta.url)), '__BUNDLE__')
const variant = (__VARIANT__)(process.argv.slice(2))
const cacheDir = join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'tspod')
const cacheFile = join(cacheDir, `code-__HASH__-${process.version}-${process.arch}-${variant}.bin`)

let cachedData
try {
  cachedData = readFileSync(cacheFile)
} catch {}
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData })

let saved = Boolean(cachedData) && !script.cachedDataRejected
if (process.env.TSPOD_TRACE) {
  const state = cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'absent'
  appendFileSync(process.env.TSPOD_TRACE, `${(performance.timeOrigin + performance.now()).toFixed(2)} ${process.pid} loader: code cache ${state}\n`)
}
/** Write the cache once (functions compiled so far are in it); a long-lived process calls it early. */
function saveCodeCache() {
  if (saved) return
  saved = true
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 })
    const tmp = `${cacheFile}.${process.pid}.tmp`
    writeFileSync(tmp, script.createCachedData())
    renameSync(tmp, cacheFile)
  } catch {
    // No cache this time (read-only home, full disk): only slower, never wrong.
  }
}
globalThis[Symbol.for('tspod.saveCodeCache')] = saveCodeCache
process.on('exit', saveCodeCache)

const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle))
