/**
 * Help as podman prints it (cobra's layout: the short description, then
 * Description / Usage / Aliases / Examples / Available Commands / Options),
 * generated from the clipanion command classes (commands/index.ts, each
 * class's Usage and option descriptions), and podman's wording for command
 * line mistakes: unknown commands and flags, missing subcommands, exit 125.
 *
 * Loaded only when help is asked for or the command line does not name a
 * command (main.ts), so ordinary commands never pay for it.
 */
import type { CommandClass } from 'clipanion'
import { commandEntries, type CommandEntry } from './commands/index.js'
import { commandInfo, findOption, type CommandInfo, type OptionInfo } from './command-info.js'
import { TspodCommand } from './base.js'

export interface HelpIo {
  out: (s: string) => void
  err: (s: string) => void
}

/** Subcommand groups, as podman's parent commands. */
export const GROUPS: Record<string, string> = {
  container: 'Manage containers',
  image: 'Manage images',
  system: 'Manage tspod',
}

const ROOT_DESCRIPTION = 'Manage containers and images (rootless, daemonless, podman-compatible)'

/** The global flags (base.ts), shown by `tspod --help`. */
function globalOptions(): OptionInfo[] {
  const base = commandInfo(TspodCommand as unknown as CommandClass<any>).options.map(o => ({ ...o, hidden: false }))
  const flag = (names: string[], description: string): OptionInfo => ({ names, arity: 0, description, hidden: false, initial: false, repeats: false })
  return [...base, flag(['--help'], 'Help for tspod'), flag(['-v', '--version'], 'Version for tspod')]
}

const longName = (o: OptionInfo) => o.names.find(n => n.startsWith('--')) ?? o.names[0]!

/** pflag's FlagUsages: sorted by long name, `-s, --long type`, descriptions in one column, defaults shown. */
export function formatOptions(options: readonly OptionInfo[]): string {
  const visible = options.filter(o => !o.hidden).sort((a, b) => (longName(a).replace(/^-+/, '') < longName(b).replace(/^-+/, '') ? -1 : 1))
  const lefts = visible.map(o => {
    const short = o.names.find(n => /^-[^-]$/.test(n))
    const long = o.names.find(n => n.startsWith('--'))
    const type = o.arity === 0 ? '' : o.repeats ? ' strings' : ' string'
    return `  ${short ? `${short}${long ? ', ' : ''}` : '    '}${long ?? ''}${type}`
  })
  const width = Math.max(0, ...lefts.map(l => l.length))
  return visible
    .map((o, i) => {
      let description = o.description
      if (o.arity === 0 && o.initial === true) description += ' (default true)'
      else if (typeof o.initial === 'string' && o.initial !== '') description += ` (default ${JSON.stringify(o.initial)})`
      else if (Array.isArray(o.initial) && o.initial.length > 0) description += ` (default [${o.initial.join(',')}])`
      const text = description.replaceAll('\n', '\n' + ' '.repeat(width + 2))
      return `${lefts[i]!.padEnd(width)}  ${text}`.trimEnd() + '\n'
    })
    .join('')
}

/** The usage line: `tspod ps [options]`, `tspod rm [options] [CONTAINER...]`. */
function useLine(path: readonly string[], info: CommandInfo): string {
  const words = ['tspod', ...path]
  if (info.options.some(o => !o.hidden)) words.push('[options]')
  for (const p of info.positionals) {
    if (p.proxy) words.push(p.required ? `${p.name} [${p.name}...]` : `[${p.name}...]`)
    else if (p.variadic) words.push(p.required ? `${p.name} [${p.name}...]` : `[${p.name}...]`)
    else words.push(p.required ? p.name : `[${p.name}]`)
  }
  return words.join(' ')
}

const indentLines = (text: string) =>
  text
    .split('\n')
    .map(l => (l.trim() === '' ? '' : `  ${l.trim()}`))
    .join('\n')

/** Help for one command, invoked as `path`. */
export function renderCommandHelp(info: CommandInfo, path: readonly string[]): string {
  const parent = path.slice(0, -1).join(' ')
  const siblings = info.paths.filter(p => p.slice(0, -1).join(' ') === parent).map(p => p[p.length - 1]!)
  let text = `${info.description}\n\nDescription:\n${indentLines(info.details || info.description)}\n\nUsage:\n  ${useLine(path, info)}\n`
  if (siblings.length > 1) text += `\nAliases:\n  ${siblings.join(', ')}\n`
  if (info.examples.length > 0) text += `\nExamples:\n${info.examples.map(([, cmd]) => `  ${exampleFor(cmd, info, path)}`).join('\n')}\n`
  if (info.options.some(o => !o.hidden)) text += `\nOptions:\n${formatOptions(info.options)}`
  return text + '\n'
}

/** An example written for one of the class's paths, shown for the path invoked (podman: `podman container ps -a`). */
function exampleFor(cmd: string, info: CommandInfo, path: readonly string[]): string {
  const written = info.paths
    .map(p => `$0 ${p.join(' ')}`)
    .filter(p => cmd === p || cmd.startsWith(`${p} `))
    .sort((a, b) => b.length - a.length)[0]
  return written ? `tspod ${path.join(' ')}${cmd.slice(written.length)}` : cmd.replace(/^\$0/, 'tspod')
}

