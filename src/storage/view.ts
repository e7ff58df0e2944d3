/**
 * Where a container's files can be read without mounting its root (the CLI
 * resolves users from its /etc/passwd, outside tspod's mount namespace): the
 * directories to give LayeredReader, bottom first.
 */
import { existsSync } from 'node:fs'
import { driverOf, type RootfsSpec } from './driver.js'

export function containerViewDirs(spec: RootfsSpec): string[] {
  if (driverOf(spec) !== 'vfs') return [...spec.lowerDirs, spec.upperDir]
  // Until its first start a vfs container's files are the image's.
  return spec.copyDir && existsSync(spec.copyDir) ? [spec.copyDir] : [...spec.lowerDirs]
}
