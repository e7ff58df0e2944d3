# bash completion for tspod                                  -*- shell-script -*-
# Generated from tspod 0.1.0's command definitions by scripts/gen-docs.mjs;
# `tspod completion bash` prints the same. Install: source it from ~/.bashrc,
# or copy it to ~/.local/share/bash-completion/completions/tspod.

# The command a path names ("rm", "container rm" → rm), in REPLY; empty if none.
__tspod_key() {
  case "$1" in
    'attach'|'container attach') REPLY=attach ;;
    'completion') REPLY=completion ;;
    'container exists') REPLY=container-exists ;;
    'container inspect') REPLY=container-inspect ;;
    'container prune') REPLY=container-prune ;;
    'create'|'container create') REPLY=create ;;
    'exec'|'container exec') REPLY=exec ;;
    'history'|'image history') REPLY=history ;;
    'image exists') REPLY=image-exists ;;
    'image inspect') REPLY=image-inspect ;;
    'images'|'image ls'|'image list') REPLY=images ;;
    'info'|'system info') REPLY=info ;;
    'inspect') REPLY=inspect ;;
    'kill'|'container kill') REPLY=kill ;;
    'logs'|'container logs') REPLY=logs ;;
    'port'|'container port') REPLY=port ;;
    'ps'|'container ps'|'container ls'|'container list') REPLY=ps ;;
    'pull'|'image pull') REPLY=pull ;;
    'restart'|'container restart') REPLY=restart ;;
    'rm'|'container rm'|'container remove') REPLY=rm ;;
    'rmi'|'image rm'|'image remove') REPLY=rmi ;;
    'run'|'container run') REPLY=run ;;
    'start'|'container start') REPLY=start ;;
    'stop'|'container stop') REPLY=stop ;;
    'system migrate') REPLY=system-migrate ;;
    'tag'|'image tag') REPLY=tag ;;
    'unshare') REPLY=unshare ;;
    'untag'|'image untag') REPLY=untag ;;
    'version') REPLY=version ;;
    'wait'|'container wait') REPLY=wait ;;
    *) REPLY= ;;
  esac
}

# Command names at the top level ('') or in a group.
__tspod_commands() {
  case "$1" in
    '') REPLY='attach completion container create exec history image images info inspect kill logs port ps pull restart rm rmi run start stop system tag unshare untag version wait' ;;
    container) REPLY='attach create exec exists inspect kill list logs ls port prune ps remove restart rm run start stop wait' ;;
    image) REPLY='exists history inspect list ls pull remove rm tag untag' ;;
    system) REPLY='info migrate' ;;
  esac
}

# A command's options: value_opts take a value, flags do not. The global
# options are accepted after any command too.
__tspod_options() {
  case "$1" in
    attach) value_opts='--detach-keys' flags='--no-stdin --sig-proxy' ;;
    completion) value_opts='-f --file' flags='' ;;
    container-exists) value_opts='' flags='--external' ;;
    container-inspect) value_opts='-f --format' flags='-l --latest -s --size' ;;
    container-prune) value_opts='' flags='-f --force' ;;
    create) value_opts='--annotation --cap-add --cap-drop --entrypoint -e --env --env-file -h --hostname -l --label --name --network --net --platform --pull --restart --runtime --security-opt --stop-signal --stop-timeout -u --user -w --workdir' flags='--init -i --interactive --privileged -q --quiet --read-only --rm --tls-verify -t --tty' ;;
    exec) value_opts='-e --env -u --user -w --workdir' flags='-d --detach -i --interactive -l --latest --privileged -t --tty' ;;
    history) value_opts='--format' flags='-H --human --no-trunc -q --quiet' ;;
    image-exists) value_opts='' flags='' ;;
    image-inspect) value_opts='-f --format' flags='' ;;
    images) value_opts='-f --filter --format --sort' flags='-a --all --digests --history --no-trunc -n --noheading -q --quiet' ;;
    info) value_opts='-f --format' flags='' ;;
    inspect) value_opts='-f --format -t --type' flags='-l --latest -s --size' ;;
    kill) value_opts='--cidfile -s --signal' flags='-a --all -l --latest' ;;
    logs) value_opts='--since --tail --until' flags='-f --follow -l --latest -t --timestamps' ;;
    port) value_opts='' flags='-a --all -l --latest' ;;
    ps) value_opts='-f --filter --format -n --last --sort' flags='-a --all --external -l --latest --no-trunc --noheading --ns -p --pod -q --quiet -s --size --sync' ;;
    pull) value_opts='--authfile --creds --platform' flags='-q --quiet --tls-verify' ;;
    restart) value_opts='--cidfile -t --time' flags='-a --all -l --latest --running' ;;
    rm) value_opts='--cidfile --filter -t --time' flags='-a --all --depend -f --force -i --ignore -l --latest -v --volumes' ;;
    rmi) value_opts='' flags='-a --all -f --force -i --ignore' ;;
    run) value_opts='--annotation --cap-add --cap-drop --detach-keys --entrypoint -e --env --env-file -h --hostname -l --label --name --network --net --platform --pull --restart --runtime --security-opt --stop-signal --stop-timeout -u --user -w --workdir' flags='-d --detach --init -i --interactive --privileged -q --quiet --read-only --rm --sig-proxy --tls-verify -t --tty' ;;
    start) value_opts='--detach-keys' flags='-a --attach -i --interactive -l --latest --sig-proxy' ;;
    stop) value_opts='--cidfile -f --filter -t --time' flags='-a --all -i --ignore -l --latest' ;;
    system-migrate) value_opts='' flags='' ;;
    tag) value_opts='' flags='' ;;
    unshare) value_opts='' flags='' ;;
    untag) value_opts='' flags='' ;;
    version) value_opts='-f --format' flags='' ;;
    wait) value_opts='' flags='--ignore -l --latest' ;;
    *) value_opts= flags= ;;
  esac
  value_opts+=' --log-level --root --runroot --storage-driver'
}

