/**
 * Paths of tspod's built files (the shim, the unpack worker, the C helpers).
 * Bundled code runs from dist/ itself; code run from src/ (tests) finds dist/
 * at the top of the checkout.
 */
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const distDir = basename(here) === 'dist' ? here : join(here, '..', '..', 'dist')

export function distPath(...parts: string[]): string {
  return join(distDir, ...parts)
}
