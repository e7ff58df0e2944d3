/**
 * Go's text/tabwriter (elastic tabstops), as podman uses it for tables:
 * tab-terminated cells are aligned per column block; text after the last tab
 * of a line is not a cell; a line without tabs ends the block. Widths count
 * code points, like Go's utf8.RuneCount.
 */
import { runeCount } from './print.js'

export interface TabWriterOptions {
  minwidth: number
  tabwidth: number
  padding: number
  padchar: string
  /** Drop columns whose cells are all empty (tabwriter.DiscardEmptyColumns). */
  discardEmptyColumns?: boolean
}

/** containers/common report: tabwriter.NewWriter(w, 12, 2, 2, ' ', tabwriter.StripEscape). */
export const PODMAN_TABWRITER: TabWriterOptions = { minwidth: 12, tabwidth: 2, padding: 2, padchar: ' ' }

interface Cell {
  text: string
  width: number
  htab: boolean // terminated by '\t' (not '\v')
}

export class TabWriter {
  private lines: Cell[][] = [[]]
  private cell = ''
  private widths: number[] = []
  private out = ''

  constructor(private readonly opts: TabWriterOptions = PODMAN_TABWRITER) {}

  write(text: string): void {
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      // '\t', '\n', '\v', '\f' end a cell
      if (c !== 9 && c !== 10 && c !== 11 && c !== 12) continue
      this.cell += text.slice(start, i)
      start = i + 1
      const ncells = this.terminateCell(c === 9)
      if (c === 10 || c === 12) {
        this.lines.push([])
        // A one-cell line cannot affect later alignment: flush what we have.
        if (c === 12 || ncells === 1) this.flushLines()
      }
    }
    this.cell += text.slice(start)
  }

  /** Format and return everything buffered (Go's Flush), leaving the writer empty. */
  flush(): string {
    if (this.cell.length > 0) this.terminateCell(false)
    this.flushLines()
    const out = this.out
    this.out = ''
    return out
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1]!
    line.push({ text: this.cell, width: runeCount(this.cell), htab })
    this.cell = ''
    return line.length
  }

  private flushLines(): void {
    this.format(0, this.lines.length)
    this.lines = [[]]
    this.widths = []
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length
    for (let i = line0; i < line1; i++) {
      if (column >= this.lines[i]!.length - 1) continue
      // This line has a cell in `column`: lines before it are done.
      this.writeLines(line0, i)
      line0 = i
      let width = this.opts.minwidth
      let discardable = true
      for (; i < line1; i++) {
        const line = this.lines[i]!
        if (column >= line.length - 1) break
        const c = line[column]!
        width = Math.max(width, c.width + this.opts.padding)
        if (c.width > 0 || c.htab) discardable = false
      }
      if (discardable && this.opts.discardEmptyColumns) width = 0
      this.widths.push(width)
      this.format(line0, i)
      this.widths.pop()
      line0 = i
    }
    this.writeLines(line0, line1)
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!
      line.forEach((c, j) => {
        this.out += c.text
        if (j < this.widths.length) this.out += this.padding(c.width, this.widths[j]!)
      })
      if (i + 1 === this.lines.length) this.out += this.cell
      else this.out += '\n'
    }
  }

  private padding(textw: number, cellw: number): string {
    if (this.opts.padchar === '\t') {
      if (this.opts.tabwidth === 0) return ''
      const tw = this.opts.tabwidth
      cellw = Math.ceil(cellw / tw) * tw
      return '\t'.repeat(Math.ceil((cellw - textw) / tw))
    }
    return this.opts.padchar.repeat(Math.max(cellw - textw, 0))
  }
}
