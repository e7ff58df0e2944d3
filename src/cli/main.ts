/**
 * tspod's entry point: split global flags from the command line, find the
 * command (clipanion), run it, exit with its status. Parse errors follow
 * podman: one `Error: …` line, a hint, exit status 125.
 */
import { loadForPath, matchCommand } from './commands/index.js'
import { splitGlobalFlags } from './globals.js'
import type { TspodContext } from './base.js'
import { VERSION } from '../version.js'
import { trace } from '../util/trace.js'

async function main(argv: string[]): Promise<number> {
  trace('cli: main')
  let split
  try {
    split = splitGlobalFlags(argv)
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\n`)
    return 125
  }
  const match = matchCommand(split.rest)
  // Help, a bare group (`tspod image`), an unknown command: help.ts answers
  // (loaded only then); `run IMAGE CMD --help` goes on to the command.
  if (!match) (globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for('tspod.skipCodeCache')]?.()
  if (!match || split.rest.some(a => a === '--help' || a === '-h')) {
    const code = await (await import('./help.js')).runHelp(split.rest, stdio)
    if (code !== undefined || !match) return code ?? 125
  }
  // Before anything else is loaded (clipanion included), so the shim's
  // start-up runs beside all of the CLI's.
  // (Loaded only then: spawning pulls in child_process, net and more, which listings never need.)
  const pendingShim = match.entry.startsContainer ? await (await import('./prestart.js')).prestartShim(split) : undefined
  const { Cli, cacheParser } = await import('./cli-class.js')
  const cli = new Cli<TspodContext>({ binaryName: 'tspod', binaryLabel: 'tspod', binaryVersion: VERSION, enableColors: false })
  // Only the command being run is loaded and registered: clipanion's parser
  // for one command builds in a fraction of the time all of them take.
  cli.register(await loadForPath(match))
  cacheParser(cli, match.path)
  const context: TspodContext = { ...Cli.defaultContext, globals: split.globals, ...(pendingShim ? { pendingShim } : {}) }

  trace('cli: command loaded')
  let command
  try {
    command = cli.process(split.rest, context)
    trace('cli: parsed')
  } catch (err) {
    // podman's wording; `-n1` (a short option glued to its value) is retried as `-n 1`.
    const help = await import('./help.js')
    const retry = await help.expandShortOptions(match, split.rest)
    try {
      if (!retry) throw err
      command = cli.process(retry, context)
    } catch {
      pendingShim?.cancel()
      process.stderr.write(await help.parseErrorMessage(err, split.rest))
      return 125
    }
  }
  return cli.run(command, context)
}

const stdio = { out: (s: string) => void process.stdout.write(s), err: (s: string) => void process.stderr.write(s) }

// `tspod ps | head -1`: a reader that went away ends tspod quietly, as SIGPIPE ends podman (status 141).
process.stdout.on('error', err => {
  if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(141)
  throw err
})

// Exit as soon as the command is done, instead of letting Node wind down every
// handle first (milliseconds on every call). Nothing is lost: on Linux, writes
// to stdout and stderr (files, pipes, terminals) are synchronous.
main(process.argv.slice(2)).then(
  code => {
    trace('cli: done')
    process.exit(code)
  },
  err => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(125)
  },
)
