/**
 * Deleting directories that hold files of subordinate ids (layers, a
 * container's upper directory). Only root of tspod's user namespace may remove
 * those, so outside it the removal runs there through the helper; inside (the
 * shim, the unpack worker) it is a plain recursive rm.
 */
import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { runInUserNamespace, type UserNamespace } from '../rootless/userns.js'

let inside: boolean | undefined

/** True when this process runs in a user namespace other than the initial one. */
export function inUserNamespace(): boolean {
  if (inside === undefined) {
    const map = readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/)
    inside = !(map.length === 3 && map[0] === '0' && map[1] === '0' && map[2] === '4294967295')
  }
  return inside
}

export async function removeTrees(ns: () => Promise<UserNamespace>, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return
  if (inUserNamespace() || process.getuid?.() === 0) {
    await Promise.all(paths.map(p => rm(p, { recursive: true, force: true })))
    return
  }
  await runInUserNamespace(await ns(), 'rm', ['-rf', '--', ...paths])
}
