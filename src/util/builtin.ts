/**
 * Loading a Node built-in module on first use. `import()` cannot be used for
 * built-ins here: the CLI and the shim run as CommonJS bundles compiled
 * through V8's code cache (scripts/cached-loader.cjs), where a dynamic
 * import() of a built-in would need an experimental loader hook.
 */
import { createRequire } from 'node:module'

const load = createRequire(import.meta.url)

export function builtin<T>(name: `node:${string}`): T {
  return load(name) as T
}