async function loadInfos(): Promise<Map<CommandEntry, CommandInfo>> {
  const classes = await Promise.all(commandEntries.map(e => e.load()))
  const cache = new Map<unknown, CommandInfo>()
  return new Map(commandEntries.map((e, i) => {
    const cls = classes[i]!
    if (!cache.has(cls)) cache.set(cls, commandInfo(cls))
    return [e, cache.get(cls)!]
  }))
}

function commandList(rows: [string, string][]): string {
  const pad = Math.max(11, ...rows.map(([n]) => n.length))
  return rows
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([name, short]) => `  ${name.padEnd(pad)} ${short}\n`)
    .join('')
}

/** `tspod --help`. */
export async function renderRootHelp(withTitle = true): Promise<string> {
  const infos = await loadInfos()
  const rows: [string, string][] = [['help', 'Help about any command']]
  for (const [entry, info] of infos) {
    if (info.hidden) continue
    for (const p of entry.paths) if (p.length === 1 && !p[0]!.startsWith('-')) rows.push([p[0]!, info.description])
  }
  for (const [group, short] of Object.entries(GROUPS)) rows.push([group, short])
  const title = withTitle ? `${ROOT_DESCRIPTION}\n\n` : ''
  return `${title}Usage:\n  tspod [options] [command]\n\nAvailable Commands:\n${commandList(rows)}\nOptions:\n${formatOptions(globalOptions())}\n`
}

/** `tspod image --help`: the group's subcommands, one line per command class. */
export async function renderGroupHelp(group: string): Promise<string> {
  const infos = await loadInfos()
  const seen = new Set<CommandInfo>()
  const rows: [string, string][] = []
  for (const [entry, info] of infos) {
    const p = entry.paths.find(p => p.length === 2 && p[0] === group)
    if (!p || seen.has(info)) continue
    seen.add(info)
    rows.push([p[1]!, info.description])
  }
  const short = GROUPS[group]!
  return `${short}\n\nDescription:\n  ${short}\n\nUsage:\n  tspod ${group} [command]\n\nAvailable Commands:\n${commandList(rows)}\n`
}

/** The entry whose path is the longest prefix of `args`. */
function longestMatch(args: readonly string[]): { entry: CommandEntry; path: string[] } | undefined {
  let best: { entry: CommandEntry; path: string[] } | undefined
  for (const entry of commandEntries) {
    for (const path of entry.paths) {
      if (path.length > (best?.path.length ?? 0) && path.every((w, i) => args[i] === w)) best = { entry, path }
    }
  }
  return best
}

/**
 * Whether `--help`/`-h` in `args` asks for the command's help: it must come
 * before the first positional argument (after that it belongs to the
 * container's command, as in `tspod run busybox ls --help`).
 */
export function asksForHelp(info: CommandInfo, pathLength: number, args: readonly string[]): boolean {
  const ownsH = info.options.some(o => o.names.includes('-h'))
  for (let i = pathLength; i < args.length; i++) {
    const a = args[i]!
    if (a === '--help' || (a === '-h' && !ownsH)) return true
    if (a === '--') return false
    if (!a.startsWith('-') || a === '-') {
      if (info.positionals.length > 0) return false
      continue
    }
    const opt = findOption(info, a)
    if (opt && opt.arity > 0 && !a.includes('=')) i += opt.arity
  }
  return false
}

/**
 * Everything main.ts does not hand to a command: help, `tspod help TOPIC`,
 * a bare group (`tspod image`), unknown commands. Returns the exit status,
 * or undefined when `args` is an ordinary command after all.
 */
export async function runHelp(args: readonly string[], io: HelpIo): Promise<number | undefined> {
  const words = args.filter(a => a !== '--help' && a !== '-h')
  if (args[0] === 'help') return helpTopic(args.slice(1), io)
  const match = longestMatch(args)
  if (match) {
    const info = commandInfo(await match.entry.load())
    if (!asksForHelp(info, match.path.length, args)) return undefined
    io.out(renderCommandHelp(info, match.path))
    return 0
  }
  const wantsHelp = args.includes('--help') || args.includes('-h')
  const [first, second] = words
  if (first === undefined) {
    io.out(await renderRootHelp())
    if (wantsHelp) return 0
    io.err("Error: missing command 'tspod COMMAND'\n")
    return 125
  }
  if (first in GROUPS) {
    if (second === undefined || second.startsWith('-')) {
      io.out(await renderGroupHelp(first))
      if (wantsHelp) return 0
      io.err(`Error: missing command 'tspod ${first} COMMAND'\n`)
      return 125
    }
    io.err(`Error: unrecognized command \`tspod ${first} ${second}\`\nTry 'tspod ${first} --help' for more information\n`)
    return 125
  }
  if (first.startsWith('-')) {
    if (wantsHelp) {
      io.out(await renderRootHelp())
      return 0
    }
    io.err(`Error: unknown flag: ${first.split('=')[0]}\nSee 'tspod --help'\n`)
    return 125
  }
  io.err(`Error: unrecognized command \`tspod ${first}\`\nTry 'tspod --help' for more information\n`)
  return 125
}

