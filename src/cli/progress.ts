/**
 * Pull progress as podman shows it: a bar per blob on a terminal, plain lines
 * otherwise (logs, pipes, CI). Everything goes to stderr; stdout carries only
 * the image ID.
 */
import type { Writable } from 'node:stream'
import type { PullEvent } from '../engine/images/pull.js'
import { humanSize } from '../format/units.js'

type Bar = { update(value: number, payload?: object): void; stop(): void }
type MultiBar = { create(total: number, start: number, payload?: object, options?: { format?: string }): Bar; stop(): void }

export class PullProgressPrinter {
  private multibar?: MultiBar
  /** Decided at the first blob: bars when the terminal library is loaded by then, else plain lines. */
  private mode?: 'bars' | 'lines'
  private readonly bars = new Map<string, Bar>()
  private announced = false
  private stopped = false

  private loading?: Promise<void>

  constructor(
    private readonly err: Writable & { isTTY?: boolean },
    private readonly quiet: boolean,
  ) {}

  /** Only a pull on a terminal loads the library, while it talks to the registry (`run` makes a printer every time). */
  private preload(): void {
    if (!this.quiet && this.err.isTTY) this.loading ??= this.loadMultiBar().catch(() => {})
  }

  private line(text: string): void {
    if (!this.quiet) this.err.write(text + '\n')
  }

  private async loadMultiBar(): Promise<void> {
    // A CommonJS module: bundled, a dynamic import of it has only `default`.
    const mod = await import('cli-progress')
    const { MultiBar, Presets } = mod.MultiBar ? mod : mod.default
    if (this.mode === 'lines') return
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

  /** Bars need a terminal and the library loaded; the choice holds for the whole pull (no mixing). */
  private useBars(): boolean {
    this.mode ??= this.multibar && !this.stopped ? 'bars' : 'lines'
    return this.mode === 'bars'
  }

  handle = (e: PullEvent): void => {
    switch (e.type) {
      case 'resolved':
        this.preload()
        this.line(e.description)
        return
      case 'trying':
        this.preload()
        this.line(`Trying to pull ${e.reference.toString()}...`)
        return
      case 'start':
      case 'cached': {
        if (this.quiet) return
        if (!this.announced) {
          this.announced = true
          this.line('Getting image source signatures')
        }
        const what = e.role === 'config' ? 'config' : 'blob'
        const short = e.digest.slice(7, 19)
        if (this.useBars() && !this.stopped) {
          const label = `Copying ${what} ${short}`
          // podman's line for a blob it has: no bar.
          const bar =
            e.type === 'cached'
              ? this.multibar!.create(e.size, e.size, { label }, { format: '{label} skipped: already exists' })
              : this.multibar!.create(e.size, 0, { label, done: humanSize(0), size: humanSize(e.size) })
          this.bars.set(e.digest, bar)
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
        this.stop()
        this.line('Writing manifest to image destination')
        this.line('Storing signatures')
        return
      case 'unpacked':
        return
    }
  }

  /** Stops redrawing (idempotent); the bars stay on the screen as they are. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    if (this.mode === 'bars') this.multibar?.stop()
  }
}
