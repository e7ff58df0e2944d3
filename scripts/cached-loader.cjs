// TEMPLATE for dist/tspod.cjs and dist/shim.cjs, filled in by scripts/build.mjs
// (NAME, BUNDLE, HASH, VARIANT): loads a CommonJS bundle through V8's code cache.
// CommonJS itself: an ES module entry makes Node set up its ESM loader first,
// some 4 ms of every start.
//
// Node 20 compiles every module of every tspod start from source: for the CLI
// that is a good share of its start-up, on the critical path of `run`. Here
// the bundle is compiled with a cache V8 wrote on an earlier start (kept in
// $XDG_CACHE_HOME/tspod, one file per bundle version, Node version and
// command), which skips the compiling of everything that earlier start used.
// The bundle's content hash is part of the cache's name, so a new build never
// meets an old cache; V8 itself rejects one made by another Node.
'use strict'
const { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } = require('node:fs')
const Module = require('node:module')
const { homedir } = require('node:os')
const { dirname, join } = require('node:path')
const { Script } = require('node:vm')

const bundle = join(__dirname, '__BUNDLE__')
const variant = (__VARIANT__)(process.argv.slice(2))
const cacheDir = join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'tspod')
const current = `__NAME__-__HASH__-${process.version}-`
const cacheFile = join(cacheDir, `${current}${process.arch}-${variant}.bin`)

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
    // This bundle's caches (code, parsers) from earlier builds or Node versions are never read again.
    for (const name of readdirSync(cacheDir)) {
      const stale = name.startsWith('__NAME__-') ? !name.startsWith(current) : name.startsWith('code-') && name.endsWith('.bin')
      if (stale) rmSync(join(cacheDir, name), { force: true })
    }
  } catch {
    // No cache this time (read-only home, full disk): only slower, never wrong.
  }
}
globalThis[Symbol.for('tspod.saveCodeCache')] = saveCodeCache
// Other start-up caches the bundle keeps (src/cli/parser-cache.ts), named after this build.
globalThis[Symbol.for('tspod.startupCache')] = { dir: cacheDir, prefix: `${current}${process.arch}-` }
// For a start whose first word is no command (a typo): no cache file named after it.
globalThis[Symbol.for('tspod.skipCodeCache')] = () => (saved = true)
process.on('exit', saveCodeCache)

const bundleModule = { exports: {} }
script.runInThisContext()(bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, dirname(bundle))