async function helpTopic(topic: readonly string[], io: HelpIo): Promise<number> {
  if (topic.length === 0) {
    io.out(await renderRootHelp())
    return 0
  }
  const match = longestMatch(topic)
  if (match && match.path.length === topic.length) {
    io.out(renderCommandHelp(commandInfo(await match.entry.load()), match.path))
    return 0
  }
  if (topic.length === 1 && topic[0]! in GROUPS) {
    io.out(await renderGroupHelp(topic[0]!))
    return 0
  }
  io.out(`Unknown help topic [\`${topic.join(' ')}\`]\n${await renderRootHelp(false)}`)
  return 0
}

/**
 * A clipanion parse error in podman's words, with the `See 'tspod CMD
 * --help'` hint podman adds to flag errors.
 */
export async function parseErrorMessage(err: unknown, args: readonly string[]): Promise<string> {
  const message = err instanceof Error ? err.message : String(err)
  const match = longestMatch(args)
  const hint = match ? `See 'tspod ${match.path.join(' ')} --help'\n` : "See 'tspod --help'\n"
  const unknownOption = /(?:Unsupported|Invalid) option name \("([^"]+)"\)/.exec(message)
  if (unknownOption) {
    const name = unknownOption[1]!
    if (/^-[^-]/.test(name)) return `Error: unknown shorthand flag: '${name[1]}' in ${name}\n${hint}`
    return `Error: unknown flag: ${name.split('=')[0]}\n${hint}`
  }
  const needsArg = /Not enough arguments to option ([^\s.]+)/.exec(message)
  if (needsArg) return `Error: flag needs an argument: ${needsArg[1]}\n${hint}`
  if (match && /(Extraneous|Not enough) positional argument/.test(message)) {
    const info = commandInfo(await match.entry.load())
    const given = countPositionals(info, match.path.length, args)
    const fixed = info.positionals.filter(p => !p.variadic)
    const minimum = fixed.filter(p => p.required).length + (info.positionals.some(p => p.variadic && p.required) ? 1 : 0)
    if (info.positionals.length === 0) return `Error: \`tspod ${match.path.join(' ')}\` takes no arguments\n`
    if (info.positionals.some(p => p.variadic)) return `Error: requires at least ${minimum} arg(s), only received ${given}\n`
    if (fixed.length === minimum) return `Error: accepts ${minimum} arg(s), received ${given}\n`
    return `Error: accepts between ${minimum} and ${fixed.length} arg(s), received ${given}\n`
  }
  if (err instanceof Error && err.name === 'UsageError') return `Error: ${message}\n`
  const firstLine = message.split('\n').find(l => l.trim() !== '') ?? message
  return `Error: ${firstLine.trim()}\n${hint}`
}

/** Positional words on the command line (options and their values skipped). */
function countPositionals(info: CommandInfo, pathLength: number, args: readonly string[]): number {
  let n = 0
  for (let i = pathLength; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') return n + args.length - i - 1
    if (!a.startsWith('-') || a === '-') {
      n++
      continue
    }
    const opt = findOption(info, a)
    if (opt && opt.arity > 0 && !a.includes('=')) i += opt.arity
  }
  return n
}

/**
 * pflag accepts a short option glued to its value (`-n1`, `-fjson`) and
 * booleans run together with one (`-an1`); clipanion does not. The words
 * rewritten as `-a -n 1`, or undefined when nothing needed rewriting.
 */
export async function expandShortOptions(match: { entry: CommandEntry; path: string[] }, args: readonly string[]): Promise<string[] | undefined> {
  const info = commandInfo(await match.entry.load())
  const out = args.slice(0, match.path.length)
  let changed = false
  for (let i = match.path.length; i < args.length; i++) {
    const a = args[i]!
    if (a === '--' || !a.startsWith('-') || a === '-') {
      if (info.positionals.length > 0) return changed ? [...out, ...args.slice(i)] : undefined
      out.push(a)
      continue
    }
    const opt = findOption(info, a)
    if (opt || a.startsWith('--')) {
      out.push(a)
      if (opt && opt.arity > 0 && !a.includes('=')) out.push(...args.slice(i + 1, i + 1 + opt.arity)), (i += opt.arity)
      continue
    }
    // -abc / -n1: each letter a boolean until one that takes a value, which gets the rest.
    for (let j = 1; j < a.length; j++) {
      const short = findOption(info, `-${a[j]}`)
      if (!short) return undefined
      out.push(`-${a[j]}`)
      if (short.arity > 0) {
        const rest = a.slice(j + 1)
        if (rest !== '') out.push(rest)
        else out.push(...args.slice(i + 1, i + 2)), i++
        break
      }
    }
    changed = true
  }
  return changed ? out : undefined
}
