/**
 * Where the compiled C helpers are: dist/native/tspod-NAME, found relative to
 * this module whether it runs bundled (dist/*.mjs) or from source
 * (src/rootless/*.ts, in tests).
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TspodError } from '../engine/errors.js'

export type NativeHelper = 'nsexec' | 'init' | 'shimlaunch'

const here = dirname(fileURLToPath(import.meta.url))
const found = new Map<NativeHelper, string>()

export function nativeHelperPath(name: NativeHelper): string {
  const cached = found.get(name)
  if (cached) return cached
  const file = `tspod-${name}`
  const candidates = [join(here, 'native', file), join(here, '..', '..', 'dist', 'native', file)]
  const path = candidates.find(p => existsSync(p))
  if (!path) {
    throw new TspodError('unavailable', `helper ${file} not found (looked in ${candidates.join(', ')}): run "npm run build"`)
  }
  found.set(name, path)
  return path
}
