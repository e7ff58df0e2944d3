/**
 * Man pages, podman's set: tspod(1), one page per command named after its
 * first path (`tspod-image-inspect.1`), a page per group (`tspod-image.1`),
 * and a page for every other name a command answers to
 * (`tspod-container-run.1`, the same page written for that name: podman's
 * `.so` links are what `mandoc -T lint` calls fragile, and a page of one's
 * own needs no man root to resolve). Rendered from the CLI model,
 * so they say exactly what `--help` says. Output depends on nothing but the
 * model and the version: no build date, so regenerating is reproducible.
 */
import { VERSION } from '../../version.js'
import type { OptionInfo, PositionalInfo } from '../command-info.js'
import { longName, shortName, type CliModel, type CommandDoc, type GroupDoc } from './model.js'
import { roffCodeLine, roffLine, roffLiteral, roffParagraphs } from './roff.js'
import { optionValues } from './values.js'

/**
 * The date on every page. Fixed (a date that changed on every run would make
 * the committed pages differ from a fresh generation); set it when the
 * version changes.
 */
export const MAN_DATE = '2025-06-01'

const ROOT_SUMMARY = 'Manage containers and images (rootless, daemonless, podman-compatible)'

export const pageName = (words: readonly string[]) => ['tspod', ...words].join('-')

function header(name: string, summary: string): string[] {
  return [
    `.TH ${roffLiteral(name.toUpperCase())} 1 ${MAN_DATE} "tspod ${roffLiteral(VERSION)}" "User Commands"`,
    '.SH NAME',
    `${roffLiteral(name)} \\- ${roffLine(summary)}`,
  ]
}

/** `\fB\-f\fR, \fB\-\-format\fR=\fIformat\fR`. */
function optionTag(o: OptionInfo): string {
  const names = [shortName(o), o.names.find(n => n.startsWith('--'))].filter((n): n is string => n !== undefined)
  for (const n of o.names) if (!names.includes(n)) names.push(n)
  const value = o.arity > 0 ? `=\\fI${roffLiteral(longName(o).replace(/^-+/, ''))}\\fR` : ''
  return names.map(n => `\\fB${roffLiteral(n)}\\fR`).join(', ') + value
}