# What the value of option $2 of command $1 ('' before the command) takes.
__tspod_option_values() {
  case "$1 $2" in
    *' --log-level') REPLY='trace debug info warn error fatal panic' ;;
    *' --root') REPLY='@dirs' ;;
    *' --runroot') REPLY='@dirs' ;;
    *' --storage-driver') REPLY='overlay fuse-overlayfs vfs' ;;
    'container-inspect -f'|'container-inspect --format') REPLY='json' ;;
    'create --env-file') REPLY='@files' ;;
    'create --network'|'create --net') REPLY='none host' ;;
    'create --pull') REPLY='always missing never newer' ;;
    'create --restart') REPLY='no on-failure always unless-stopped' ;;
    'history --format') REPLY='json' ;;
    'image-inspect -f'|'image-inspect --format') REPLY='json' ;;
    'images --format') REPLY='json' ;;
    'images --sort') REPLY='created id repository size tag' ;;
    'info -f'|'info --format') REPLY='json' ;;
    'inspect -f'|'inspect --format') REPLY='json' ;;
    'inspect -t'|'inspect --type') REPLY='container image all' ;;
    'kill --cidfile') REPLY='@files' ;;
    'ps --format') REPLY='json' ;;
    'ps --sort') REPLY='command created id image names runningfor size status' ;;
    'pull --authfile') REPLY='@files' ;;
    'restart --cidfile') REPLY='@files' ;;
    'rm --cidfile') REPLY='@files' ;;
    'run --env-file') REPLY='@files' ;;
    'run --network'|'run --net') REPLY='none host' ;;
    'run --pull') REPLY='always missing never newer' ;;
    'run --restart') REPLY='no on-failure always unless-stopped' ;;
    'stop --cidfile') REPLY='@files' ;;
    'version -f'|'version --format') REPLY='json' ;;
    *) REPLY=@none ;;
  esac
}

# What positional argument $2 (0-based) of command $1 takes.
__tspod_positional() {
  case "$1" in
    attach) case $2 in 0) REPLY='@containers running' ;; *) REPLY='@none' ;; esac ;;
    completion) case $2 in 0) REPLY='bash zsh fish' ;; *) REPLY='@none' ;; esac ;;
    container-exists) case $2 in 0) REPLY='@containers all' ;; *) REPLY='@none' ;; esac ;;
    container-inspect) case $2 in 0) REPLY='@containers all' ;; *) REPLY='@containers all' ;; esac ;;
    container-prune) case $2 in *) REPLY='@none' ;; esac ;;
    create) case $2 in 0) REPLY='@images' ;; 1) REPLY='@command' ;; *) REPLY='@command' ;; esac ;;
    exec) case $2 in 0) REPLY='@containers running' ;; 1) REPLY='@command' ;; *) REPLY='@command' ;; esac ;;
    history) case $2 in 0) REPLY='@images' ;; *) REPLY='@none' ;; esac ;;
    image-exists) case $2 in 0) REPLY='@images' ;; *) REPLY='@none' ;; esac ;;
    image-inspect) case $2 in 0) REPLY='@images' ;; *) REPLY='@images' ;; esac ;;
    images) case $2 in 0) REPLY='@images' ;; *) REPLY='@none' ;; esac ;;
    info) case $2 in *) REPLY='@none' ;; esac ;;
    inspect) case $2 in 0) REPLY='@objects' ;; *) REPLY='@objects' ;; esac ;;
    kill) case $2 in 0) REPLY='@containers running' ;; *) REPLY='@containers running' ;; esac ;;
    logs) case $2 in 0) REPLY='@containers all' ;; *) REPLY='@containers all' ;; esac ;;
    port) case $2 in 0) REPLY='@containers all' ;; *) REPLY='@containers all' ;; esac ;;
    ps) case $2 in *) REPLY='@none' ;; esac ;;
    pull) case $2 in 0) REPLY='@none' ;; *) REPLY='@none' ;; esac ;;
    restart) case $2 in 0) REPLY='@containers all' ;; *) REPLY='@containers all' ;; esac ;;
    rm) case $2 in 0) REPLY='@containers all' ;; *) REPLY='@containers all' ;; esac ;;
    rmi) case $2 in 0) REPLY='@images' ;; *) REPLY='@images' ;; esac ;;
    run) case $2 in 0) REPLY='@images' ;; 1) REPLY='@command' ;; *) REPLY='@command' ;; esac ;;
    start) case $2 in 0) REPLY='@containers stopped' ;; *) REPLY='@containers stopped' ;; esac ;;
    stop) case $2 in 0) REPLY='@containers running' ;; *) REPLY='@containers running' ;; esac ;;
    system-migrate) case $2 in *) REPLY='@none' ;; esac ;;
    tag) case $2 in 0) REPLY='@images' ;; 1) REPLY='@none' ;; *) REPLY='@none' ;; esac ;;
    unshare) case $2 in 0) REPLY='@command' ;; *) REPLY='@command' ;; esac ;;
    untag) case $2 in 0) REPLY='@images' ;; 1) REPLY='@none' ;; *) REPLY='@none' ;; esac ;;
    version) case $2 in *) REPLY='@none' ;; esac ;;
    wait) case $2 in 0) REPLY='@containers all' ;; *) REPLY='@containers all' ;; esac ;;
    *) REPLY=@none ;;
  esac
}

