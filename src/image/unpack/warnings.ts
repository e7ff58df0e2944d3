/**
 * What an unpack could not reproduce, gathered into a few lines per layer
 * (an old image can hold hundreds of device nodes: one line, not hundreds).
 */
const MAX_NAMED = 10

class Tally {
  readonly items: string[] = []
  count = 0
  add(item: string): void {
    this.count++
    if (this.items.length < MAX_NAMED) this.items.push(item)
  }
  list(): string {
    return this.items.join(', ') + (this.count > this.items.length ? `, and ${this.count - this.items.length} more` : '')
  }
}

export class UnpackWarnings {
  private readonly devices = new Tally()
  private readonly owners = new Tally()
  private readonly xattrs = new Tally()
  private readonly reserved = new Tally()

  /** A device node an unprivileged user namespace may not create. */
  device(path: string): void {
    this.devices.add(`"${path}"`)
  }

  /** An owner outside the user namespace's id map: the entry stays the namespace root's. */
  owner(path: string, uid: number, gid: number): void {
    this.owners.add(`"${path}" (${uid}:${gid})`)
  }

  /** An extended attribute the kernel refused. */
  xattr(path: string, name: string, code: string): void {
    this.xattrs.add(`${name} on "${path}" (${code})`)
  }

  /** An overlay control attribute carried by the layer itself: never applied. */
  reservedXattr(path: string, name: string): void {
    this.reserved.add(`${name} on "${path}"`)
  }

  list(): string[] {
    const out: string[] = []
    if (this.devices.count > 0) {
      out.push(`skipped ${plural(this.devices.count, 'device node')} that a rootless user namespace cannot create: ${this.devices.list()}`)
    }
    if (this.owners.count > 0) {
      out.push(`${plural(this.owners.count, 'entry', 'entries')} owned by ids outside the user namespace (check /etc/subuid and /etc/subgid), kept as root's: ${this.owners.list()}`)
    }
    if (this.xattrs.count > 0) {
      out.push(`could not set ${plural(this.xattrs.count, 'extended attribute')}: ${this.xattrs.list()}`)
    }
    if (this.reserved.count > 0) {
      out.push(`ignored ${plural(this.reserved.count, 'overlay extended attribute')} carried by the layer: ${this.reserved.list()}`)
    }
    return out
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
