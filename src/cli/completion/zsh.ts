/**
 * The zsh completion script (`tspod completion zsh`, completions/_tspod):
 * one `_arguments` spec per command, generated from the CLI model, with
 * zsh's own machinery doing the parsing. Names of containers and images
 * come from `tspod __complete` at TAB time.
 */
import { VERSION } from '../../version.js'
import type { OptionInfo } from '../command-info.js'
import { longName, type CliModel, type CommandDoc } from './model.js'
import { sq } from './bash.js'
import { optionValues, positionalValues, type ValueKind } from './values.js'
import { CONTAINER_STATES } from './candidates.js'

/** An `_arguments` action for a kind of value. */
function action(kind: ValueKind): string {
  switch (kind.kind) {
    case 'choices': return `(${kind.values.join(' ')})`
    case 'containers': return `__tspod_containers_${kind.state}`
    case 'images': return '__tspod_images'
    case 'objects': return '__tspod_objects'
    case 'files': return '_files'
    case 'directories': return '_files -/'
    case 'command': return '_normal'
    case 'none': return ' '
  }
}

/** Text inside an `_arguments` `[description]` or `:message:`: brackets and colons are syntax there. */
const zshText = (s: string) => s.replace(/([[\]:\\])/g, '\\$1')

/** One option's `_arguments` specs (brace-expanded by zsh into one spec per name). */
function optionSpec(o: OptionInfo, command: CommandDoc | undefined): string {
  const names = o.names
  const exclusive = o.repeats ? '*' : names.length > 1 ? `(${names.join(' ')})` : ''
  const suffix = (n: string) => (o.arity === 0 ? '' : /^-[^-]$/.test(n) ? '+' : '=')
  const spelled = names.map(n => n + suffix(n))
  const namePart = spelled.length > 1 ? `{${spelled.join(',')}}` : sq(spelled[0]!)
  const desc = sq(`[${zshText(o.description)}]`)
  const value = o.arity === 0 ? '' : sq(`:${zshText(longName(o).replace(/^-+/, ''))}:${action(optionValues(command, o))}`)
  return `${exclusive ? sq(exclusive) : ''}${namePart}${desc}${value}`
}

function positionalSpecs(command: CommandDoc): string[] {
  const kinds = positionalValues(command)
  return command.info.positionals.map((p, i) => {
    const kind = kinds[i]!
    const message = zshText(p.name.toLowerCase())
    if (p.proxy) return sq(`*::${message}:_normal`)
    if (p.variadic) return sq(`*:${message}:${action(kind)}`)
    return sq(`${i + 1}:${message}:${action(kind)}`)
  })
}

const fn = (command: CommandDoc) => `_tspod_${command.key.replaceAll('-', '_')}`

function commandFunction(command: CommandDoc, model: CliModel): string {
  // After a program name (`run IMAGE CMD -x`) options are the program's: -A stops ours there.
  const stop = command.info.positionals.some(p => p.proxy) ? " -A '-*'" : ''
  const specs = [...model.globals.map(o => optionSpec(o, undefined)), ...command.options.map(o => optionSpec(o, command)), ...positionalSpecs(command)]
  return `${fn(command)}() {\n  _arguments -s -S${stop} \\\n    ${specs.join(' \\\n    ')}\n}`
}

/** `_describe` entries: `name:description`. */
const described = (rows: [string, string][]) => rows.map(([name, d]) => sq(`${name}:${d.replaceAll(':', '\\:')}`)).join(' \\\n    ')

export function zshScript(model: CliModel): string {
  const topRows: [string, string][] = [
    ...model.commands.flatMap(c => c.paths.filter(p => p.length === 1).map(p => [p[0]!, c.info.description] as [string, string])),
    ...model.groups.map(g => [g.name, g.description] as [string, string]),
  ].sort((a, b) => (a[0] < b[0] ? -1 : 1))
  const dispatch = (prefix: string) =>
    model.commands
      .flatMap(c => c.paths.filter(p => p.slice(0, -1).join(' ') === prefix).map(p => `    ${p[p.length - 1]}) ${fn(c)} ;;`))
      .join('\n')
  return `#compdef tspod
# zsh completion for tspod, generated from tspod ${VERSION}'s command
# definitions by scripts/gen-docs.mjs; \`tspod completion zsh\` prints the
# same. Install: put it in a directory of $fpath as _tspod.

# Candidates from \`tspod __complete\`, from the store named by --root on the
# line if there is one (\`__tspod_line\`: the words before _arguments shifted them).
__tspod_dynamic() {
  local -a root
  local i
  for ((i = 2; i < \${#__tspod_line}; i++)); do
    case \${__tspod_line[i]} in
      --root) root=(--root \${~__tspod_line[i+1]}) ;;
      --root=*) root=(--root \${~__tspod_line[i]#--root=}) ;;
    esac
  done
  local prefix=\${PREFIX:#-*}
  \${__tspod_line[1]} $root __complete "$@" $prefix 2>/dev/null
}

# Completes names from __tspod_dynamic: $1 the tag, $2 what to ask for; the
# rest are the compadd options _arguments passes its actions.
__tspod_candidates() {
  local tag=$1 what=$2
  shift 2
  local -a names expl
  names=(\${(f)"$(__tspod_dynamic \${=what})"})
  _wanted $tag expl \${tag%s} compadd "$@" -a names
}

${CONTAINER_STATES.map(s => `__tspod_containers_${s}() { __tspod_candidates containers 'containers ${s}' "$@" }`).join('\n')}
__tspod_images() { __tspod_candidates images images "$@" }
__tspod_objects() {
  __tspod_containers_all "$@"
  __tspod_images "$@"
}

${model.commands.map(c => commandFunction(c, model)).join('\n\n')}

${model.groups
    .map(g => `__tspod_${g.name}() {
  local curcontext=$curcontext state line
  _arguments -C '1: :->command' '*:: :->args'
  case $state in
    command)
      local -a commands
      commands=(
    ${described(g.commands.map(c => [c.name, c.command.info.description]))}
      )
      _describe -t commands 'tspod ${g.name} command' commands ;;
    args)
      case $words[1] in
${dispatch(g.name).replaceAll('\n    ', '\n        ').replace(/^ {4}/, '        ')}
      esac ;;
  esac
}`)
    .join('\n\n')}

_tspod() {
  local -a __tspod_line
  __tspod_line=("\${words[@]}")
  local curcontext=$curcontext state line
  _arguments -C \\
    ${model.globals.map(o => optionSpec(o, undefined)).join(' \\\n    ')} \\
    '(- *)--help[Help for tspod]' \\
    '(- *)'{-v,--version}'[Version for tspod]' \\
    '1: :->command' \\
    '*:: :->args'
  case $state in
    command)
      local -a commands
      commands=(
    ${described(topRows)}
      )
      _describe -t commands 'tspod command' commands ;;
    args)
      case $words[1] in
${dispatch('').replaceAll('\n    ', '\n        ').replace(/^ {4}/, '        ')}
${model.groups.map(g => `        ${g.name}) __tspod_${g.name} ;;`).join('\n')}
      esac ;;
  esac
}

# Autoloaded from $fpath, this file is the body of _tspod: run it. Sourced: register it.
if [[ $funcstack[1] == _tspod ]]; then
  _tspod "$@"
else
  compdef _tspod tspod
fi
`
}
