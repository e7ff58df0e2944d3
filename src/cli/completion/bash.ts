/**
 * The bash completion script (`tspod completion bash`, completions/tspod.bash).
 * The command table (names, options, what each value takes) is generated
 * from the CLI model as `case` statements; one fixed function walks the
 * words typed so far with it. Names of containers and images come from
 * `tspod __complete` at TAB time.
 */
import { VERSION } from '../../version.js'
import type { OptionInfo } from '../command-info.js'
import type { CliModel, CommandDoc } from './model.js'
import { optionValues, positionalAt, type ValueKind } from './values.js'

/** A value kind as the script's `REPLY`: `@images`, `@containers running`, or the words themselves. */
export function shellKind(kind: ValueKind): string {
  switch (kind.kind) {
    case 'choices': return kind.values.join(' ')
    case 'containers': return `@containers ${kind.state}`
    case 'images': return '@images'
    case 'objects': return '@objects'
    case 'files': return '@files'
    case 'directories': return '@dirs'
    case 'command': return '@command'
    case 'none': return '@none'
  }
}

/** Single-quoted for the shell. */
export const sq = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

const valueNames = (options: readonly OptionInfo[]) => options.filter(o => o.arity > 0).flatMap(o => o.names)
const flagNames = (options: readonly OptionInfo[]) => options.filter(o => o.arity === 0).flatMap(o => o.names)

function caseArm(patterns: string[], body: string): string {
  return `    ${patterns.map(sq).join('|')}) ${body} ;;`
}

/** Option values (`run --pull` → the four policies), for every option whose values are known. */
function optionValueArms(model: CliModel): string[] {
  const arms: string[] = []
  for (const o of model.globals) {
    const kind = optionValues(undefined, o)
    arms.push(`    *${o.names.map(n => sq(' ' + n)).join('|*')}) REPLY=${sq(shellKind(kind))} ;;`)
  }
  for (const c of model.commands) {
    for (const o of c.options) {
      const kind = optionValues(c, o)
      if (kind.kind === 'none' || o.arity === 0) continue
      arms.push(caseArm(o.names.map(n => `${c.key} ${n}`), `REPLY=${sq(shellKind(kind))}`))
    }
  }
  return arms
}

function positionalArms(command: CommandDoc): string {
  const n = command.info.positionals.length
  const arms = command.info.positionals.map((_, i) => `${i}) REPLY=${sq(shellKind(positionalAt(command, i)))} ;;`)
  arms.push(`*) REPLY=${sq(shellKind(positionalAt(command, n)))} ;;`)
  return `case $2 in ${arms.join(' ')} esac`
}

