/**
 * clipanion turns the registered command into a parser (a state machine) on
 * every start, then simplifies it: for `run`'s dozens of options, some 8 ms
 * of every `tspod run`, for a result that only the build can change. The
 * simplified machine is plain data, so it is kept beside V8's code cache
 * (scripts/cached-loader.cjs names the files after the bundle's hash and
 * removes those of other builds) and read back next time: one line of JSON
 * per state, parsed when the parse reaches that state (a command line visits
 * a handful of the hundred or so; parsing them all would cost 4 ms).
 *
 * This reaches into clipanion's internals (its CliBuilder and state machine
 * runner, clipanion 3.2); parser-cache.test.ts checks that a cached parser
 * parses every command exactly as a fresh one does.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { runMachineInternal, selectBestState } from 'clipanion/lib/core.js'
import { END_OF_INPUT } from 'clipanion/lib/constants.js'

/** What the loader tells the bundle about its cache (absent when run without it, as in tests). */
export interface StartupCache {
  dir: string
  /** File-name prefix unique to this bundle, build and Node version. */
  prefix: string
}

interface Compiled {
  machine: unknown
  contexts: unknown[]
  process: (input: string[]) => unknown
  suggest: (input: string[], partial: boolean) => unknown
}

interface Builder {
  compile(): Compiled
  builders: { context: unknown }[]
}

export function startupCache(): StartupCache | undefined {
  return (globalThis as Record<symbol, StartupCache | undefined>)[Symbol.for('tspod.startupCache')]
}

/** Make `cli` read its parser for `path` from the cache (writing it there the first time). */
export function cacheParser(cli: object, path: string[], cache: StartupCache | undefined = startupCache()): void {
  if (!cache) return
  const builder = (cli as { builder: Builder }).builder
  const compileFresh = builder.compile.bind(builder)
  const file = join(cache.dir, `${cache.prefix}parser-${path.join('-') || 'none'}.json`)
  builder.compile = () => {
    const machine = readMachine(file)
    if (machine === undefined) {
      const compiled = compileFresh()
      writeMachine(file, compiled.machine as { nodes: unknown[] })
      return compiled
    }
    return {
      machine,
      contexts: builder.builders.map(b => b.context),
      process: (input: string[]) => {
        let branches
        try {
          branches = runMachineInternal(machine as never, [...input, END_OF_INPUT])
        } catch {
          // A damaged file: the run is pure, so the fresh parser can simply take over (and reports any real error).
          rmSync(file, { force: true })
          return compileFresh().process(input)
        }
        // clipanion's own verdict: the best state, or its syntax errors.
        return selectBestState(input, branches.map(b => b.state))
      },
      // Suggestions only serve error messages: the fresh parser will do.
      suggest: (input: string[], partial: boolean) => compileFresh().suggest(input, partial),
    }
  }
}

/** The machine with its states parsed on first use. */
function readMachine(file: string): { nodes: unknown[] } | undefined {
  let lines: string[]
  try {
    lines = readFileSync(file, 'utf8').split('\n')
  } catch {
    return undefined // compiled afresh, and written
  }
  const parsed: unknown[] = []
  const nodes = new Proxy(parsed, {
    get(target, key, receiver) {
      if (key === 'length') return lines.length
      if (typeof key === 'string' && /^\d+$/.test(key)) return (target[Number(key)] ??= JSON.parse(lines[Number(key)] ?? ''))
      return Reflect.get(target, key, receiver)
    },
  })
  return { nodes }
}

function writeMachine(file: string, machine: { nodes: unknown[] }): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, machine.nodes.map(n => JSON.stringify(n)).join('\n'))
    renameSync(tmp, file)
  } catch {
    // No cache directory (read-only home): only slower, never wrong.
  }
}
