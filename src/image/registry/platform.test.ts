import t from 'tap'
import type { ImageIndex } from './manifest.js'
import { MediaType } from './media-types.js'
import { formatPlatform, hostPlatform, normalizePlatform, parsePlatform, platformScore, selectManifest } from './platform.js'

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}` as const

function index(...platforms: ({ os: string; architecture: string; variant?: string } | undefined)[]): ImageIndex {
  return {
    kind: 'index',
    mediaType: MediaType.OciIndex,
    schemaVersion: 2,
    manifests: platforms.map((platform, i) => ({ mediaType: MediaType.OciManifest, digest: digest(i + 1), size: 100, ...(platform ? { platform } : {}) })),
  }
}

t.test('host platform', async t => {
  const h = hostPlatform()
  t.equal(h.os, 'linux')
  const expected: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x', riscv64: 'riscv64' }
  t.equal(h.architecture, expected[process.arch] ?? h.architecture, `process.arch ${process.arch}`)
  if (process.arch === 'x64') t.equal(h.variant, 'v1')
  if (process.arch === 'arm64') t.equal(h.variant, 'v8')
})

t.test('parse and normalise --platform', async t => {
  t.same(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64', variant: 'v1' })
  t.same(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' })
  t.same(parsePlatform('linux/arm'), { os: 'linux', architecture: 'arm', variant: 'v7' })
  t.same(parsePlatform('linux/arm/6'), { os: 'linux', architecture: 'arm', variant: 'v6' })
  t.same(parsePlatform('Linux/AArch64'), { os: 'linux', architecture: 'arm64', variant: 'v8' })
  t.same(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64', variant: 'v1' })
  t.same(parsePlatform('linux/armhf'), { os: 'linux', architecture: 'arm', variant: 'v7' })
  t.same(parsePlatform('linux/s390x'), { os: 'linux', architecture: 's390x' })
  t.same(parsePlatform('linux/riscv64/rva22'), { os: 'linux', architecture: 'riscv64', variant: 'rva22' })
  for (const bad of ['linux', 'linux/', '/amd64', 'a/b/c/d', 'linux/amd 64']) {
    t.throws(() => parsePlatform(bad), { code: 'invalid-argument', message: `invalid platform "${bad}": expected OS/ARCH[/VARIANT], e.g. linux/arm64` })
  }
  t.equal(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }), 'linux/arm/v7')
  t.equal(formatPlatform({ os: 'linux', architecture: 's390x' }), 'linux/s390x')
  t.same(normalizePlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' }), { os: 'linux', architecture: 'arm64', variant: 'v8' })
})

t.test('compatibility', async t => {
  const want = parsePlatform('linux/arm/v7')
  t.equal(platformScore({ os: 'linux', architecture: 'arm', variant: 'v7' }, want), 1000)
  t.equal(platformScore({ os: 'linux', architecture: 'arm' }, want), 1000, 'no variant means v7')
  t.equal(platformScore({ os: 'linux', architecture: 'arm', variant: 'v6' }, want), 6, 'older variants run')
  t.equal(platformScore({ os: 'linux', architecture: 'arm', variant: 'v8' }, want), undefined, 'newer do not')
  t.equal(platformScore({ os: 'linux', architecture: 'arm64' }, parsePlatform('linux/arm64')), 1000, 'arm64 = arm64/v8')
  t.equal(platformScore({ os: 'linux', architecture: 'amd64', variant: 'v3' }, parsePlatform('linux/amd64')), undefined, 'amd64/v3 needs a v3 CPU')
  t.equal(platformScore({ os: 'linux', architecture: 'amd64' }, parsePlatform('linux/amd64/v3')), 1, 'v1 runs on v3')
  t.equal(platformScore({ os: 'windows', architecture: 'amd64' }, parsePlatform('linux/amd64')), undefined)
  t.equal(platformScore({ os: 'linux', architecture: 'riscv64', variant: 'x' }, parsePlatform('linux/riscv64/y')), undefined)
})

t.test('select from an index', async t => {
  const idx = index(
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm', variant: 'v6' },
    { os: 'linux', architecture: 'arm', variant: 'v7' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    undefined,
    { os: 'unknown', architecture: 'unknown' },
  )
  t.equal(selectManifest(idx, parsePlatform('linux/amd64')).digest, digest(1))
  t.equal(selectManifest(idx, parsePlatform('linux/arm/v7')).digest, digest(3), 'the exact variant over an older one')
  t.equal(selectManifest(idx, parsePlatform('linux/arm/v6')).digest, digest(2))
  t.equal(selectManifest(idx, parsePlatform('linux/arm64')).digest, digest(4))
  t.equal(selectManifest(index({ os: 'linux', architecture: 'arm', variant: 'v5' }), parsePlatform('linux/arm')).digest, digest(1), 'v5 on a v7 machine')
  t.equal(selectManifest(index({ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'amd64' }), parsePlatform('linux/amd64')).digest, digest(1), 'first of equals')
  t.throws(() => selectManifest(idx, parsePlatform('linux/s390x')), {
    code: 'unsupported',
    message: 'no image found in image index for architecture "s390x", variant "", OS "linux"; available platforms: linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8',
  })
  t.throws(() => selectManifest(index(undefined), parsePlatform('linux/arm/v5')), {
    code: 'unsupported',
    message: 'no image found in image index for architecture "arm", variant "v5", OS "linux"; the index lists no platforms',
  })
})
