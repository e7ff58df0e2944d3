/**
 * podman's `--detach-keys`: a comma-separated key sequence, each key one
 * character, `ctrl-@` … `ctrl-z`, `ctrl-[`, `ctrl-\`, `ctrl-]`, `ctrl-^`,
 * `ctrl-_`, or `DEL`. Default `ctrl-p,ctrl-q`; an empty string disables it.
 */
import { InvalidArgumentError } from '../engine/errors.js'

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q'

const CTRL_NAMES = '@abcdefghijklmnopqrstuvwxyz[\\]^_'

/** The byte sequence for a `--detach-keys` value (empty = detaching disabled). */
export function parseDetachKeys(spec: string): Buffer {
  if (spec === '') return Buffer.alloc(0)
  const bytes: number[] = []
  for (const key of spec.split(',')) {
    if (Buffer.byteLength(key) === 1) {
      bytes.push(key.charCodeAt(0))
      continue
    }
    const ctrl = /^ctrl-(.)$/.exec(key)
    const index = ctrl ? CTRL_NAMES.indexOf(ctrl[1]!) : -1
    if (index >= 0) bytes.push(index)
    else if (key === 'DEL') bytes.push(127)
    // podman's wording (moby/term ToBytes wrapped by processDetachKeys)
    else throw new InvalidArgumentError(`invalid detach keys: Unknown character: '${key}'`)
  }
  return Buffer.from(bytes)
}

/**
 * Watches stdin for the detach sequence across reads. Bytes that could start
 * the sequence are held back until the sequence either completes (they are
 * dropped: the container never sees the keys) or breaks (they are passed on).
 */
export class DetachKeyMatcher {
  private matched = 0

  constructor(private readonly keys: Buffer) {}

  /** Returns the bytes to forward and whether the sequence completed (bytes after it are dropped). */
  push(chunk: Buffer): { data: Buffer; detach: boolean } {
    if (this.keys.length === 0) return { data: chunk, detach: false }
    const out: number[] = []
    for (const b of chunk) {
      if (b === this.keys[this.matched]) {
        this.matched++
        if (this.matched === this.keys.length) {
          this.matched = 0
          return { data: Buffer.from(out), detach: true }
        }
        continue
      }
      if (this.matched > 0) {
        // The held prefix was ordinary input after all.
        out.push(...this.keys.subarray(0, this.matched))
        this.matched = 0
        if (b === this.keys[0]) {
          this.matched = 1
          continue
        }
      }
      out.push(b)
    }
    return { data: Buffer.from(out), detach: false }
  }

  /** At end of input: the held prefix, if any. */
  flush(): Buffer {
    const held = this.keys.subarray(0, this.matched)
    this.matched = 0
    return Buffer.from(held)
  }
}
