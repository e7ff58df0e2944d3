/**
 * Raw mode for the local terminal while attached to a container with a TTY,
 * with a restore that runs exactly once — called by the attach client on
 * every way out (exit frame, detach, error, signal), and also hooked to the
 * process 'exit' event in case something calls process.exit() meanwhile.
 */
import type { ReadStream } from 'node:tty'

export type TerminalInput = Pick<ReadStream, 'isTTY' | 'isRaw' | 'setRawMode'>

/** Puts `input` in raw mode (if it is a TTY) and returns the idempotent restore. */
export function enterRawMode(input: TerminalInput): () => void {
  if (!input.isTTY) return () => {}
  const wasRaw = input.isRaw
  input.setRawMode(true)
  let restored = false
  const restore = () => {
    if (restored) return
    restored = true
    process.off('exit', restore)
    input.setRawMode(wasRaw)
  }
  process.on('exit', restore)
  return restore
}
