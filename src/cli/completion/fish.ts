/**
 * The fish completion script (`tspod completion fish`, completions/tspod.fish):
 * `complete` lines generated from the CLI model, conditioned on the command
 * found on the line by one helper (`__tspod_state`), which uses the same
 * table of value-taking options. Names of containers and images come from
 * `tspod __complete` at TAB time.
 */
import { VERSION } from '../../version.js'
import type { OptionInfo } from '../command-info.js'
import type { CliModel, CommandDoc } from './model.js'
import { optionValues, positionalValues, type ValueKind } from './values.js'

/** Single-quoted for fish (backslash and quote are the only escapes there). */
const fq = (s: string) => `'${s.replace(/(['\\])/g, '\\$1')}'`

/** `complete` arguments offering a kind of value. */
function offer(kind: ValueKind): string {
  switch (kind.kind) {
    case 'choices': return `-f -a ${fq(kind.values.join(' '))}`
    case 'containers': return `-f -a ${fq(`(__tspod_dynamic containers ${kind.state})`)}`
    case 'images': return `-f -a ${fq('(__tspod_dynamic images)')}`
    case 'objects': return `-f -a ${fq('(__tspod_dynamic containers all; __tspod_dynamic images)')}`
    case 'files': return '-F'
    case 'directories': return `-f -a ${fq('(__fish_complete_directories)')}`
    case 'command': return `-F`
    case 'none': return '-f'
  }
}

function optionLine(o: OptionInfo, condition: string | undefined, command: CommandDoc | undefined): string {
  const parts = ['complete -c tspod']
  if (condition) parts.push(`-n ${fq(condition)}`)
  for (const n of o.names) {
    if (/^-[^-]$/.test(n)) parts.push(`-s ${n.slice(1)}`)
    else parts.push(`-l ${n.replace(/^--/, '')}`)
  }
  if (o.arity > 0) parts.push('-r', offer(optionValues(command, o)))
  parts.push(`-d ${fq(o.description)}`)
  return parts.join(' ')
}

function positionalLines(command: CommandDoc): string[] {
  const kinds = positionalValues(command)
  return command.info.positionals.map((p, i) => {
    // A variadic positional (or a command line) takes every argument from its index on.
    const range = p.variadic ? `${i}` : `${i} ${i}`
    return `complete -c tspod -n ${fq(`__tspod_arg ${command.key} ${range}`)} ${offer(kinds[i]!)}`
  })
}

const valueOptions = (options: readonly OptionInfo[]) => options.filter(o => o.arity > 0).flatMap(o => o.names)

export function fishScript(model: CliModel): string {
  const groups = model.groups.map(g => g.name)
  const globals = valueOptions(model.globals)
  const lines: string[] = []
  for (const c of model.commands) {
    for (const p of c.paths) {
      const where = p.length === 1 ? '__tspod_at_top' : `__tspod_in_group ${p[0]}`
      lines.push(`complete -c tspod -n ${fq(where)} -f -a ${p[p.length - 1]} -d ${fq(c.info.description)}`)
    }
  }
  for (const g of model.groups) lines.push(`complete -c tspod -n __tspod_at_top -f -a ${g.name} -d ${fq(g.description)}`)
  for (const o of model.globals) lines.push(optionLine(o, undefined, undefined))
  lines.push(`complete -c tspod -n __tspod_at_top -l help -d 'Help for tspod'`)
  lines.push(`complete -c tspod -n __tspod_at_top -s v -l version -d 'Version for tspod'`)
  for (const c of model.commands) {
    lines.push('', `# ${c.paths.map(p => p.join(' ')).join(', ')}`)
    // Options stop at a command line (`run IMAGE CMD -x`: -x is the program's).
    for (const o of c.options) lines.push(optionLine(o, `__tspod_using ${c.key}`, c))
    lines.push(...positionalLines(c))
  }
  return `# fish completion for tspod, generated from tspod ${VERSION}'s command
# definitions by scripts/gen-docs.mjs; \`tspod completion fish\` prints the
# same. Install: copy it to ~/.config/fish/completions/tspod.fish.

# The command a path names ("rm", "container rm" -> rm); nothing if none.
function __tspod_key
    switch "$argv"
${model.commands.map(c => `        case ${c.paths.map(p => fq(p.join(' '))).join(' ')}\n            echo ${c.key}`).join('\n')}
    end
end

# The options of a command that take a value (the global ones included).
function __tspod_value_opts
    switch "$argv[1]"
${model.commands.map(c => `        case ${c.key}\n            echo ${valueOptions(c.options).join(' ')}`).join('\n')}
    end
    echo ${globals.join(' ')}
end

# The line so far: group, command (its key), how many positional arguments
# it has, and whether a command line (run IMAGE CMD...) has begun.
function __tspod_state
    set -l words (commandline -opc)
    set -e words[1]
    set -l group ''
    set -l key ''
    set -l npos 0
    set -l value_opts (string split ' ' -- (__tspod_value_opts ''))
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case '-*=*'
            case '-*'
                contains -- $w $value_opts; and set skip 1
            case '*'
                if test -n "$key"
                    set npos (math $npos + 1)
                else if test -z "$group"; and contains -- $w ${groups.join(' ')}
                    set group $w
                else
                    set key (__tspod_key (string trim -- "$group $w"))
                    test -z "$key"; and set key '?'
                    set value_opts (string split ' ' -- (__tspod_value_opts $key))
                end
        end
    end
    echo $group
    echo $key
    echo $npos
end

function __tspod_at_top
    set -l s (__tspod_state)
    test -z "$s[1]" -a -z "$s[2]"
end

function __tspod_in_group
    set -l s (__tspod_state)
    test "$s[1]" = "$argv[1]" -a -z "$s[2]"
end

# Options of command $1, until a command line begins (\`run IMAGE CMD -x\`).
function __tspod_using
    set -l s (__tspod_state)
    test "$s[2]" = "$argv[1]"; or return 1
    switch $argv[1]
${model.commands.filter(c => c.info.positionals.some(p => p.proxy)).map(c => `        case ${c.key}\n            test $s[3] -lt ${c.info.positionals.findIndex(p => p.proxy)}`).join('\n')}
    end
end

# Positional argument of command $1, its index from $2 to $3 (no $3: any after $2).
function __tspod_arg
    set -l s (__tspod_state)
    test "$s[2]" = "$argv[1]" -a $s[3] -ge $argv[2]; or return 1
    test (count $argv) -lt 3; or test $s[3] -le $argv[3]
end

# Candidates from \`tspod __complete\`, from the store named by --root on the
# line if there is one.
function __tspod_dynamic
    set -l words (commandline -opc)
    set -l root
    for i in (seq (count $words))
        switch $words[$i]
            case --root
                set -q words[(math $i + 1)]; and set root --root (string replace -r '^~' $HOME -- $words[(math $i + 1)])
            case '--root=*'
                set root --root (string replace -r '^~' $HOME -- (string replace -- --root= '' $words[$i]))
        end
    end
    set -l prefix (commandline -ct)
    string match -q -- '-*' "$prefix"; and set prefix
    $words[1] $root __complete $argv $prefix 2>/dev/null
end

complete -c tspod -f
${lines.join('\n')}
`
}
