/**
 * Assertions on what the CLI did to a store (used by test/e2e/images):
 * running it and checking podman's error convention (exit 125, one
 * `Error: …` line), the store on disk (is anything half-committed?), and an
 * image's merged root filesystem seen through a real overlay mount inside
 * tspod's user namespace (`tspod unshare`).
 *
 *   const r = await tspod(env, ['pull', '-q', ref])
 *   assertOneLineError(t, r, /manifest unknown/)
 *   await assertStoreConsistent(t, env, 'after a failed pull')
 */
import type { Test } from 'tap'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runTspod, type RunTspodOptions, type StoreEnv, type TspodResult } from './tspod.js'
import { subordinateRanges } from './userns.js'

export type Asserts = Pick<Test, 'ok' | 'equal' | 'same' | 'match' | 'notOk' | 'not'>

export function tspod(env: StoreEnv, args: readonly string[], options: Omit<RunTspodOptions, 'env'> = {}): Promise<TspodResult> {
  return runTspod(args, { env, ...options })
}

/** Runs a command that must succeed; returns its result. */
export async function ok(t: Asserts, env: StoreEnv, args: readonly string[], options: Omit<RunTspodOptions, 'env'> = {}): Promise<TspodResult> {
  const r = await tspod(env, args, options)
  t.equal(r.exitCode, 0, `tspod ${args.join(' ')} succeeds${r.exitCode === 0 ? '' : `: ${r.stderr.trim()}`}`)
  return r
}

/** Pull progress lines (podman prints them before an error too; `-q` drops them). */
const PROGRESS = /^(Trying to pull |Resolving "|Resolved "|Getting image source signatures$|Copying (blob|config) )/

/**
 * podman's convention for tspod's own errors: exit 125 and exactly one
 * `Error: …` line on stderr (after any pull progress lines), nothing on stdout.
 */
export function assertOneLineError(t: Asserts, r: TspodResult, pattern: RegExp, what = r.command.slice(2).filter(a => !a.startsWith('/')).join(' ')): void {
  t.equal(r.exitCode, 125, `${what}: exit status 125`)
  const lines = r.stderr.split('\n').filter(l => l !== '' && !PROGRESS.test(l))
  t.equal(lines.length, 1, `${what}: one line on stderr, got:\n${r.stderr}`)
  t.match(lines[0] ?? '', /^Error: \S/, `${what}: the line starts with "Error: "`)
  t.match(lines[0] ?? '', pattern, `${what}: the line says why`)
  t.ok(r.stderr.endsWith(`${lines[0]}\n`), `${what}: the error line comes last`)
  t.equal(r.stdout, '', `${what}: nothing on stdout`)
}

export interface ImagesState {
  /** images.json as bytes (null when absent). */
  imagesJson: string | null
  /** `images --format json`. */
  listing: string
}

export async function imagesState(env: StoreEnv): Promise<ImagesState> {
  const file = join(env.root, 'images.json')
  const listing = await tspod(env, ['images', '--format', 'json'])
  if (listing.exitCode !== 0) throw new Error(`tspod images failed: ${listing.stderr}`)
  return { imagesJson: existsSync(file) ? readFileSync(file, 'utf8') : null, listing: listing.stdout }
}

export interface ImageRecordOnDisk {
  id: string
  configDigest: string
  manifestDigest: string
  names: string[]
  repoDigests: string[]
  layers: { chainId: string; diffId: string; digest: string; size: number }[]
}

