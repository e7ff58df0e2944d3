/**
 * Unpack throughput (not a test: timings vary with the machine and the disk).
 * Run as root of a user namespace, e.g. as a normal user:
 *   unshare -Ur node --import=@tapjs/typescript/import src/image/unpack/unpack.bench.ts [DIR]
 * Builds its layers under DIR (default: os.tmpdir()), unpacks each a few
 * times and prints MiB/s of uncompressed tar, with GNU tar on the same blobs
 * as a yardstick for the disk of the day, then cleans up.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import { tarOf, type TarEntry } from './test-support/archive.js'
import { unpackLayer } from './unpack.js'

const MiB = 1024 * 1024
const work = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'tspod-unpack-bench-'))

interface Layer {
  name: string
  blob: string
  tarBytes: number
}

async function makeLayer(name: string, entries: TarEntry[]): Promise<Layer> {
  const tar = await tarOf(entries)
  const blob = join(work, `${name}.tgz`)
  writeFileSync(blob, gzipSync(tar, { level: 1 }))
  return { name, blob, tarBytes: tar.length }
}

function bigFiles(prefix: string, files: number, size: number): TarEntry[] {
  return Array.from({ length: files }, (_, i) => ({ name: `${prefix}/blob${i}`, data: randomBytes(size) }))
}

function smallFiles(count: number): TarEntry[] {
  const entries: TarEntry[] = []
  const text = Buffer.from('lorem ipsum dolor sit amet, consectetur adipiscing elit\n'.repeat(200))
  for (let i = 0; i < count; i++) {
    if (i % 100 === 0) entries.push({ name: `usr/share/d${i / 100}/`, type: 'directory' })
    const size = 512 + ((i * 7919) % 7680) // 0.5 to 8 KiB
    entries.push({ name: `usr/share/d${Math.floor(i / 100)}/f${i}`, data: text.subarray(0, size) })
  }
  return entries
}

let run = 0
async function unpackAll(layers: readonly Layer[]): Promise<{ ms: number; cpuMs: number }> {
  const start = performance.now()
  const cpu = process.cpuUsage()
  await Promise.all(
    layers.map(l => unpackLayer(createReadStream(l.blob, { highWaterMark: MiB }), join(work, `out-${run}-${l.name}`))),
  )
  const used = process.cpuUsage(cpu)
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }
}

/** GNU tar on the same blobs, the same way (all layers at once). */
function gnuTar(layers: readonly Layer[]): number {
  const start = performance.now()
  const script = layers.map(l => `mkdir ${work}/tar-${l.name} && tar -xzf ${l.blob} -C ${work}/tar-${l.name} &`).join('\n')
  execFileSync('sh', ['-c', `${script}\nwait`])
  return performance.now() - start
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Remove outputs and flush them, so one round's writeback does not slow the next. */
function settle(): void {
  for (const name of readdirSync(work)) if (name.startsWith('out-') || name.startsWith('tar-')) rmSync(join(work, name), { recursive: true })
  execFileSync('sync')
}

async function bench(label: string, layers: readonly Layer[], rounds = 5): Promise<void> {
  const ours: number[] = []
  const cpu: number[] = []
  const theirs: number[] = []
  for (let i = 0; i < rounds; i++) {
    settle()
    const r = await unpackAll(layers)
    run++
    ours.push(r.ms)
    cpu.push(r.cpuMs)
    settle()
    theirs.push(gnuTar(layers))
  }
  settle()
  const tarMiB = layers.reduce((n, l) => n + l.tarBytes, 0) / MiB
  const blobMiB = layers.reduce((n, l) => n + statSync(l.blob).size, 0) / MiB
  const rate = (ms: number) => (tarMiB / (ms / 1000)).toFixed(0)
  console.log(
    `${label}: ${tarMiB.toFixed(1)} MiB tar (${blobMiB.toFixed(1)} MiB gzip)\n` +
      `  tspod   best ${Math.min(...ours).toFixed(0)} ms (${rate(Math.min(...ours))} MiB/s), median ${median(ours).toFixed(0)} ms (${rate(median(ours))} MiB/s), CPU ${median(cpu).toFixed(0)} ms\n` +
      `  GNU tar best ${Math.min(...theirs).toFixed(0)} ms (${rate(Math.min(...theirs))} MiB/s), median ${median(theirs).toFixed(0)} ms`,
  )
}

try {
  const big = await makeLayer('big', bigFiles('data', 4, 32 * MiB))
  const small = await makeLayer('small', smallFiles(20_000))
  const five = await Promise.all([0, 1, 2, 3, 4].map(i => makeLayer(`five${i}`, bigFiles(`l${i}`, 2, 12.8 * MiB))))
  await bench('one incompressible layer', [big])
  await bench('20000 small files', [small])
  await bench('five layers in parallel (128 MiB image)', five)
} finally {
  rmSync(work, { recursive: true, force: true })
}