/** The default, as help shows it; nothing for undefined, false and empty lists. */
function defaultText(o: OptionInfo): string | undefined {
  if (o.initial === true) return 'true'
  if (typeof o.initial === 'string' && o.initial !== '') return o.initial
  if (typeof o.initial === 'number') return String(o.initial)
  if (Array.isArray(o.initial) && o.initial.length > 0) return o.initial.join(', ')
  return undefined
}

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`)

function optionItems(options: readonly OptionInfo[], command?: CommandDoc): string[] {
  return options.flatMap(o => {
    const lines = ['.TP', optionTag(o), roffLine(sentence(o.description))]
    const values = optionValues(command, o)
    if (values.kind === 'choices') lines.push(`Values: ${values.values.map(v => `\\fB${roffLiteral(v)}\\fR`).join(', ')}.`)
    const initial = defaultText(o)
    if (initial !== undefined) lines.push(`The default is \\fB${roffLiteral(initial)}\\fR.`)
    if (o.repeats) lines.push('This option can be given more than once.')
    return lines
  })
}

function positionalText(p: PositionalInfo): string {
  const name = `\\fI${roffLiteral(p.name)}\\fR`
  if (p.variadic) return p.required ? `${name} [${name}...]` : `[${name}...]`
  return p.required ? name : `[${name}]`
}

function synopsis(path: readonly string[], command: { options: readonly OptionInfo[]; positionals: readonly PositionalInfo[] }): string[] {
  const args = [...(command.options.length > 0 ? ['[\\fIoptions\\fR]'] : []), ...command.positionals.map(positionalText)]
  return [`.B ${roffLiteral(['tspod', ...path].join(' '))}`, ...(args.length > 0 ? [args.join(' ')] : [])]
}

/** Pages as `name` (section 1) or `name(5)`. */
function seeAlso(pages: readonly string[]): string[] {
  return [
    '.SH SEE ALSO',
    ...pages.map((p, i) => {
      const [, name, section] = /^(.*?)(?:\((\d)\))?$/.exec(p)!
      return `.BR ${roffLiteral(name!)} (${section ?? '1'})${i < pages.length - 1 ? ',' : ''}`
    }),
  ]
}

function examples(command: CommandDoc): string[] {
  if (command.info.examples.length === 0) return []
  return [
    '.SH EXAMPLES',
    ...command.info.examples.flatMap(([what, cmd], i) => [
      ...(i > 0 ? ['.PP'] : []),
      roffLine(`${what}:`),
      '.RS 4',
      '.nf',
      roffCodeLine(cmd.replace(/^\$0\b/, 'tspod')),
      '.fi',
      '.RE',
    ]),
  ]
}

/** The page of a command, written for one of its paths (the first one, or an alias). */
export function commandPage(command: CommandDoc, model: CliModel, path: readonly string[] = command.path): string {
  const groups = model.groups.filter(g => command.paths.some(p => p.length === 2 && p[0] === g.name)).map(g => pageName([g.name]))
  const paths = [path, ...command.paths.filter(p => p.join(' ') !== path.join(' '))]
  const lines = [
    ...header(pageName(path), command.info.description),
    '.SH SYNOPSIS',
    ...paths.flatMap((p, i) => [...(i > 0 ? ['.br'] : []), ...synopsis(p, { options: command.options, positionals: command.info.positionals })]),
    '.SH DESCRIPTION',
    ...roffParagraphs(`${command.info.description}.${command.info.details ? `\n\n${command.info.details}` : ''}`),
  ]
  if (paths.length > 1) {
    lines.push('.PP', `Also available as ${paths.slice(1).map(p => `\\fB${roffLiteral(['tspod', ...p].join(' '))}\\fR`).join(', ')}.`)
  }
  if (command.options.length > 0) lines.push('.SH OPTIONS', ...optionItems(command.options, command))
  lines.push(...examples(command), ...seeAlso(['tspod', ...groups]))
  return lines.join('\n') + '\n'
}

export function groupPage(group: GroupDoc): string {
  const lines = [
    ...header(pageName([group.name]), group.description),
    '.SH SYNOPSIS',
    `.B ${roffLiteral(`tspod ${group.name}`)}`,
    '\\fIsubcommand\\fR',
    '.SH DESCRIPTION',
    roffLine(`The ${group.name} commands. Most are also available at the top level (see each page).`),
    '.SH COMMANDS',
    ...group.commands.flatMap(c => ['.TP', `.BR ${roffLiteral(pageName([group.name, c.name]))} (1)`, roffLine(c.command.info.description)]),
    ...seeAlso(['tspod']),
  ]
  return lines.join('\n') + '\n'
}

const ROOT_DESCRIPTION = [
  'tspod runs OCI containers as an unprivileged user, without a daemon: each command is a process of its own that reads and changes the store, and a small monitor process (the shim) stays with each running container. Its commands, options, output and exit statuses follow podman\'s.',
  'Images are pulled from registries into the user\'s store and unpacked inside a user namespace that maps the ranges in /etc/subuid and /etc/subgid; containers run with runc in that namespace.',
]

const EXIT_STATUS: [string, string][] = [
  ['0', 'The command succeeded.'],
  ['125', 'tspod itself failed: a command line mistake, an unknown container or image, a registry or store error.'],
  ['126', 'The container\'s command could not be invoked (for example, it is not executable).'],
  ['127', 'The container\'s command could not be found.'],
]

const ENVIRONMENT: [string, string][] = [
  ['XDG_DATA_HOME', 'The store (graph root) is `$XDG_DATA_HOME/tspod`; default `~/.local/share/tspod`.'],
  ['XDG_RUNTIME_DIR', 'The run root is `$XDG_RUNTIME_DIR/tspod`; without it, a private directory under the temporary directory. Also holds `containers/auth.json`.'],
  ['XDG_CONFIG_HOME', 'Per-user configuration: `$XDG_CONFIG_HOME/containers/auth.json`; default `~/.config`.'],
  ['XDG_CACHE_HOME', 'Start-up code caches in `$XDG_CACHE_HOME/tspod`; default `~/.cache`.'],
  ['CONTAINERS_REGISTRIES_CONF', 'The registries.conf file to read instead of the user\'s or the system\'s.'],
  ['REGISTRY_AUTH_FILE', 'The only credentials file to read and write.'],
  ['TSPOD_ROOT', 'The store to use when `--root` is not given.'],
  ['TSPOD_RUNROOT', 'The run root to use when `--runroot` is not given.'],
  ['STORAGE_DRIVER', 'The storage driver for new containers, when `--storage-driver` is not given.'],
  ['TSPOD_LOG_LEVEL', 'The log level, when `--log-level` is not given.'],
]

const FILES: [string, string][] = [
  ['~/.local/share/tspod', 'The store: `images.json`, image layers, and one directory per container (`containers/ID/container.json`, `state.json`, the log).'],
  ['$XDG_RUNTIME_DIR/tspod', 'The run root: the user namespace\'s pause process, runtime state and the shims\' sockets; cleared after a reboot.'],
  ['~/.config/containers/registries.conf', 'Registries: search order for short names, aliases, insecure and blocked registries; `/etc/containers/registries.conf` when the user has none, and the `registries.conf.d` drop-in directories.'],
  ['$XDG_RUNTIME_DIR/containers/auth.json', 'Registry credentials, then `~/.config/containers/auth.json` and `~/.docker/config.json`.'],
  ['/etc/subuid, /etc/subgid', 'The subordinate id ranges mapped into the user namespace.'],
]

function definitionList(items: readonly [string, string][], literal: boolean): string[] {
  return items.flatMap(([term, text]) => ['.TP', literal ? `\\fB${roffLiteral(term)}\\fR` : roffLine(term), roffLine(text)])
}

export function rootPage(model: CliModel): string {
  const rows: [string, string][] = [
    ...model.commands.flatMap(c => c.paths.filter(p => p.length === 1).map(p => [p[0]!, c.info.description] as [string, string])),
    ...model.groups.map(g => [g.name, g.description] as [string, string]),
  ].sort((a, b) => (a[0] < b[0] ? -1 : 1))
  const lines = [
    ...header('tspod', ROOT_SUMMARY),
    '.SH SYNOPSIS',
    '.B tspod',
    '[\\fIoptions\\fR] \\fIcommand\\fR',
    '.SH DESCRIPTION',
    ...ROOT_DESCRIPTION.flatMap((p, i) => [...(i > 0 ? ['.PP'] : []), roffLine(p)]),
    '.PP',
    roffLine('Every command documents itself: `tspod COMMAND --help`, or its page below.'),
    '.SH GLOBAL OPTIONS',
    roffLine('Accepted before the command name, and after it by every command.'),
    ...optionItems(model.globals),
    '.SH COMMANDS',
    ...rows.flatMap(([name, description]) => ['.TP', `.BR ${roffLiteral(pageName([name]))} (1)`, roffLine(description)]),
    '.SH EXIT STATUS',
    roffLine('As podman: the status of the container\'s command where a command runs one (`run`, `start --attach`, `exec`, `wait` prints it), else:'),
    ...definitionList(EXIT_STATUS, true),
    '.SH ENVIRONMENT',
    ...definitionList(ENVIRONMENT, true),
    '.SH FILES',
    ...definitionList(FILES, true),
    ...seeAlso(['podman', 'runc(8)', 'containers-registries.conf(5)', 'containers-auth.json(5)', 'subuid(5)']),
  ]
  return lines.join('\n') + '\n'
}

/** Every page: file name (`tspod-run.1`) → roff source. */
export function manPages(model: CliModel): Map<string, string> {
  const pages = new Map<string, string>()
  const add = (name: string, text: string) => {
    if (pages.has(name)) throw new Error(`two man pages named ${name}`)
    pages.set(name, text)
  }
  add('tspod.1', rootPage(model))
  for (const group of model.groups) add(`${pageName([group.name])}.1`, groupPage(group))
  for (const command of model.commands) add(`${pageName(command.path)}.1`, commandPage(command, model))
  for (const command of model.commands) {
    for (const path of command.paths.slice(1)) add(`${pageName(path)}.1`, commandPage(command, model, path))
  }
  return new Map([...pages].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
}
