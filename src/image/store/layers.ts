/**
 * Layer store (the snapshotter's read-only half). Each layer is unpacked once
 * into `overlay/HEX/diff`, keyed by its chain ID, and shared by every image
 * whose stack contains it. A layer is *committed* by renaming a fully unpacked
 * staging directory into place, then `layer.json` is its receipt: a directory
 * without a receipt is debris from an interrupted pull and is never mounted.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Digest } from '../digest.js'
import { digestHex } from '../digest.js'
import { readdirOrEmpty } from '../../util/fs.js'

export interface LayerRecord {
  chainId: Digest
  diffId: Digest
  /** Compressed blob it came from (absent for layers made locally). */
  blobDigest?: Digest
  /** Uncompressed tar size, which is what podman reports as layer size. */
  size: number
  created: string
}

export class LayerStore {
  readonly dir: string
  /** Held shared by pulls (their new layers are not in any image yet), exclusively by garbage collection. */
  readonly lockFile: string
  constructor(root: string) {
    this.dir = join(root, 'overlay')
    this.lockFile = join(root, 'layers.lock')
  }

  layerDir(chainId: Digest): string {
    return join(this.dir, digestHex(chainId))
  }

  /** The directory overlay uses as a lowerdir. */
  diffDir(chainId: Digest): string {
    return join(this.layerDir(chainId), 'diff')
  }

  receiptPath(chainId: Digest): string {
    return join(this.layerDir(chainId), 'layer.json')
  }

  get(chainId: Digest): LayerRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.receiptPath(chainId), 'utf8')) as LayerRecord
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
  }

  has(chainId: Digest): boolean {
    return this.get(chainId) !== undefined
  }

  /** A fresh staging directory for one unpack; committed by rename. */
  async stagingDir(chainId: Digest): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    return join(this.dir, `.staging-${digestHex(chainId).slice(0, 12)}-${randomBytes(4).toString('hex')}`)
  }

  async list(): Promise<LayerRecord[]> {
    const names = await readdirOrEmpty(this.dir)
    const out: LayerRecord[] = []
    for (const name of names) {
      if (!/^[a-f0-9]{64}$/.test(name)) continue
      try {
        out.push(JSON.parse(await readFile(join(this.dir, name, 'layer.json'), 'utf8')) as LayerRecord)
      } catch {}
    }
    return out
  }

  /** Directories under overlay/ that are not committed layers (interrupted work). */
  async debris(): Promise<string[]> {
    const names = await readdirOrEmpty(this.dir)
    const out: string[] = []
    for (const name of names) {
      if (name.startsWith('.staging-')) out.push(join(this.dir, name))
      else if (/^[a-f0-9]{64}$/.test(name) && !existsSync(join(this.dir, name, 'layer.json'))) out.push(join(this.dir, name))
    }
    return out
  }
}