# COMP_WORDBREAKS cuts "host:5000/img:tag" and "--pull=never" at ':' and '=':
# glue the pieces back into words (bash still replaces only the text after
# the last break, see __tspod_reply).
__tspod_words() {
  words=() cword=0
  local i w
  for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
    w=${COMP_WORDS[i]}
    if ((i > 1)) && [[ $w == [:=] || ${COMP_WORDS[i-1]} == [:=] ]]; then
      words[${#words[@]}-1]+=$w
    else
      words+=("$w")
    fi
    ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
  done
  if ((COMP_CWORD >= ${#COMP_WORDS[@]})); then
    words+=('')
    cword=$((${#words[@]} - 1))
  fi
}

# Candidates from `tspod __complete` (containers, images), from the store
# named by --root on the line if there is one.
__tspod_dynamic() {
  local -a args=()
  [[ -n $root ]] && args=(--root "${root/#\~/$HOME}")
  local prefix=$cur
  [[ $prefix == -* ]] && prefix=
  "${words[0]}" "${args[@]}" __complete "$@" ${prefix:+"$prefix"} 2>/dev/null
}

# COMPREPLY: the candidates starting with $cur, less the part of $cur that
# bash does not replace (up to its last ':' or '=' word break).
__tspod_reply() {
  local c keep=
  [[ $COMP_WORDBREAKS == *:* && $cur == *:* ]] && keep=${cur%:*}:
  [[ $COMP_WORDBREAKS == *=* && $cur == *=* && ${cur%%=*} == -* ]] && keep=${cur%%=*}=
  COMPREPLY=()
  for c in "$@"; do
    [[ $c == "$cur"* ]] && COMPREPLY+=("${c#"$keep"}")
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
    @images) mapfile -t list < <(__tspod_dynamic images); __tspod_reply "${list[@]}" ;;
    @objects) mapfile -t list < <(__tspod_dynamic containers all; __tspod_dynamic images); __tspod_reply "${list[@]}" ;;
    @containers\ *) mapfile -t list < <(__tspod_dynamic containers "${1#@containers }"); __tspod_reply "${list[@]}" ;;
    *) read -ra list <<<"$1"; __tspod_reply "${list[@]}" ;;
  esac
}

_tspod() {
  local -a words
  local cword cur group= key= root= value_opts= flags= valopt= npos=0 proxied= i w
  __tspod_words
  cur=${words[cword]}
  value_opts='--log-level --root --runroot --storage-driver'
  for ((i = 1; i < cword; i++)); do
    w=${words[i]}
    [[ -n $proxied ]] && break
    case $w in
      --root=*) root=${w#--root=} ;;
      -*=*) ;;
      -*)
        if [[ " $value_opts " == *" $w "* ]]; then
          [[ $w == --root ]] && root=${words[i+1]}
          ((i + 1 == cword)) && valopt=$w
          ((i++))
        fi
        ;;
      *)
        if [[ -n $key ]]; then
          ((npos++))
        elif [[ -z $group && " container image system " == *" $w "* ]]; then
          group=$w
        else
          __tspod_key "${group:+$group }$w"
          key=$REPLY
          [[ -z $key ]] && return 0
          __tspod_options "$key"
        fi
        # What follows a command's command line (`run IMAGE CMD -x`) is the program's.
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
    __tspod_option_values "$key" "${cur%%=*}"
    local opt=${cur%%=*}=
    cur=${cur#*=}
    __tspod_values "$REPLY"
    [[ $COMP_WORDBREAKS == *=* ]] || COMPREPLY=("${COMPREPLY[@]/#/$opt}")
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
