/**
 * The command line as documents describe it: every visible command with its
 * names (first path, then aliases), options and positionals, the subcommand
 * groups, and the global flags. Man pages and the bash, zsh and fish scripts
 * are all rendered from this one model, which is read from the clipanion
 * classes themselves (commands/index.ts, command-info.ts), so a new flag
 * reaches every document when they are regenerated.
 */
import type { CommandClass } from 'clipanion'
import { commandEntries } from '../commands/index.js'
import { commandInfo, type CommandInfo, type OptionInfo } from '../command-info.js'
import { GROUPS } from '../help.js'
import { TspodCommand } from '../base.js'

export interface CommandDoc {
  /** The page name without `tspod-`: path words joined by `-` (`image-inspect`). */
  key: string
  /** The name the page is written for (the class's first path). */
  path: string[]
  /** Every path it answers to, the first one included (`--version`-style paths left out). */
  paths: string[][]
  info: CommandInfo
  /** Its visible options, sorted by long name as help sorts them. */
  options: OptionInfo[]
}

export interface GroupDoc {
  name: string
  description: string
  /** Its commands, under their name in the group. */
  commands: { name: string; command: CommandDoc }[]
}

export interface CliModel {
  commands: CommandDoc[]
  groups: GroupDoc[]
  /** Accepted before the command name and after it by every command. */
  globals: OptionInfo[]
}

export const longName = (o: OptionInfo): string => o.names.find(n => n.startsWith('--')) ?? o.names[0]!
export const shortName = (o: OptionInfo): string | undefined => o.names.find(n => /^-[^-]$/.test(n))

const byLongName = (a: OptionInfo, b: OptionInfo) => (longName(a).replace(/^-+/, '') < longName(b).replace(/^-+/, '') ? -1 : 1)

export function visibleOptions(info: CommandInfo): OptionInfo[] {
  return info.options.filter(o => !o.hidden).sort(byLongName)
}

/** The global flags: declared (hidden) by TspodCommand so each command accepts them after its name too. */
export function globalOptions(): OptionInfo[] {
  return commandInfo(TspodCommand as unknown as CommandClass<any>).options.map(o => ({ ...o, hidden: false })).sort(byLongName)
}

export async function buildModel(): Promise<CliModel> {
  const classes = [...new Set(await Promise.all(commandEntries.map(e => e.load())))]
  const commands: CommandDoc[] = []
  for (const cls of classes) {
    const info = commandInfo(cls)
    if (info.hidden) continue
    const paths = info.paths.filter(p => !p[0]!.startsWith('-'))
    commands.push({ key: paths[0]!.join('-'), path: paths[0]!, paths, info, options: visibleOptions(info) })
  }
  commands.sort((a, b) => (a.key < b.key ? -1 : 1))
  const groups = Object.entries(GROUPS).map(([name, description]) => ({
    name,
    description,
    commands: commands
      .flatMap(command => command.paths.filter(p => p.length === 2 && p[0] === name).map(p => ({ name: p[1]!, command })))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  }))
  return { commands, groups, globals: globalOptions() }
}

/** Every path of the model with its command, top-level and grouped (`rm`, `container rm`, `container remove`). */
export function allPaths(model: CliModel): { path: string[]; command: CommandDoc }[] {
  return model.commands.flatMap(command => command.paths.map(path => ({ path, command })))
}