export function bashScript(model: CliModel): string {
  const groups = model.groups.map(g => g.name)
  const topLevel = [...new Set([...model.commands.flatMap(c => c.paths.filter(p => p.length === 1).map(p => p[0]!)), ...groups])].sort()
  const globalValueNames = valueNames(model.globals)
  return `# bash completion for tspod                                  -*- shell-script -*-
# Generated from tspod ${VERSION}'s command definitions by scripts/gen-docs.mjs;
# \`tspod completion bash\` prints the same. Install: source it from ~/.bashrc,
# or copy it to ~/.local/share/bash-completion/completions/tspod.

# The command a path names ("rm", "container rm" → rm), in REPLY; empty if none.
__tspod_key() {
  case "$1" in
${model.commands.map(c => caseArm(c.paths.map(p => p.join(' ')), `REPLY=${c.key}`)).join('\n')}
    *) REPLY= ;;
  esac
}

# Command names at the top level ('') or in a group.
__tspod_commands() {
  case "$1" in
    '') REPLY=${sq(topLevel.join(' '))} ;;
${model.groups.map(g => `    ${g.name}) REPLY=${sq(g.commands.map(c => c.name).join(' '))} ;;`).join('\n')}
  esac
}

# A command's options: value_opts take a value, flags do not. The global
# options are accepted after any command too.
__tspod_options() {
  case "$1" in
${model.commands.map(c => `    ${c.key}) value_opts=${sq(valueNames(c.options).join(' '))} flags=${sq(flagNames(c.options).join(' '))} ;;`).join('\n')}
    *) value_opts= flags= ;;
  esac
  value_opts+=${sq(' ' + globalValueNames.join(' '))}
}

# What the value of option $2 of command $1 ('' before the command) takes.
__tspod_option_values() {
  case "$1 $2" in
${optionValueArms(model).join('\n')}
    *) REPLY=@none ;;
  esac
}

# What positional argument $2 (0-based) of command $1 takes.
__tspod_positional() {
  case "$1" in
${model.commands.map(c => `    ${c.key}) ${positionalArms(c)} ;;`).join('\n')}
    *) REPLY=@none ;;
  esac
}

# COMP_WORDBREAKS cuts "host:5000/img:tag" and "--pull=never" at ':' and '=':
# glue the pieces back into words (bash still replaces only the text after
# the last break, see __tspod_reply).
__tspod_words() {
  words=() cword=0
  local i w
  for ((i = 0; i < \${#COMP_WORDS[@]}; i++)); do
    w=\${COMP_WORDS[i]}
    if ((i > 1)) && [[ $w == [:=] || \${COMP_WORDS[i-1]} == [:=] ]]; then
      words[\${#words[@]}-1]+=$w
    else
      words+=("$w")
    fi
    ((i == COMP_CWORD)) && cword=$((\${#words[@]} - 1))
  done
  if ((COMP_CWORD >= \${#COMP_WORDS[@]})); then
    words+=('')
    cword=$((\${#words[@]} - 1))
  fi
}

# Candidates from \`tspod __complete\` (containers, images), from the store
# named by --root on the line if there is one.
__tspod_dynamic() {
  local -a args=()
  [[ -n $root ]] && args=(--root "\${root/#\\~/$HOME}")
  local prefix=$cur
  [[ $prefix == -* ]] && prefix=
  "\${words[0]}" "\${args[@]}" __complete "$@" \${prefix:+"$prefix"} 2>/dev/null
}

# COMPREPLY: the candidates starting with $cur, less the part of $cur that
# bash does not replace (up to its last ':' or '=' word break).
__tspod_reply() {
  local c keep=
  [[ $COMP_WORDBREAKS == *:* && $cur == *:* ]] && keep=\${cur%:*}:
  [[ $COMP_WORDBREAKS == *=* && $cur == *=* && \${cur%%=*} == -* ]] && keep=\${cur%%=*}=
  COMPREPLY=()
  for c in "$@"; do
    [[ $c == "$cur"* ]] && COMPREPLY+=("\${c#"$keep"}")
  done
}

# Completes $cur as a value of kind $1 (__tspod_positional, __tspod_option_values).
__tspod_values() {
  local -a list
  case "$1" in
    @none) COMPREPLY=() ;;
    @files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    @dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    @command) compopt -o default 2>/dev/null; COMPREPLY=() ;;
    @images) mapfile -t list < <(__tspod_dynamic images); __tspod_reply "\${list[@]}" ;;
    @objects) mapfile -t list < <(__tspod_dynamic containers all; __tspod_dynamic images); __tspod_reply "\${list[@]}" ;;
    @containers\\ *) mapfile -t list < <(__tspod_dynamic containers "\${1#@containers }"); __tspod_reply "\${list[@]}" ;;
    *) read -ra list <<<"$1"; __tspod_reply "\${list[@]}" ;;
  esac
}

_tspod() {
  local -a words
  local cword cur group= key= root= value_opts= flags= valopt= npos=0 proxied= i w
  __tspod_words
  cur=\${words[cword]}
  value_opts=${sq(globalValueNames.join(' '))}
  for ((i = 1; i < cword; i++)); do
    w=\${words[i]}
    [[ -n $proxied ]] && break
    case $w in
      --root=*) root=\${w#--root=} ;;
      -*=*) ;;
      -*)
        if [[ " $value_opts " == *" $w "* ]]; then
          [[ $w == --root ]] && root=\${words[i+1]}
          ((i + 1 == cword)) && valopt=$w
          ((i++))
        fi
        ;;
      *)
        if [[ -n $key ]]; then
          ((npos++))
        elif [[ -z $group && " ${groups.join(' ')} " == *" $w "* ]]; then
          group=$w
        else
          __tspod_key "\${group:+$group }$w"
          key=$REPLY
          [[ -z $key ]] && return 0
          __tspod_options "$key"
        fi
        # What follows a command's command line (\`run IMAGE CMD -x\`) is the program's.
        if [[ -n $key ]]; then
          __tspod_positional "$key" "$npos"
          [[ $REPLY == @command ]] && proxied=1
        fi
        ;;
    esac
  done
  if [[ -n $proxied ]]; then
    __tspod_values @command
  elif [[ -n $valopt ]]; then
    __tspod_option_values "$key" "$valopt"
    __tspod_values "$REPLY"
  elif [[ $cur == --*=* ]]; then
    __tspod_option_values "$key" "\${cur%%=*}"
    local opt=\${cur%%=*}=
    cur=\${cur#*=}
    __tspod_values "$REPLY"
    [[ $COMP_WORDBREAKS == *=* ]] || COMPREPLY=("\${COMPREPLY[@]/#/$opt}")
  elif [[ $cur == -* ]]; then
    if [[ -n $key ]]; then
      __tspod_reply $value_opts $flags
    else
      __tspod_reply $value_opts --help --version -v
    fi
  elif [[ -n $key ]]; then
    __tspod_positional "$key" "$npos"
    __tspod_values "$REPLY"
  else
    __tspod_commands "$group"
    __tspod_values "$REPLY"
  fi
  return 0
}

complete -F _tspod tspod
`
}
