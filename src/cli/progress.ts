/**
 * Pull progress as podman shows it: a bar per blob on a terminal, plain lines
 * otherwise (logs, pipes, CI). Everything goes to stderr; stdout carries only
 * the image ID.
 */
import type { Writable } from 'node:stream'
import type { PullEvent } from '../engine/images/pull.js'
import { humanSize } from '../format/units.js'

type Bar = { update(value: number, payload?: object): void; stop(): void }
type MultiBar = { create(total: number, start: number, payload?: object): Bar; stop(): void }

export class PullProgressPrinter {
  private multibar?: MultiBar
  private readonly bars = new Map<string, Bar>()
  private announced = false

  constructor(
    private readonly err: Writable & { isTTY?: boolean },
    private readonly quiet: boolean,
  ) {}

  private line(text: string): void {
    if (!this.quiet) this.err.write(text + '\n')
  }

  private async bar(key: string, label: string, total: number): Promise<Bar | undefined> {
    if (this.quiet || !this.err.isTTY) return undefined
    if (!this.multibar) {
      const { MultiBar, Presets } = await import('cli-progress')
      this.multibar = new MultiBar(
        {
          stream: this.err as NodeJS.WriteStream,
          format: '{label} {bar} {done} / {size}',
          barsize: 30,
          hideCursor: false,
          clearOnComplete: false,
          stopOnComplete: false,
          formatValue: (v: number, _o: unknown, type: string) => (type === 'value' || type === 'total' ? humanSize(v) : String(v)),
        },
        Presets.shades_classic,
      ) as unknown as MultiBar
    }
    const b = this.multibar.create(total, 0, { label, done: humanSize(0), size: humanSize(total) })
    this.bars.set(key, b)
    return b
  }

  handle = (e: PullEvent): void => {
    switch (e.type) {
      case 'resolved':
        this.line(e.description)
        return
      case 'trying':
        this.line(`Trying to pull ${e.reference.toString()}...`)
        return
      case 'start':
      case 'cached': {
        if (!this.announced) {
          this.announced = true
          this.line('Getting image source signatures')
        }
        const what = e.role === 'config' ? 'config' : 'blob'
        const short = e.digest.slice(7, 19)
        if (this.err.isTTY && !this.quiet) {
          void this.bar(e.digest, `Copying ${what} ${short}`, e.size).then(b => {
            if (e.type === 'cached') b?.update(e.size, { done: 'skipped: already exists', size: '' })
          })
        } else {
          this.line(`Copying ${what} ${e.type === 'cached' ? `${short} skipped: already exists` : e.digest}`)
        }
        return
      }
      case 'bytes':
        this.bars.get(e.digest)?.update(e.received, { done: humanSize(e.received) })
        return
      case 'done':
        this.bars.get(e.digest)?.update(e.size, { done: 'done', size: '' })
        return
      case 'writing-manifest':
        this.multibar?.stop()
        this.line('Writing manifest to image destination')
        this.line('Storing signatures')
        return
      case 'unpacked':
        return
    }
  }

  stop(): void {
    this.multibar?.stop()
  }
}
