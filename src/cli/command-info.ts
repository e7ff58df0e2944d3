/**
 * What a clipanion command class declares — its options (names, arity,
 * description, default, whether it repeats), positionals and usage text —
 * read from the class itself, so help, the help test and argument
 * normalisation all come from the one definition.
 */
import type { CommandClass } from 'clipanion'

export interface OptionInfo {
  /** e.g. ['-a', '--all']. */
  names: string[]
  /** 0 for booleans. */
  arity: number
  description: string
  hidden: boolean
  /** The value when the option is absent. */
  initial: unknown
  /** Option.Array: each use adds a value. */
  repeats: boolean
}

export interface PositionalInfo {
  name: string
  required: boolean
  /** Rest (any number) or proxy (everything after). */
  variadic: boolean
  proxy: boolean
}

export interface CommandInfo {
  paths: string[][]
  description: string
  details: string
  examples: [string, string][]
  category: string
  /** No `usage`: clipanion's convention for an internal command (`tspod __complete`), left out of help and docs. */
  hidden: boolean
  options: OptionInfo[]
  positionals: PositionalInfo[]
}

interface ClipanionOption {
  definition: (builder: unknown, key: string) => void
  transformer: (builder: unknown, key: string, state: unknown, context: unknown) => unknown
}

const isOption = (v: unknown): v is ClipanionOption =>
  typeof v === 'object' && v !== null && typeof (v as ClipanionOption).definition === 'function' && typeof (v as ClipanionOption).transformer === 'function'

/** Evaluate an option's transformer as if it was given `values` (or absent). */
function probe(option: ClipanionOption, key: string, name: string, values: (string | boolean)[]): unknown {
  const state = { options: values.map(value => ({ name, value })), positionals: [] }
  try {
    return option.transformer({}, key, state, { env: {} })
  } catch {
    return undefined
  }
}

export function commandInfo(cls: CommandClass<any>): CommandInfo {
  const instance = new (cls as unknown as new () => Record<string, unknown>)()
  const options: OptionInfo[] = []
  const positionals: PositionalInfo[] = []
  for (const [key, value] of Object.entries(instance)) {
    if (!isOption(value)) continue
    value.definition(
      {
        addOption(o: { names: string[]; arity?: number; description?: string; hidden?: boolean }) {
          const arity = o.arity ?? 0
          const twice = probe(value, key, o.names[0]!, arity === 0 ? [true, true] : ['a', 'b'])
          options.push({
            names: o.names,
            arity,
            description: o.description ?? '',
            hidden: o.hidden ?? false,
            initial: probe(value, key, o.names[0]!, []),
            repeats: Array.isArray(twice),
          })
        },
        addPositional(o: { name?: string; required?: boolean } = {}) {
          positionals.push({ name: o.name ?? key, required: o.required ?? true, variadic: false, proxy: false })
        },
        addRest(o: { name?: string; required?: number } = {}) {
          positionals.push({ name: o.name ?? key, required: (o.required ?? 0) > 0, variadic: true, proxy: false })
        },
        addProxy(o: { name?: string; required?: number } = {}) {
          positionals.push({ name: o.name ?? key, required: (o.required ?? 0) > 0, variadic: true, proxy: true })
        },
      },
      key,
    )
  }
  const declared = (cls as unknown as { usage?: { description?: string; details?: string; examples?: [string, string][]; category?: string } }).usage
  const usage = declared ?? {}
  return {
    paths: (cls.paths ?? []) as string[][],
    description: (usage.description ?? '').trim(),
    details: (usage.details ?? '').trim(),
    examples: usage.examples ?? [],
    category: usage.category ?? '',
    hidden: declared === undefined,
    options,
    positionals,
  }
}

/** The option a command-line word names (`--format`, `--format=x`, `-f`), if any. */
export function findOption(info: CommandInfo, word: string): OptionInfo | undefined {
  const name = word.startsWith('--') ? word.split('=')[0]! : word
  return info.options.find(o => o.names.includes(name))
}
