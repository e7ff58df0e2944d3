#!/usr/bin/env node
// The test command (`npm test`): builds, runs tap over the *.test.ts files of
// src/, test/ and native-bindings/ (settings in .taprc: no coverage, 2 jobs, a per-file
// timeout), prints one line per test file as it finishes (with the details of
// what failed), and ends with exactly one line:
//
//   tests: N passed, N failed
//
// Counted are leaf test points: every assertion, plus every subtest or file
// that failed without a failing assertion inside it (a crash, a timeout, a
// non-zero exit, a missing plan). Skipped and todo points are listed on the
// line before, never counted as passed. A build failure, a tap crash or a
// refusal to run counts as one failure. Exit status: 0 only when nothing
// failed and tap itself succeeded.
//
//   node scripts/test.mjs [--no-build] [FILE|DIR ...]
//
// Refuses to run as root: tspod and its tests run as an unprivileged user.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Parser } from 'tap-parser'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const started = Date.now()

function finish(passed, failed) {
  process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`)
  process.exit(failed > 0 ? 1 : 0)
}

if (process.getuid?.() === 0) {
  console.error('scripts/test.mjs: refusing to run as root. tspod is rootless and so are its tests: run them as an')
  console.error('unprivileged user that has a subordinate id range, e.g.  runuser -u USER -- npm test')
  finish(0, 1)
}

const args = process.argv.slice(2)
const build = !args.includes('--no-build')
const selected = args.filter(a => a !== '--no-build')

function findTests(dir) {
  const out = []
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...findTests(path))
    else if (entry.name.endsWith('.test.ts')) out.push(path)
  }
  return out
}

const files = (selected.length ? selected : ['src', 'test', 'native-bindings'].filter(d => existsSync(resolve(d))))
  .flatMap(p => {
    const abs = resolve(p)
    return existsSync(abs) && statSync(abs).isDirectory() ? findTests(abs) : [abs]
  })
  .sort()
  .map(f => (f.startsWith(root + '/') ? relative(root, f) : f))

if (build) {
  console.log('building: node scripts/build.mjs')
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' })
  if (b.status !== 0) {
    console.error(`build failed (${b.signal ?? `exit status ${b.status}`})`)
    finish(0, 1)
  }
}
if (files.length === 0) {
  console.error('no test files found')
  finish(0, 1)
}
for (const f of files) if (!existsSync(resolve(root, f))) {
  console.error(`no such test file: ${f}`)
  finish(0, 1)
}

// One fixture cache for the whole run (test/harness/fixtures/cache.ts).
const fixtureCache = mkdtempSync(join(tmpdir(), 'tspod-test-run-'))
console.log(`running ${files.length} test file${files.length === 1 ? '' : 's'} with tap (settings: .taprc)`)

const totals = { passed: 0, failed: 0, skipped: 0, todo: 0 }
const failedFiles = []

/** Follows one parser; returns live counts of its leaf points (children included). */
function track(parser, trail, extra) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [] }
  let pending = null
  parser.on('child', child => {
    pending = { counts: track(child, [...trail, child.name], extra) }
  })
  parser.on('extra', data => extra.push(data))
  parser.on('assert', res => {
    const child = pending
    pending = null
    if (child) {
      const c = child.counts
      counts.passed += c.passed
      counts.failed += c.failed
      counts.skipped += c.skipped
      counts.todo += c.todo
      counts.failures.push(...c.failures)
      // A subtest that failed with no failing point inside: crash, timeout, exit status, plan.
      if (!res.ok && !res.todo && !res.skip && c.failed === 0) {
        counts.failed++
        counts.failures.push({ trail: [...trail, res.name], diag: res.diag })
      }
      return
    }
    if (res.todo) counts.todo++
    else if (res.skip) counts.skipped++
    else if (res.ok) counts.passed++
    else {
      counts.failed++
      counts.failures.push({ trail: [...trail, res.name], diag: res.diag })
    }
  })
  parser.on('bailout', reason => {
    counts.failed++
    counts.failures.push({ trail: [...trail, 'BAIL OUT'], diag: { reason } })
  })
  return counts
}

function describe(diag) {
  if (!diag) return []
  const pick = {}
  for (const k of ['message', 'reason', 'diff', 'found', 'wanted', 'pattern', 'stack', 'at', 'expired', 'exitCode', 'signal', 'stderr', 'type', 'code']) {
    if (diag[k] !== undefined) pick[k] = diag[k]
  }
  const lines = []
  for (const [k, v] of Object.entries(pick)) {
    if (k === 'at' && typeof v === 'object') lines.push(`at: ${v.fileName}:${v.lineNumber}:${v.columnNumber}`)
    else if (typeof v === 'string' && v.includes('\n')) lines.push(`${k}:`, ...v.trimEnd().split('\n').map(l => `  ${l}`))
    else lines.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
  }
  return lines.slice(0, 60)
}

const tapBin = join(root, 'node_modules/tap/dist/esm/run.mjs')
if (!existsSync(tapBin)) {
  console.error('tap is not installed: run npm ci')
  rmSync(fixtureCache, { recursive: true, force: true })
  finish(0, 1)
}

const tap = spawn(process.execPath, [tapBin, '--reporter=tap', ...files], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, TSPOD_FIXTURE_CACHE: fixtureCache, FORCE_COLOR: '0' },
})
tap.stderr.pipe(process.stderr)

const parser = new Parser()
const reported = new Set()
const failedNames = new Set()
let pendingFile = null
parser.on('child', child => {
  const name = child.name
  const extra = []
  pendingFile = { name, counts: track(child, [name], extra), extra }
})
parser.on('assert', res => {
  const file = pendingFile
  pendingFile = null
  if (!file) return strayPoint(res)
  const { name, counts, extra } = file
  reported.add(name)
  totals.passed += counts.passed
  totals.failed += counts.failed
  totals.skipped += counts.skipped
  totals.todo += counts.todo
  // The file itself failed (exit status, signal, timeout) with nothing failing inside.
  if (!res.ok && !res.todo && !res.skip && counts.failed === 0) {
    totals.failed++
    counts.failed++
    counts.failures.push({ trail: [name], diag: res.diag })
  }
  const secs = res.time != null ? (res.time / 1000).toFixed(1) : '?'
  const extraInfo = [counts.skipped && `${counts.skipped} skipped`, counts.todo && `${counts.todo} todo`].filter(Boolean).join(', ')
  const status = counts.failed ? 'FAIL' : 'ok  '
  console.log(`${status} ${name}  ${counts.passed} passed, ${counts.failed} failed${extraInfo ? `, ${extraInfo}` : ''}  (${secs}s)`)
  if (counts.failed) {
    failedFiles.push(name)
    failedNames.add(name)
    for (const f of counts.failures) {
      console.log(`     ✗ ${f.trail.join(' › ')}`)
      for (const line of describe(f.diag)) console.log(`         ${line}`)
    }
    const output = extra.join('').trim()
    if (output) {
      console.log('     output:')
      for (const line of output.split('\n').slice(-40)) console.log(`         ${line}`)
    }
  }
})

/**
 * A top-level point that is not a file's result: tap's runner reports a file
 * it had to kill this way ("timeout!", expired: FILE). Counted once per file.
 */
function strayPoint(res) {
  if (res.ok || res.todo || res.skip) return
  const file = typeof res.diag?.expired === 'string' ? res.diag.expired : null
  if (file) reported.add(file)
  console.log(`FAIL ${file ?? '(tap)'}  ${res.name}`)
  for (const line of describe(res.diag)) console.log(`         ${line}`)
  if (file && failedNames.has(file)) return
  if (file) {
    failedNames.add(file)
    failedFiles.push(file)
  }
  totals.failed++
}
parser.on('bailout', reason => {
  console.log(`BAIL OUT: ${reason}`)
  totals.failed++
})

tap.stdout.pipe(parser)
const [code, signal] = await new Promise(resolve => tap.on('close', (c, s) => resolve([c, s])))
await new Promise(resolve => (parser.results ? resolve() : parser.on('complete', resolve)))
rmSync(fixtureCache, { recursive: true, force: true })

// tap 21 can drop the results of files running next to one it had to kill:
// a file without a result is a failure, never silently missing.
for (const f of files) {
  if (reported.has(f)) continue
  console.log(`FAIL ${f}  no result (tap reported nothing for this file)`)
  failedFiles.push(f)
  totals.failed++
}
if ((code !== 0 || signal) && totals.failed === 0) {
  console.log(`tap failed (${signal ?? `exit status ${code}`}) although no test point failed`)
  totals.failed++
}
if (parser.results && !parser.results.ok && totals.failed === 0) {
  console.log('tap reported the run as not ok (plan or parse failure)')
  totals.failed++
}
const mins = ((Date.now() - started) / 1000).toFixed(1)
if (failedFiles.length) console.log(`failed files: ${failedFiles.join(' ')}`)
if (totals.skipped || totals.todo) console.log(`not run: ${totals.skipped} skipped, ${totals.todo} todo`)
console.log(`time: ${mins}s`)
finish(totals.passed, totals.failed)