export function readImagesJson(env: StoreEnv): ImageRecordOnDisk[] {
  const file = join(env.root, 'images.json')
  if (!existsSync(file)) return []
  return (JSON.parse(readFileSync(file, 'utf8')) as { images: ImageRecordOnDisk[] }).images
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`

/** Digests of the committed blobs in the store. */
export async function storedBlobs(env: StoreEnv): Promise<string[]> {
  return (await listDir(join(env.root, 'blobs/sha256'))).map(n => `sha256:${n}`).sort()
}

/** Chain IDs of the committed layers (directories with a receipt). */
export async function committedLayers(env: StoreEnv): Promise<string[]> {
  const dir = join(env.root, 'overlay')
  const out: string[] = []
  for (const name of await listDir(dir)) if (existsSync(join(dir, name, 'layer.json'))) out.push(`sha256:${name}`)
  return out.sort()
}

/**
 * Nothing in the store is half-committed: no download left in ingest/, no
 * staging directory, every blob hashes to its name, every layer directory
 * has its receipt and content, and every image record's blobs and layers
 * exist.
 */
export async function assertStoreConsistent(t: Asserts, env: StoreEnv, what: string): Promise<void> {
  t.same(await listDir(join(env.root, 'ingest')), [], `${what}: no partial download left in ingest/`)
  const overlay = join(env.root, 'overlay')
  for (const name of await listDir(overlay)) {
    if (name.endsWith('.lock')) continue
    t.match(name, /^[0-9a-f]{64}$/, `${what}: overlay/${name} is a committed layer, not debris`)
    if (!/^[0-9a-f]{64}$/.test(name)) continue
    const receipt = join(overlay, name, 'layer.json')
    t.ok(existsSync(receipt), `${what}: overlay/${name.slice(0, 12)} has its receipt`)
    t.ok(existsSync(join(overlay, name, 'diff')), `${what}: overlay/${name.slice(0, 12)} has its content`)
    if (existsSync(receipt)) t.equal((JSON.parse(await readFile(receipt, 'utf8')) as { chainId: string }).chainId, `sha256:${name}`, `${what}: receipt names its layer`)
  }
  for (const digest of await storedBlobs(env)) {
    const bytes = await readFile(join(env.root, 'blobs/sha256', digest.slice(7)))
    t.equal(sha256(bytes), digest, `${what}: blob ${digest.slice(7, 19)} matches its digest`)
  }
  const blobs = new Set(await storedBlobs(env))
  const layers = new Set(await committedLayers(env))
  for (const image of readImagesJson(env)) {
    t.ok(blobs.has(image.configDigest) && blobs.has(image.manifestDigest), `${what}: image ${image.id.slice(0, 12)} has its config and manifest`)
    for (const l of image.layers) t.ok(layers.has(l.chainId), `${what}: image ${image.id.slice(0, 12)} layer ${l.chainId.slice(7, 19)} is committed`)
  }
}

/** `image inspect` of one image, parsed. */
export interface InspectedImage {
  Id: string
  Digest: string
  RepoTags: string[]
  RepoDigests: string[]
  Architecture: string
  Os: string
  Variant?: string
  Size: number
  Config: Record<string, unknown>
  Labels: Record<string, string>
  RootFS: { Type: string; Layers: string[] }
  GraphDriver: { Name: string; Data: { LowerDir?: string; UpperDir: string } }
}

export async function inspectImage(t: Asserts, env: StoreEnv, name: string): Promise<InspectedImage> {
  const r = await ok(t, env, ['image', 'inspect', name])
  const parsed = JSON.parse(r.stdout) as InspectedImage[]
  t.equal(parsed.length, 1, `image inspect ${name}: one object`)
  return parsed[0]!
}

/** The image's layer directories, bottom layer first. */
export function layerDirs(image: InspectedImage): string[] {
  const d = image.GraphDriver.Data
  return [d.UpperDir, ...(d.LowerDir ? d.LowerDir.split(':') : [])].reverse()
}

/** What `stat` says about a path in the merged view (ids as the container sees them). */
export interface MergedEntry {
  type: 'file' | 'dir' | 'symlink' | 'fifo' | 'char' | 'other'
  uid: number
  gid: number
  mode: number
  ino: number
  nlink: number
  mtime: number
  content?: string
  target?: string
}

const PROBE = `
set -e
m=$1; lower=$2; shift 2
mkdir -p "$m"
mount -t overlay overlay -o "ro,userxattr,lowerdir=$lower" "$m"
trap 'umount "$m"' EXIT
for p in "$@"; do
  f="$m$p"
  if [ -e "$f" ] || [ -L "$f" ]; then
    printf '%s\\t%s\\t' "$p" "$(stat -c '%F|%u|%g|%a|%i|%h|%Y' "$f")"
    if [ -L "$f" ]; then printf 'L:%s' "$(readlink "$f")"; elif [ -f "$f" ]; then printf 'C:%s' "$(base64 -w0 "$f")"; fi
    printf '\\n'
  else
    printf '%s\\tabsent\\n' "$p"
  fi
done
`

const TYPES: Record<string, MergedEntry['type']> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'dir',
  'symbolic link': 'symlink',
  fifo: 'fifo',
  'character special file': 'char',
}

let mounts = 0
/**
 * Mounts the image's layers read-only with native overlayfs (`-o userxattr`,
 * as rootless containers get them) inside tspod's user namespace, via
 * `tspod unshare`, and stats `paths` there. Absent paths map to undefined.
 */
export async function statMerged(t: Asserts, env: StoreEnv, image: InspectedImage, paths: readonly string[]): Promise<Map<string, MergedEntry | undefined>> {
  const mountpoint = join(env.tmpDir, `merged-${process.pid}-${mounts++}`)
  const lower = [...layerDirs(image)].reverse().join(':')
  const r = await ok(t, env, ['unshare', 'sh', '-c', PROBE, 'probe', mountpoint, lower, ...paths])
  const out = new Map<string, MergedEntry | undefined>()
  for (const line of r.stdout.split('\n')) {
    if (!line) continue
    const [path, st, extra] = line.split('\t') as [string, string, string | undefined]
    if (st === 'absent') {
      out.set(path, undefined)
      continue
    }
    const [type, uid, gid, mode, ino, nlink, mtime] = st.split('|') as [string, string, string, string, string, string, string]
    out.set(path, {
      type: TYPES[type] ?? 'other',
      uid: Number(uid),
      gid: Number(gid),
      mode: parseInt(mode, 8),
      ino: Number(ino),
      nlink: Number(nlink),
      mtime: Number(mtime),
      ...(extra?.startsWith('C:') ? { content: Buffer.from(extra.slice(2), 'base64').toString() } : {}),
      ...(extra?.startsWith('L:') ? { target: extra.slice(2) } : {}),
    })
  }
  return out
}

/** The test user's first subordinate uid and gid (container id 1 maps to them). */
export function subordinateStarts(): { uid: number; gid: number } {
  const [uids, gids] = [subordinateRanges('uid'), subordinateRanges('gid')]
  if (uids.length === 0 || gids.length === 0) throw new Error('the test user has no subordinate id range in /etc/subuid and /etc/subgid')
  return { uid: uids[0]!.start, gid: gids[0]!.start }
}

/** Polls `check` every 20 ms until it is true, or throws after `ms`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
