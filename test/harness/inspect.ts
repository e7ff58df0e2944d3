/**
 * Looking at images and unpacked trees with tools other than tspod: skopeo
 * pulls to a directory, tar-stream lists layer entries, umoci unpacks, and
 * checkFsFacts compares a root filesystem with a fixture's ImageFacts.
 */
import { lstat, readFile, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Test } from 'tap'
import { extract } from 'tar-stream'
import type { FsFact, ImageFacts } from './fixtures/facts.js'
import { skopeo, skopeoTargetFlags } from './fixtures.js'
import type { RegistryTarget } from './registry.js'
import { run } from './tools.js'

export interface TarEntry {
  name: string
  type: string
  mode: number
  uid: number
  gid: number
  mtime: number
  size: number
  linkname?: string
  /** Content of regular files up to 64 KiB. */
  content?: string
}

/** Headers (and small contents) of a layer blob, gzip or plain tar, in order. */
export async function readLayerEntries(blob: Buffer): Promise<TarEntry[]> {
  const tar = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob
  const entries: TarEntry[] = []
  const ex = extract()
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve)
    ex.on('error', reject)
  })
  ex.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = []
    stream.on('data', (c: unknown) => {
      chunks.push(c as Buffer)
    })
    stream.on('end', () => {
      const body = Buffer.concat(chunks)
      entries.push({
        name: h.name,
        type: h.type ?? 'file',
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        mtime: h.mtime ? Math.floor(h.mtime.getTime() / 1000) : 0,
        size: h.size ?? 0,
        ...(h.linkname ? { linkname: h.linkname } : {}),
        ...(h.type === 'file' && body.length <= 65536 ? { content: body.toString() } : {}),
      })
      next()
    })
    stream.resume()
  })
  ex.end(tar)
  await done
  return entries
}

export interface PulledDir {
  dir: string
  manifest: { mediaType?: string; config: { digest: string }; layers: { digest: string; mediaType: string; size: number }[] }
  config: { architecture: string; os: string; config?: Record<string, unknown>; rootfs: { diff_ids: string[] } }
  /** Each layer blob's entries, bottom layer first. */
  layers(): Promise<TarEntry[][]>
}

/** `skopeo copy docker://REF dir:DIR` (optionally for another platform) and read it back. */
export async function pullWithSkopeo(target: RegistryTarget, reference: string, dir: string, platform?: { arch: string; variant?: string }): Promise<PulledDir> {
  const overrides = platform ? ['--override-arch', platform.arch, ...(platform.variant ? ['--override-variant', platform.variant] : [])] : []
  await skopeo([...overrides, 'copy', '--quiet', ...skopeoTargetFlags(target, 'src'), `docker://${reference}`, `dir:${dir}`])
  const blob = (digest: string) => readFile(join(dir, digest.replace(/^sha256:/, '')))
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as PulledDir['manifest']
  const config = JSON.parse((await blob(manifest.config.digest)).toString()) as PulledDir['config']
  return {
    dir,
    manifest,
    config,
    layers: async () => Promise.all(manifest.layers.map(async l => readLayerEntries(await blob(l.digest)))),
  }
}

/** `skopeo inspect [--config|--raw] docker://REF` parsed as JSON. */
export async function skopeoInspect(target: RegistryTarget, reference: string, mode: 'image' | 'config' | 'raw' = 'image', platform?: { arch: string; variant?: string }): Promise<Record<string, unknown>> {
  const overrides = platform ? ['--override-arch', platform.arch, ...(platform.variant ? ['--override-variant', platform.variant] : [])] : []
  const flag = mode === 'config' ? ['--config'] : mode === 'raw' ? ['--raw'] : []
  const creds = skopeoTargetFlags(target, 'src').map(f => f.replace(/^--src-/, '--'))
  return JSON.parse(await skopeo([...overrides, 'inspect', ...flag, ...creds, `docker://${reference}`])) as Record<string, unknown>
}

/**
 * Unpack an OCI layout tag with `umoci unpack --rootless` into BUNDLE
 * (rootfs at BUNDLE/rootfs). Ownership is not kept (rootless); everything
 * else — whiteouts, modes, links, mtimes — is umoci's independent reading.
 */
export async function umociUnpack(layout: string, tag: string, bundle: string): Promise<string> {
  await run('umoci', ['unpack', '--rootless', '--image', `${layout}:${tag}`, bundle])
  return join(bundle, 'rootfs')
}

/** The assertions checkFsFacts uses (a tap Test has them). */
export type FactCheck = Pick<Test, 'ok' | 'equal'>

export interface CheckOptions {
  /** Map a container uid/gid to the owner expected on disk; `null` skips ownership checks. */
  mapUid?: ((id: number) => number) | null
  mapGid?: ((id: number) => number) | null
}

/**
 * Asserts that `rootfs` holds every entry of `facts` (type, mode, owner,
 * content, symlink target, mtime, hard link) and none of `facts.absent`.
 */
export async function checkFsFacts(t: FactCheck, rootfs: string, facts: Pick<ImageFacts, 'entries' | 'absent'>, options: CheckOptions = {}): Promise<void> {
  const mapUid = options.mapUid === undefined ? (id: number) => id : options.mapUid
  const mapGid = options.mapGid === undefined ? (id: number) => id : options.mapGid
  for (const f of facts.entries) await checkEntry(t, rootfs, f, mapUid, mapGid)
  for (const path of facts.absent) {
    const st = await lstat(join(rootfs, path)).catch(() => null)
    t.ok(st === null, `${path} is absent`)
  }
}

async function checkEntry(t: FactCheck, rootfs: string, f: FsFact, mapUid: ((id: number) => number) | null, mapGid: ((id: number) => number) | null): Promise<void> {
  const p = join(rootfs, f.path)
  const st = await lstat(p).catch(() => null)
  if (!st) {
    t.ok(false, `${f.path} exists`)
    return
  }
  const type = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'symlink' : st.isFIFO() ? 'fifo' : 'other'
  t.equal(type, f.type, `${f.path} is a ${f.type}`)
  if (f.mode !== undefined) t.equal((st.mode & 0o7777).toString(8), f.mode.toString(8), `${f.path} mode ${f.mode.toString(8)}`)
  if (f.uid !== undefined && mapUid) t.equal(st.uid, mapUid(f.uid), `${f.path} uid ${f.uid}`)
  if (f.gid !== undefined && mapGid) t.equal(st.gid, mapGid(f.gid), `${f.path} gid ${f.gid}`)
  if (f.content !== undefined) t.equal(await readFile(p, 'utf8'), f.content, `${f.path} content`)
  if (f.target !== undefined) t.equal(await readlink(p), f.target, `${f.path} -> ${f.target}`)
  if (f.mtime !== undefined) t.equal(Math.floor(st.mtimeMs / 1000), f.mtime, `${f.path} mtime ${f.mtime}`)
  if (f.hardlinkOf !== undefined) {
    const other = await lstat(join(rootfs, f.hardlinkOf)).catch(() => null)
    t.ok(other && other.ino === st.ino && st.nlink >= 2, `${f.path} is a hard link of ${f.hardlinkOf}`)
  }
}
