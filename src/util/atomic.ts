import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, readFileSync } from 'node:fs'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

let tempCounter = 0

/**
 * A temp name beside `path` so the final rename stays on one filesystem;
 * unique per process (pid) and per call (counter), and created with 'wx'.
 */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${(tempCounter++).toString(36)}.tmp`)
}

/**
 * Replace `path` atomically: readers see the old or the new content, never a
 * mix, and a crash leaves at most a stray temp file (never a truncated file).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644, durable = true): Promise<void> {
  const tmp = tempName(path)
  const fh = await open(tmp, 'wx', mode)
  try {
    await fh.writeFile(data)
    if (durable) await fh.sync()
  } catch (err) {
    await fh.close()
    await unlink(tmp).catch(() => {})
    throw err
  }
  await fh.close()
  try {
    await rename(tmp, path)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o644, durable = true): void {
  const tmp = tempName(path)
  const fd = openSync(tmp, 'wx', mode)
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data)
    if (durable) fsyncSync(fd)
  } catch (err) {
    closeSync(fd)
    try { unlinkSync(tmp) } catch {}
    throw err
  }
  closeSync(fd)
  renameSync(tmp, path)
}

/**
 * `durable: false` skips the fsync: the rename is still all-or-nothing for
 * readers, but a power loss may lose the latest version. Right for state
 * that is reconciled with reality anyway (a container's run state), and it
 * keeps milliseconds off every container start.
 */
export function writeJsonAtomic(path: string, value: unknown, options: { durable?: boolean } = {}): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', 0o644, options.durable ?? true)
}

export function writeJsonAtomicSync(path: string, value: unknown): void {
  writeFileAtomicSync(path, JSON.stringify(value, null, 2) + '\n')
}

/** Read JSON, or `undefined` when the file does not exist. */
export function readJsonSync<T>(path: string): T | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  return JSON.parse(text) as T
}
