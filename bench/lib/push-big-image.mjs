#!/usr/bin/env node
// Pushes the deterministic `big` benchmark image (bench/lib/big-image.ts) into
// a registry; builds it first if ~/.cache/tspod-bench does not have it yet.
//
//   node bench/lib/push-big-image.mjs HOST[/REPO[:TAG]] [--seed S] [--layers N]
//        [--layer-mib N] [--creds USER:PASS]
//   node bench/lib/push-big-image.mjs --build-only [--seed S] …   (prints the OCI layout)
//
// Prints `REFERENCE DIGEST` on stdout. The registry must speak plain HTTP on
// loopback (as the test and demo registries do).
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const usage = 'usage: node bench/lib/push-big-image.mjs HOST[/REPO[:TAG]] [--seed S] [--layers N] [--layer-mib N] [--creds USER:PASS] | --build-only [...]'

const args = process.argv.slice(2)
const options = {}
let target = null
let buildOnly = false
let credentials
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  const value = () => {
    if (i + 1 >= args.length) throw new Error(`${a} needs a value\n${usage}`)
    return args[++i]
  }
  if (a === '--seed') options.seed = value()
  else if (a === '--layers') options.layers = Number(value())
  else if (a === '--layer-mib') options.layerBytes = Math.round(Number(value()) * 1024 * 1024)
  else if (a === '--creds') {
    const [username, ...rest] = value().split(':')
    credentials = { username, password: rest.join(':') }
  } else if (a === '--build-only') buildOnly = true
  else if (a === '--help' || a === '-h') {
    console.log(usage)
    process.exit(0)
  } else if (!a.startsWith('-') && !target) target = a
  else {
    console.error(`unknown argument ${a}\n${usage}`)
    process.exit(2)
  }
}
if (!buildOnly && !target) {
  console.error(usage)
  process.exit(2)
}

const { importTs } = await import(join(root, 'test/harness/import-ts.mjs'))
const { buildBigImage, pushBigImage } = await importTs('bench/lib/big-image.ts')
const started = Date.now()
if (buildOnly) {
  const img = await buildBigImage(options)
  console.log(`${img.reference} ${img.digest}`)
} else {
  const slash = target.indexOf('/')
  const host = slash < 0 ? target : target.slice(0, slash)
  const path = slash < 0 ? 'big:latest' : target.slice(slash + 1)
  const colon = path.lastIndexOf(':')
  const repo = colon < 0 ? path : path.slice(0, colon)
  const tag = colon < 0 ? 'latest' : path.slice(colon + 1)
  const pushed = await pushBigImage({ host, credentials }, { ...options, repo, tag })
  console.log(`${pushed.reference} ${pushed.digest}`)
}
console.error(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`)
