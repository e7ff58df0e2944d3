/**
 * tspod's entry point: split global flags from the command line, find the
 * command (clipanion), run it, exit with its status. Parse errors follow
 * podman: one `Error: …` line, a hint, exit status 125.
 */
import { commandEntries, loadAllCommands, loadForPath, matchCommand } from './commands/index.js'
import { splitGlobalFlags } from './globals.js'
import type { TspodContext } from './base.js'
import { VERSION } from '../version.js'
import { trace } from '../util/trace.js'
import { prestartShim } from './prestart.js'

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
  const wantsHelp = split.rest.includes('--help') || (split.rest.length <= 2 && split.rest.includes('-h'))
  // Before anything else is loaded (clipanion included), so the shim's
  // start-up runs beside all of the CLI's.
  const pendingShim = match?.entry.startsContainer && !wantsHelp ? await prestartShim(split) : undefined
  const { Cli } = await import('./cli-class.js')
  const cli = new Cli<TspodContext>({ binaryName: 'tspod', binaryLabel: 'tspod', binaryVersion: VERSION, enableColors: false })
  // Only the command being run is loaded and registered: clipanion's parser
  // for one command builds in a fraction of the time all of them take.
  for (const command of match && !wantsHelp ? [await loadForPath(match)] : await loadAllCommands()) cli.register(command)
  const context: TspodContext = { ...Cli.defaultContext, globals: split.globals, ...(pendingShim ? { pendingShim } : {}) }

  trace('cli: command loaded')
  let command
  try {
    command = cli.process(split.rest, context)
  } catch (err) {
    pendingShim?.cancel()
    process.stderr.write(parseErrorMessage(err, split.rest))
    return 125
  }
  return cli.run(command, context)
}

/** Clipanion's parse errors, reworded as podman words them. */
function parseErrorMessage(err: unknown, args: string[]): string {
  const message = err instanceof Error ? err.message : String(err)
  const unknownOption = /Unsupported option name \("([^"]+)"\)/.exec(message)
  const commandWords = args.filter(a => !a.startsWith('-')).slice(0, 2).join(' ')
  if (unknownOption) {
    return `Error: unknown flag: ${unknownOption[1]}\nSee 'tspod ${commandWords} --help'\n`
  }
  if (err instanceof Error && err.name === 'UnknownSyntaxError' && args.length > 0) {
    const first = args.find(a => !a.startsWith('-')) ?? args[0]
    if (!commandEntries.some(c => c.paths.some(p => p[0] === first))) {
      return `Error: unrecognized command \`tspod ${first}\`\nTry 'tspod --help' for more information\n`
    }
  }
  if (err instanceof Error && err.name === 'UsageError') return `Error: ${message}\n`
  const firstLine = message.split('\n').find(l => l.trim() !== '') ?? message
  return `Error: ${firstLine.trim()}\nSee 'tspod ${commandWords} --help'\n`
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code
    trace('cli: done')
  },
  err => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 125
  },
)
