/**
 * Holding a container's output for the attached CLI it was started for. That
 * CLI connects only after the start is reported, and asks for a replay of
 * what it missed; the replay keeps the last REPLAY_BYTES. A container that
 * writes more than that before the client arrives would lose the beginning,
 * so past a limit the shim stops reading its output (the container blocks on
 * its pipe or pty, as under a slow terminal) until the client has attached,
 * or the wait for it timed out (the CLI died on the way).
 */
export class AttachGate {
  private bytes = 0
  private waiting: Promise<void> | undefined
  private givenUp = false

  constructor(
    /** True once a client has attached. */
    private readonly attached: () => boolean,
    /** An attached client was promised (run without -d, start -a). */
    private readonly enabled: boolean,
    /** Output allowed before the client is there. */
    private readonly limit: number,
    private readonly timeoutMs: number,
  ) {}

  /** Counts output; returns a promise when reading must stop until it settles. */
  count(n: number): Promise<void> | undefined {
    if (!this.enabled || this.givenUp || this.attached()) return undefined
    this.bytes += n
    if (this.bytes < this.limit) return undefined
    this.waiting ??= this.waitForClient()
    return this.waiting
  }

  /** Settles when held output may flow again (at once if none is held). */
  released(): Promise<void> {
    return this.waiting ?? Promise.resolve()
  }

  private async waitForClient(): Promise<void> {
    const deadline = Date.now() + this.timeoutMs
    while (!this.attached() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
    if (!this.attached()) this.givenUp = true
  }
}
