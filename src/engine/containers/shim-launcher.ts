/**
 * Starting a shim: fork-exec it inside tspod's namespace, detached in its own
 * session so it outlives this process, and read its one report line (the
 * container's pid, or why it could not start) from the pipe on its fd 3.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { TspodError } from '../errors.js'
import { userNamespaceArgv, type UserNamespace } from '../../rootless/userns.js'
import { distPath } from '../../util/dist.js'
import type { ShimConfig, ShimReport } from '../../shim/config.js'

/**
 * V8 flags that keep an idle shim small: it holds a few sockets and buffers
 * and waits; it never needs a large young generation.
 */
export const SHIM_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=64']

export async function launchShim(ns: UserNamespace, cfg: ShimConfig, shimLog: string): Promise<ShimReport & { shimPid: number }> {
  const [file, ...args] = userNamespaceArgv(ns, process.execPath, [...SHIM_NODE_FLAGS, distPath('shim.mjs'), JSON.stringify(cfg)])
  const logFd = openSync(shimLog, 'a', 0o600)
  const child = spawn(file!, args, { detached: true, stdio: ['ignore', 'ignore', logFd, 'pipe'] })
  closeSync(logFd)
  const pipe = child.stdio[3] as NodeJS.ReadableStream
  const line = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.once('error', reject)
    pipe.on('data', (d: Buffer) => {
      text += d.toString()
      const nl = text.indexOf('\n')
      if (nl >= 0) resolve(text.slice(0, nl))
    })
    pipe.on('end', () => resolve(text))
  })
  ;(pipe as NodeJS.ReadableStream & { destroy(): void }).destroy()
  child.unref()
  if (line.trim() === '') {
    const why = lastLines(shimLog)
    throw new TspodError('internal', `the container's shim exited before reporting${why ? `: ${why}` : ''}`)
  }
  return { ...(JSON.parse(line) as ShimReport), shimPid: child.pid! }
}

function lastLines(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    return lines.slice(-2).join(' / ').replace(/^tspod-nsexec: /, '')
  } catch {
    return ''
  }
}
