/**
 * tspod's entry point: split global flags from the command line, find the
 * command (clipanion), run it, exit with its status. Parse errors follow
 * podman: one `Error: …` line, a hint, exit status 125.
 */
import { Cli, UsageError } from 'clipanion'
import { commands } from './commands/index.js'
import { splitGlobalFlags } from './globals.js'
import type { TspodContext } from './base.js'
import { VERSION } from '../version.js'

async function main(argv: string[]): Promise<number> {
  let split
  try {
    split = splitGlobalFlags(argv)
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\n`)
    return 125
  }
  const cli = new Cli<TspodContext>({ binaryName: 'tspod', binaryLabel: 'tspod', binaryVersion: VERSION, enableColors: false })
  for (const command of commands) cli.register(command)
  const context = { ...Cli.defaultContext, globals: split.globals }

  let command
  try {
    command = cli.process(split.rest, context)
  } catch (err) {
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
    if (!commands.some(c => c.paths?.some(p => p[0] === first))) {
      return `Error: unrecognized command \`tspod ${first}\`\nTry 'tspod --help' for more information\n`
    }
  }
  if (err instanceof UsageError) return `Error: ${message}\n`
  const firstLine = message.split('\n').find(l => l.trim() !== '') ?? message
  return `Error: ${firstLine.trim()}\nSee 'tspod ${commandWords} --help'\n`
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code
  },
  err => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 125
  },
)
