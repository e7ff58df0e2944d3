/**
 * Global flags may come before the command name (`tspod --root /x images`),
 * which clipanion does not parse, so they are taken off the front here and
 * handed to commands through the context. After the command name, each
 * command declares them itself (see base.ts).
 */
import type { GlobalFlags } from './base.js'

const VALUE_FLAGS: Record<string, keyof GlobalFlags> = {
  '--root': 'root',
  '--runroot': 'runRoot',
  '--log-level': 'logLevel',
  '--storage-driver': 'storageDriver',
}

export function splitGlobalFlags(argv: string[]): { globals: GlobalFlags; rest: string[] } {
  const globals: GlobalFlags = {}
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]!
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
    const key = VALUE_FLAGS[name]
    if (!key) break
    if (eq > 0) {
      globals[key] = arg.slice(eq + 1)
      i += 1
    } else {
      const value = argv[i + 1]
      if (value === undefined) throw new Error(`flag needs an argument: ${name}`)
      globals[key] = value
      i += 2
    }
  }
  return { globals, rest: argv.slice(i) }
}
