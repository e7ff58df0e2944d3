/**
 * What completion offers for a value: an option's argument (fixed choices,
 * files, directories) and each positional argument (containers in a given
 * state, images, fixed words). The option and positional names come from
 * the command classes; which values make sense for them is knowledge the
 * classes do not carry, so it is written down here, in one table.
 */
import { LOG_LEVELS } from '../../util/log.js'
import { STORAGE_DRIVERS } from '../../storage/driver.js'
import type { OptionInfo } from '../command-info.js'
import { longName, type CommandDoc } from './model.js'
import type { ContainerState } from './candidates.js'


export type ValueKind =
  | { kind: 'choices'; values: readonly string[] }
  | { kind: 'containers'; state: ContainerState }
  | { kind: 'images' }
  /** `inspect`: any object (containers of every state and images). */
  | { kind: 'objects' }
  | { kind: 'files' }
  | { kind: 'directories' }
  /** A program and its arguments (`run IMAGE COMMAND…`): the shell's own completion. */
  | { kind: 'command' }
  /** Free text (a name, a number): nothing to offer. */
  | { kind: 'none' }

const choices = (...values: string[]): ValueKind => ({ kind: 'choices', values })
const containers = (state: ContainerState): ValueKind => ({ kind: 'containers', state })
const IMAGES: ValueKind = { kind: 'images' }
const NONE: ValueKind = { kind: 'none' }

/** Option values by long name, whatever the command. */
const OPTION_VALUES: Record<string, ValueKind> = {
  '--format': choices('json'),
  '--pull': choices('always', 'missing', 'never', 'newer'),
  '--restart': choices('no', 'on-failure', 'always', 'unless-stopped'),
  '--log-level': choices(...LOG_LEVELS),
  '--storage-driver': choices(...STORAGE_DRIVERS),
  '--network': choices('none', 'host'),
  '--root': { kind: 'directories' },
  '--runroot': { kind: 'directories' },
  '--env-file': { kind: 'files' },
  '--authfile': { kind: 'files' },
  '--cidfile': { kind: 'files' },
}

/** Option values that depend on the command (`--sort` sorts different things). */
const COMMAND_OPTION_VALUES: Record<string, Record<string, ValueKind>> = {
  ps: { '--sort': choices('command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status') },
  images: { '--sort': choices('created', 'id', 'repository', 'size', 'tag') },
  inspect: { '--type': choices('container', 'image', 'all') },
}

/** Positional arguments by command key, in order; the last one repeats for a variadic positional. */
const POSITIONALS: Record<string, ValueKind[]> = {
  run: [IMAGES, NONE],
  create: [IMAGES, NONE],
  start: [containers('stopped')],
  stop: [containers('running')],
  kill: [containers('running')],
  attach: [containers('running')],
  exec: [containers('running'), NONE],
  restart: [containers('all')],
  rm: [containers('all')],
  logs: [containers('all')],
  wait: [containers('all')],
  port: [containers('all')],
  'container-inspect': [containers('all')],
  'container-exists': [containers('all')],
  inspect: [{ kind: 'objects' }],
  images: [IMAGES],
  rmi: [IMAGES],
  tag: [IMAGES, NONE],
  untag: [IMAGES, NONE],
  history: [IMAGES],
  'image-inspect': [IMAGES],
  'image-exists': [IMAGES],
  completion: [choices('bash', 'zsh', 'fish')],
}

export function optionValues(command: CommandDoc | undefined, option: OptionInfo): ValueKind {
  if (option.arity === 0) return NONE
  const name = longName(option)
  return (command && COMMAND_OPTION_VALUES[command.key]?.[name]) ?? OPTION_VALUES[name] ?? NONE
}

/** What each positional takes, one entry per positional of the command (a proxy takes a command line). */
export function positionalValues(command: CommandDoc): ValueKind[] {
  const table = POSITIONALS[command.key] ?? []
  return command.info.positionals.map((p, i) => (p.proxy ? { kind: 'command' } : table[i] ?? NONE))
}

/** Positional `index` (0-based) of the command: the last positional repeats when variadic; past the end, nothing. */
export function positionalAt(command: CommandDoc, index: number): ValueKind {
  const kinds = positionalValues(command)
  const last = command.info.positionals.length - 1
  if (index <= last) return kinds[index]!
  return last >= 0 && command.info.positionals[last]!.variadic ? kinds[last]! : NONE
}
