/**
 * Attaching the terminal to a container's shim (run, start -a, attach):
 * output and exit status come over the shim's socket; the exit status of an
 * attached run is the container's.
 */
import type { TspodCommand } from './base.js'
import type { Engine } from '../engine/engine.js'
import type { ContainerRecord } from '../engine/containers/record.js'
import { attach } from '../io/attach-client.js'
import { TspodError } from '../engine/errors.js'
import { constants } from 'node:os'

export interface AttachFlags {
  stdin: boolean
  tty: boolean
  replay: boolean
  sigProxy: boolean
  detachKeys?: string
}

export async function attachToContainer(cmd: TspodCommand, engine: Engine, record: ContainerRecord, flags: AttachFlags): Promise<number> {
  const ctx = cmd.context
  const stdinIsTty = Boolean((ctx.stdin as NodeJS.ReadStream).isTTY)
  const result = await attach({
    socketPath: engine.containers.paths(record.id).socketPath,
    stdout: ctx.stdout,
    stderr: record.tty ? ctx.stdout : ctx.stderr,
    stdin: flags.stdin ? ctx.stdin : null,
    replay: flags.replay,
    terminal: flags.tty && stdinIsTty ? { input: ctx.stdin as NodeJS.ReadStream, output: ctx.stdout as NodeJS.WriteStream } : null,
    sigProxy: flags.sigProxy,
    ...(flags.detachKeys !== undefined ? { detachKeys: flags.detachKeys } : {}),
  })
  switch (result.kind) {
    case 'exited':
      return result.exitCode
    case 'detached':
      ctx.stdout.write('\n')
      return 0
    case 'interrupted':
      return result.signal === 'SIGINT' || result.signal === 'SIGTERM' ? 1 : 128 + constants.signals[result.signal]
    case 'failed':
      throw new TspodError('internal', result.error)
    case 'disconnected': {
      // The shim went away without a word: what the record says is all there is.
      const state = engine.containerStore.record(record.id) ? (await engine.containers.get(record.id)).state : undefined
      if (state?.exitCode !== undefined && state.exitCode >= 0) return state.exitCode
      throw new TspodError('internal', state?.error ?? "lost the connection to the container's shim")
    }
  }
}
