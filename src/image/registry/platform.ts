/**
 * Platforms (os/architecture/variant, Go's names) and the choice of one image
 * from an index. Variants are compared as containerd and containers/image do:
 * an arm/v7 host also runs v6 and v5 images, arm64 without a variant means v8,
 * amd64 without a variant means v1.
 */
import { endianness } from 'node:os'
import { InvalidArgumentError, TspodError } from '../../engine/errors.js'
import type { Descriptor, ImageIndex } from './manifest.js'

export interface PlatformSpec {
  readonly os: string
  readonly architecture: string
  /** Normalised: arm → v5…v8, arm64 → v8…, amd64 → v1…v4; undefined where variants are not used. */
  readonly variant?: string
}

const NODE_TO_GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm: 'arm',
  arm64: 'arm64',
  ppc64: endianness() === 'LE' ? 'ppc64le' : 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
}

const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
}

/** Variant numbering per architecture: what no variant means, and whether lower variants are compatible. */
const BASELINE_VARIANT: Record<string, number> = { arm: 7, arm64: 8, amd64: 1 }

function variantNumber(variant: string | undefined): number | undefined {
  if (variant === undefined || variant === '') return undefined
  const m = /^v?(\d+)(?:\.\d+)?$/.exec(variant)
  return m ? Number(m[1]) : Number.NaN
}

/** Go names, default variants filled in (`aarch64` → arm64/v8, `arm` → arm/v7). */
export function normalizePlatform(p: { os: string; architecture: string; variant?: string }): PlatformSpec {
  const os = p.os.toLowerCase()
  let architecture = p.architecture.toLowerCase()
  let variant = p.variant?.toLowerCase() || undefined
  const alias = ARCH_ALIASES[architecture]
  if (alias) {
    architecture = alias.architecture
    variant ??= alias.variant
  }
  const baseline = BASELINE_VARIANT[architecture]
  if (baseline !== undefined) {
    const n = variantNumber(variant)
    if (n === undefined) variant = `v${baseline}`
    else if (!Number.isNaN(n) && !variant!.startsWith('v')) variant = `v${variant}`
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant }
}

let host: PlatformSpec | undefined
/** This machine's platform, from process.arch (arm's variant from Node's build configuration). */
export function hostPlatform(): PlatformSpec {
  if (host) return host
  const architecture = NODE_TO_GO_ARCH[process.arch] ?? process.arch
  let variant: string | undefined
  if (architecture === 'arm') {
    const armVersion = (process.config.variables as Record<string, unknown>).arm_version
    variant = armVersion ? `v${armVersion}` : undefined
  }
  return (host = normalizePlatform({ os: process.platform, architecture, variant }))
}

/** `--platform os/arch[/variant]`. */
export function parsePlatform(value: string): PlatformSpec {
  const parts = value.split('/')
  if (parts.length < 2 || parts.length > 3 || parts.some(p => !/^[A-Za-z0-9._-]+$/.test(p))) {
    throw new InvalidArgumentError(`invalid platform "${value}": expected OS/ARCH[/VARIANT], e.g. linux/arm64`)
  }
  return normalizePlatform({ os: parts[0]!, architecture: parts[1]!, variant: parts[2] })
}

export function formatPlatform(p: { os: string; architecture: string; variant?: string }): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`
}

/**
 * How well an image for `have` suits `want`: undefined when it cannot run,
 * else a rank where higher is better (the newest compatible variant wins).
 */
export function platformScore(have: { os: string; architecture: string; variant?: string }, want: PlatformSpec): number | undefined {
  const h = normalizePlatform(have)
  const w = normalizePlatform(want)
  if (h.os !== w.os || h.architecture !== w.architecture) return undefined
  if (h.variant === w.variant) return 1000
  const hv = variantNumber(h.variant)
  const wv = variantNumber(w.variant)
  // Older numbered variants run on newer CPUs; other variant schemes must match exactly.
  if (hv !== undefined && wv !== undefined && !Number.isNaN(hv) && !Number.isNaN(wv) && hv < wv) return hv
  return undefined
}

/** The index entry for `want`; 'unsupported' naming the platforms on offer when none fits. */
export function selectManifest(index: ImageIndex, want: PlatformSpec): Descriptor {
  let best: Descriptor | undefined
  let bestScore = -1
  for (const m of index.manifests) {
    if (!m.platform) continue
    const score = platformScore(m.platform, want)
    if (score !== undefined && score > bestScore) {
      best = m
      bestScore = score
    }
  }
  if (best) return best
  const offered = index.manifests
    .filter(m => m.platform && m.platform.os !== 'unknown')
    .map(m => formatPlatform(m.platform!))
  const w = normalizePlatform(want)
  // amd64's implied "v1" is no variant anyone asked for (podman prints "" there).
  const variant = w.architecture === 'amd64' && w.variant === 'v1' ? '' : (w.variant ?? '')
  throw new TspodError(
    'unsupported',
    `no image found in image index for architecture "${w.architecture}", variant "${variant}", OS "${w.os}"; ` +
      (offered.length ? `available platforms: ${[...new Set(offered)].join(', ')}` : 'the index lists no platforms'),
  )
}
