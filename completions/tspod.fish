# fish completion for tspod, generated from tspod 0.1.0's command
# definitions by scripts/gen-docs.mjs; `tspod completion fish` prints the
# same. Install: copy it to ~/.config/fish/completions/tspod.fish.

# The command a path names ("rm", "container rm" -> rm); nothing if none.
function __tspod_key
    switch "$argv"
        case 'attach' 'container attach'
            echo attach
        case 'completion'
            echo completion
        case 'container exists'
            echo container-exists
        case 'container inspect'
            echo container-inspect
        case 'container prune'
            echo container-prune
        case 'create' 'container create'
            echo create
        case 'exec' 'container exec'
            echo exec
        case 'history' 'image history'
            echo history
        case 'image exists'
            echo image-exists
        case 'image inspect'
            echo image-inspect
        case 'images' 'image ls' 'image list'
            echo images
        case 'info' 'system info'
            echo info
        case 'inspect'
            echo inspect
        case 'kill' 'container kill'
            echo kill
        case 'logs' 'container logs'
            echo logs
        case 'port' 'container port'
            echo port
        case 'ps' 'container ps' 'container ls' 'container list'
            echo ps
        case 'pull' 'image pull'
            echo pull
        case 'restart' 'container restart'
            echo restart
        case 'rm' 'container rm' 'container remove'
            echo rm
        case 'rmi' 'image rm' 'image remove'
            echo rmi
        case 'run' 'container run'
            echo run
        case 'start' 'container start'
            echo start
        case 'stop' 'container stop'
            echo stop
        case 'system migrate'
            echo system-migrate
        case 'tag' 'image tag'
            echo tag
        case 'unshare'
            echo unshare
        case 'untag' 'image untag'
            echo untag
        case 'version'
            echo version
        case 'wait' 'container wait'
            echo wait
    end
end

# The options of a command that take a value (the global ones included).
function __tspod_value_opts
    switch "$argv[1]"
        case attach
            echo --detach-keys
        case completion
            echo -f --file
        case container-exists
            echo 
        case container-inspect
            echo -f --format
        case container-prune
            echo 
        case create
            echo --annotation --cap-add --cap-drop --entrypoint -e --env --env-file -h --hostname -l --label --name --network --net --platform --pull --restart --runtime --security-opt --stop-signal --stop-timeout -u --user -w --workdir
        case exec
            echo -e --env -u --user -w --workdir
        case history
            echo --format
        case image-exists
            echo 
        case image-inspect
            echo -f --format
        case images
            echo -f --filter --format --sort
        case info
            echo -f --format
        case inspect
            echo -f --format -t --type
        case kill
            echo --cidfile -s --signal
        case logs
            echo --since --tail --until
        case port
            echo 
        case ps
            echo -f --filter --format -n --last --sort
        case pull
            echo --authfile --creds --platform
        case restart
            echo --cidfile -t --time
        case rm
            echo --cidfile --filter -t --time
        case rmi
            echo 
        case run
            echo --annotation --cap-add --cap-drop --detach-keys --entrypoint -e --env --env-file -h --hostname -l --label --name --network --net --platform --pull --restart --runtime --security-opt --stop-signal --stop-timeout -u --user -w --workdir
        case start
            echo --detach-keys
        case stop
            echo --cidfile -f --filter -t --time
        case system-migrate
            echo 
        case tag
            echo 
        case unshare
            echo 
        case untag
            echo 
        case version
            echo -f --format
        case wait
            echo 
    end
    echo --log-level --root --runroot --storage-driver
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
                else if test -z "$group"; and contains -- $w container image system
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

# Options of command $1, until a command line begins (`run IMAGE CMD -x`).
function __tspod_using
    set -l s (__tspod_state)
    test "$s[2]" = "$argv[1]"; or return 1
    switch $argv[1]
        case create
            test $s[3] -lt 1
        case exec
            test $s[3] -lt 1
        case run
            test $s[3] -lt 1
        case unshare
            test $s[3] -lt 0
    end
end

# Positional argument of command $1, its index from $2 to $3 (no $3: any after $2).
function __tspod_arg
    set -l s (__tspod_state)
    test "$s[2]" = "$argv[1]" -a $s[3] -ge $argv[2]; or return 1
    test (count $argv) -lt 3; or test $s[3] -le $argv[3]
end

# Candidates from `tspod __complete`, from the store named by --root on the
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
complete -c tspod -n '__tspod_at_top' -f -a attach -d 'Attach to a running container'
complete -c tspod -n '__tspod_in_group container' -f -a attach -d 'Attach to a running container'
complete -c tspod -n '__tspod_at_top' -f -a completion -d 'Generate shell completion scripts'
complete -c tspod -n '__tspod_in_group container' -f -a exists -d 'Check if a container exists in local storage'
complete -c tspod -n '__tspod_in_group container' -f -a inspect -d 'Display the configuration of a container'
complete -c tspod -n '__tspod_in_group container' -f -a prune -d 'Remove all non running containers'
complete -c tspod -n '__tspod_at_top' -f -a create -d 'Create but do not start a container'
complete -c tspod -n '__tspod_in_group container' -f -a create -d 'Create but do not start a container'
complete -c tspod -n '__tspod_at_top' -f -a exec -d 'Run a process in a running container'
complete -c tspod -n '__tspod_in_group container' -f -a exec -d 'Run a process in a running container'
complete -c tspod -n '__tspod_at_top' -f -a history -d 'Show history of a specified image'
complete -c tspod -n '__tspod_in_group image' -f -a history -d 'Show history of a specified image'
complete -c tspod -n '__tspod_in_group image' -f -a exists -d 'Check if an image exists in local storage'
complete -c tspod -n '__tspod_in_group image' -f -a inspect -d 'Display the configuration of an image'
complete -c tspod -n '__tspod_at_top' -f -a images -d 'List images in local storage'
complete -c tspod -n '__tspod_in_group image' -f -a ls -d 'List images in local storage'
complete -c tspod -n '__tspod_in_group image' -f -a list -d 'List images in local storage'
complete -c tspod -n '__tspod_at_top' -f -a info -d 'Display tspod system information'
complete -c tspod -n '__tspod_in_group system' -f -a info -d 'Display tspod system information'
complete -c tspod -n '__tspod_at_top' -f -a inspect -d 'Display the configuration of object denoted by ID'
complete -c tspod -n '__tspod_at_top' -f -a kill -d 'Kill one or more running containers with a specific signal'
complete -c tspod -n '__tspod_in_group container' -f -a kill -d 'Kill one or more running containers with a specific signal'
complete -c tspod -n '__tspod_at_top' -f -a logs -d 'Fetch the logs of one or more containers'
complete -c tspod -n '__tspod_in_group container' -f -a logs -d 'Fetch the logs of one or more containers'
complete -c tspod -n '__tspod_at_top' -f -a port -d 'List port mappings or a specific mapping for the container'
complete -c tspod -n '__tspod_in_group container' -f -a port -d 'List port mappings or a specific mapping for the container'
complete -c tspod -n '__tspod_at_top' -f -a ps -d 'List containers'
complete -c tspod -n '__tspod_in_group container' -f -a ps -d 'List containers'
complete -c tspod -n '__tspod_in_group container' -f -a ls -d 'List containers'
complete -c tspod -n '__tspod_in_group container' -f -a list -d 'List containers'
complete -c tspod -n '__tspod_at_top' -f -a pull -d 'Pull an image from a registry'
complete -c tspod -n '__tspod_in_group image' -f -a pull -d 'Pull an image from a registry'
complete -c tspod -n '__tspod_at_top' -f -a restart -d 'Restart one or more containers'
complete -c tspod -n '__tspod_in_group container' -f -a restart -d 'Restart one or more containers'
complete -c tspod -n '__tspod_at_top' -f -a rm -d 'Remove one or more containers'
complete -c tspod -n '__tspod_in_group container' -f -a rm -d 'Remove one or more containers'
complete -c tspod -n '__tspod_in_group container' -f -a remove -d 'Remove one or more containers'
complete -c tspod -n '__tspod_at_top' -f -a rmi -d 'Remove one or more images from local storage'
complete -c tspod -n '__tspod_in_group image' -f -a rm -d 'Remove one or more images from local storage'
complete -c tspod -n '__tspod_in_group image' -f -a remove -d 'Remove one or more images from local storage'
complete -c tspod -n '__tspod_at_top' -f -a run -d 'Run a command in a new container'
complete -c tspod -n '__tspod_in_group container' -f -a run -d 'Run a command in a new container'
complete -c tspod -n '__tspod_at_top' -f -a start -d 'Start one or more containers'
complete -c tspod -n '__tspod_in_group container' -f -a start -d 'Start one or more containers'
complete -c tspod -n '__tspod_at_top' -f -a stop -d 'Stop one or more containers'
complete -c tspod -n '__tspod_in_group container' -f -a stop -d 'Stop one or more containers'
complete -c tspod -n '__tspod_in_group system' -f -a migrate -d 'Restart the user namespace after /etc/subuid or /etc/subgid changed'
complete -c tspod -n '__tspod_at_top' -f -a tag -d 'Add an additional name to a local image'
complete -c tspod -n '__tspod_in_group image' -f -a tag -d 'Add an additional name to a local image'
complete -c tspod -n '__tspod_at_top' -f -a unshare -d 'Run a command in tspod\'s user namespace'
complete -c tspod -n '__tspod_at_top' -f -a untag -d 'Remove names from a local image'
complete -c tspod -n '__tspod_in_group image' -f -a untag -d 'Remove names from a local image'
complete -c tspod -n '__tspod_at_top' -f -a version -d 'Display the tspod version information'
complete -c tspod -n '__tspod_at_top' -f -a wait -d 'Block on one or more containers'
complete -c tspod -n '__tspod_in_group container' -f -a wait -d 'Block on one or more containers'
complete -c tspod -n __tspod_at_top -f -a container -d 'Manage containers'
complete -c tspod -n __tspod_at_top -f -a image -d 'Manage images'
complete -c tspod -n __tspod_at_top -f -a system -d 'Manage tspod'
complete -c tspod -l log-level -r -f -a 'trace debug info warn error fatal panic' -d 'Log messages at and above this level'
complete -c tspod -l root -r -f -a '(__fish_complete_directories)' -d 'Path to the graph root directory'
complete -c tspod -l runroot -r -f -a '(__fish_complete_directories)' -d 'Path to the run root directory'
complete -c tspod -l storage-driver -r -f -a 'overlay fuse-overlayfs vfs' -d 'Storage driver for new containers (overlay, fuse-overlayfs, vfs)'
complete -c tspod -n __tspod_at_top -l help -d 'Help for tspod'
complete -c tspod -n __tspod_at_top -s v -l version -d 'Version for tspod'

# attach, container attach
complete -c tspod -n '__tspod_using attach' -l detach-keys -r -f -d 'Override the key sequence for detaching a container'
complete -c tspod -n '__tspod_using attach' -l no-stdin -d 'Do not attach STDIN'
complete -c tspod -n '__tspod_using attach' -l sig-proxy -d 'Proxy received signals to the process'
complete -c tspod -n '__tspod_arg attach 0 0' -f -a '(__tspod_dynamic containers running)'

# completion
complete -c tspod -n '__tspod_using completion' -s f -l file -r -f -d 'Write the script to this file instead of standard output'
complete -c tspod -n '__tspod_arg completion 0 0' -f -a 'bash zsh fish'

# container exists
complete -c tspod -n '__tspod_using container-exists' -l external -d 'Check external storage containers as well as tspod containers'
complete -c tspod -n '__tspod_arg container-exists 0 0' -f -a '(__tspod_dynamic containers all)'

# container inspect
complete -c tspod -n '__tspod_using container-inspect' -s f -l format -r -f -a 'json' -d 'Format the output to a Go template or json'
complete -c tspod -n '__tspod_using container-inspect' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using container-inspect' -s s -l size -d 'Display total file size'
complete -c tspod -n '__tspod_arg container-inspect 0' -f -a '(__tspod_dynamic containers all)'

# container prune
complete -c tspod -n '__tspod_using container-prune' -s f -l force -d 'Do not prompt for confirmation'

# create, container create
complete -c tspod -n '__tspod_using create' -l annotation -r -f -d 'Add annotations to container (`key=value`)'
complete -c tspod -n '__tspod_using create' -l cap-add -r -f -d 'Add capabilities to the container'
complete -c tspod -n '__tspod_using create' -l cap-drop -r -f -d 'Drop capabilities from the container'
complete -c tspod -n '__tspod_using create' -l entrypoint -r -f -d 'Overwrite the default ENTRYPOINT of the image'
complete -c tspod -n '__tspod_using create' -s e -l env -r -f -d 'Set environment variables in container (`KEY=VALUE`, or `KEY` to pass the host value)'
complete -c tspod -n '__tspod_using create' -l env-file -r -F -d 'Read in a file of environment variables'
complete -c tspod -n '__tspod_using create' -s h -l hostname -r -f -d 'Set container hostname'
complete -c tspod -n '__tspod_using create' -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c tspod -n '__tspod_using create' -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c tspod -n '__tspod_using create' -s l -l label -r -f -d 'Set metadata on container'
complete -c tspod -n '__tspod_using create' -l name -r -f -d 'Assign a name to the container'
complete -c tspod -n '__tspod_using create' -l network -l net -r -f -a 'none host' -d 'Connect a container to a network (none, host, ns:PATH)'
complete -c tspod -n '__tspod_using create' -l platform -r -f -d 'Specify the platform for selecting the image'
complete -c tspod -n '__tspod_using create' -l privileged -d 'Give extended privileges to the container (as far as rootless allows)'
complete -c tspod -n '__tspod_using create' -l pull -r -f -a 'always missing never newer' -d 'Pull image policy (always, missing, never, newer)'
complete -c tspod -n '__tspod_using create' -s q -l quiet -d 'Suppress output information when pulling images'
complete -c tspod -n '__tspod_using create' -l read-only -d 'Make the container\'s root filesystem read-only'
complete -c tspod -n '__tspod_using create' -l restart -r -f -a 'no on-failure always unless-stopped' -d 'Restart policy to apply when a container exits (no, on-failure[:max], always, unless-stopped)'
complete -c tspod -n '__tspod_using create' -l rm -d 'Remove container (and pod if created) after exit'
complete -c tspod -n '__tspod_using create' -l runtime -r -f -d 'Path to the OCI-compatible binary used to run containers'
complete -c tspod -n '__tspod_using create' -l security-opt -r -f -d 'Security options (no-new-privileges, seccomp=unconfined)'
complete -c tspod -n '__tspod_using create' -l stop-signal -r -f -d 'Signal to stop a container. Default is SIGTERM'
complete -c tspod -n '__tspod_using create' -l stop-timeout -r -f -d 'Timeout (in seconds) that containers stopped by user command have to exit'
complete -c tspod -n '__tspod_using create' -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries'
complete -c tspod -n '__tspod_using create' -s t -l tty -d 'Allocate a pseudo-TTY for container'
complete -c tspod -n '__tspod_using create' -s u -l user -r -f -d 'Username or UID (format: `<name|uid>[:<group|gid>]`)'
complete -c tspod -n '__tspod_using create' -s w -l workdir -r -f -d 'Working directory inside the container'
complete -c tspod -n '__tspod_arg create 0 0' -f -a '(__tspod_dynamic images)'
complete -c tspod -n '__tspod_arg create 1' -F

# exec, container exec
complete -c tspod -n '__tspod_using exec' -s d -l detach -d 'Run the exec session in detached mode (backgrounded)'
complete -c tspod -n '__tspod_using exec' -s e -l env -r -f -d 'Set environment variables'
complete -c tspod -n '__tspod_using exec' -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c tspod -n '__tspod_using exec' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using exec' -l privileged -d 'Give the process extended privileges'
complete -c tspod -n '__tspod_using exec' -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c tspod -n '__tspod_using exec' -s u -l user -r -f -d 'Sets the username or UID used and optionally the groupname or GID for the specified command'
complete -c tspod -n '__tspod_using exec' -s w -l workdir -r -f -d 'Working directory inside the container'
complete -c tspod -n '__tspod_arg exec 0 0' -f -a '(__tspod_dynamic containers running)'
complete -c tspod -n '__tspod_arg exec 1' -F

# history, image history
complete -c tspod -n '__tspod_using history' -l format -r -f -a 'json' -d 'Change the output to JSON or a Go template'
complete -c tspod -n '__tspod_using history' -s H -l human -d 'Display sizes and dates in human readable format'
complete -c tspod -n '__tspod_using history' -l no-trunc -d 'Do not truncate the output'
complete -c tspod -n '__tspod_using history' -s q -l quiet -d 'Display the numeric IDs only'
complete -c tspod -n '__tspod_arg history 0 0' -f -a '(__tspod_dynamic images)'

# image exists
complete -c tspod -n '__tspod_arg image-exists 0 0' -f -a '(__tspod_dynamic images)'

# image inspect
complete -c tspod -n '__tspod_using image-inspect' -s f -l format -r -f -a 'json' -d 'Format the output to a Go template or json'
complete -c tspod -n '__tspod_arg image-inspect 0' -f -a '(__tspod_dynamic images)'

# images, image ls, image list
complete -c tspod -n '__tspod_using images' -s a -l all -d 'Show all images (tspod keeps no intermediate images)'
complete -c tspod -n '__tspod_using images' -l digests -d 'Show digests'
complete -c tspod -n '__tspod_using images' -s f -l filter -r -f -d 'Filter output based on conditions provided'
complete -c tspod -n '__tspod_using images' -l format -r -f -a 'json' -d 'Change the output format to JSON or a Go template'
complete -c tspod -n '__tspod_using images' -l history -d 'Display the image name history'
complete -c tspod -n '__tspod_using images' -l no-trunc -d 'Do not truncate output'
complete -c tspod -n '__tspod_using images' -s n -l noheading -d 'Do not print column headings'
complete -c tspod -n '__tspod_using images' -s q -l quiet -d 'Display only image IDs'
complete -c tspod -n '__tspod_using images' -l sort -r -f -a 'created id repository size tag' -d 'Sort by created, id, repository, size, tag (default created)'
complete -c tspod -n '__tspod_arg images 0 0' -f -a '(__tspod_dynamic images)'

# info, system info
complete -c tspod -n '__tspod_using info' -s f -l format -r -f -a 'json' -d 'Change the output format to JSON or a Go template'

# inspect
complete -c tspod -n '__tspod_using inspect' -s f -l format -r -f -a 'json' -d 'Format the output to a Go template or json'
complete -c tspod -n '__tspod_using inspect' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using inspect' -s s -l size -d 'Display total file size'
complete -c tspod -n '__tspod_using inspect' -s t -l type -r -f -a 'container image all' -d 'Specify inspect-object type (container, image, all)'
complete -c tspod -n '__tspod_arg inspect 0' -f -a '(__tspod_dynamic containers all; __tspod_dynamic images)'

# kill, container kill
complete -c tspod -n '__tspod_using kill' -s a -l all -d 'Act on all containers'
complete -c tspod -n '__tspod_using kill' -l cidfile -r -F -d 'Read the container ID from the file'
complete -c tspod -n '__tspod_using kill' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using kill' -s s -l signal -r -f -d 'Signal to send to the container'
complete -c tspod -n '__tspod_arg kill 0' -f -a '(__tspod_dynamic containers running)'

# logs, container logs
complete -c tspod -n '__tspod_using logs' -s f -l follow -d 'Follow log output'
complete -c tspod -n '__tspod_using logs' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using logs' -l since -r -f -d 'Show logs since TIMESTAMP'
complete -c tspod -n '__tspod_using logs' -l tail -r -f -d 'Output the specified number of LINES at the end of the logs (-1: all)'
complete -c tspod -n '__tspod_using logs' -s t -l timestamps -d 'Output the timestamps in the log'
complete -c tspod -n '__tspod_using logs' -l until -r -f -d 'Show logs until TIMESTAMP'
complete -c tspod -n '__tspod_arg logs 0' -f -a '(__tspod_dynamic containers all)'

# port, container port
complete -c tspod -n '__tspod_using port' -s a -l all -d 'Display port information for all containers'
complete -c tspod -n '__tspod_using port' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_arg port 0' -f -a '(__tspod_dynamic containers all)'

# ps, container ps, container ls, container list
complete -c tspod -n '__tspod_using ps' -s a -l all -d 'Show all the containers, default is only running containers'
complete -c tspod -n '__tspod_using ps' -l external -d 'Show containers in storage not controlled by tspod (there are none)'
complete -c tspod -n '__tspod_using ps' -s f -l filter -r -f -d 'Filter output based on conditions given'
complete -c tspod -n '__tspod_using ps' -l format -r -f -a 'json' -d 'Pretty-print containers to JSON or using a Go template'
complete -c tspod -n '__tspod_using ps' -s n -l last -r -f -d 'Print the n last created containers (all states)'
complete -c tspod -n '__tspod_using ps' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using ps' -l no-trunc -d 'Display the extended information'
complete -c tspod -n '__tspod_using ps' -l noheading -d 'Do not print headers'
complete -c tspod -n '__tspod_using ps' -l ns -d 'Display namespace information'
complete -c tspod -n '__tspod_using ps' -s p -l pod -d 'Print the ID and name of the pod the containers are associated with'
complete -c tspod -n '__tspod_using ps' -s q -l quiet -d 'Print the numeric IDs of the containers only'
complete -c tspod -n '__tspod_using ps' -s s -l size -d 'Display the total file sizes'
complete -c tspod -n '__tspod_using ps' -l sort -r -f -a 'command created id image names runningfor size status' -d 'Sort output by: command, created, id, image, names, runningfor, size, status'
complete -c tspod -n '__tspod_using ps' -l sync -d 'Sync container state with OCI runtime (tspod always does)'

# pull, image pull
complete -c tspod -n '__tspod_using pull' -l authfile -r -F -d 'Path of the authentication file'
complete -c tspod -n '__tspod_using pull' -l creds -r -f -d 'Use `USERNAME[:PASSWORD]` for accessing the registry'
complete -c tspod -n '__tspod_using pull' -l platform -r -f -d 'Specify the platform for selecting the image (os/arch[/variant])'
complete -c tspod -n '__tspod_using pull' -s q -l quiet -d 'Suppress output information when pulling images'
complete -c tspod -n '__tspod_using pull' -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries'
complete -c tspod -n '__tspod_arg pull 0 0' -f

# restart, container restart
complete -c tspod -n '__tspod_using restart' -s a -l all -d 'Act on all containers'
complete -c tspod -n '__tspod_using restart' -l cidfile -r -F -d 'Read the container ID from the file'
complete -c tspod -n '__tspod_using restart' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using restart' -l running -d 'Restart only running containers'
complete -c tspod -n '__tspod_using restart' -s t -l time -r -f -d 'Seconds to wait for stop before killing the container'
complete -c tspod -n '__tspod_arg restart 0' -f -a '(__tspod_dynamic containers all)'

# rm, container rm, container remove
complete -c tspod -n '__tspod_using rm' -s a -l all -d 'Act on all containers'
complete -c tspod -n '__tspod_using rm' -l cidfile -r -F -d 'Read the container ID from the file'
complete -c tspod -n '__tspod_using rm' -l depend -d 'Remove container and all containers that depend on the selected container'
complete -c tspod -n '__tspod_using rm' -l filter -r -f -d 'Filter output based on conditions given'
complete -c tspod -n '__tspod_using rm' -s f -l force -d 'Force removal of a running or unusable container'
complete -c tspod -n '__tspod_using rm' -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c tspod -n '__tspod_using rm' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using rm' -s t -l time -r -f -d 'Seconds to wait for stop before killing the container'
complete -c tspod -n '__tspod_using rm' -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c tspod -n '__tspod_arg rm 0' -f -a '(__tspod_dynamic containers all)'

# rmi, image rm, image remove
complete -c tspod -n '__tspod_using rmi' -s a -l all -d 'Remove all images'
complete -c tspod -n '__tspod_using rmi' -s f -l force -d 'Remove images in use by containers, and those containers'
complete -c tspod -n '__tspod_using rmi' -s i -l ignore -d 'Ignore errors when an image does not exist'
complete -c tspod -n '__tspod_arg rmi 0' -f -a '(__tspod_dynamic images)'

# run, container run
complete -c tspod -n '__tspod_using run' -l annotation -r -f -d 'Add annotations to container (`key=value`)'
complete -c tspod -n '__tspod_using run' -l cap-add -r -f -d 'Add capabilities to the container'
complete -c tspod -n '__tspod_using run' -l cap-drop -r -f -d 'Drop capabilities from the container'
complete -c tspod -n '__tspod_using run' -s d -l detach -d 'Run container in background and print container ID'
complete -c tspod -n '__tspod_using run' -l detach-keys -r -f -d 'Override the key sequence for detaching a container'
complete -c tspod -n '__tspod_using run' -l entrypoint -r -f -d 'Overwrite the default ENTRYPOINT of the image'
complete -c tspod -n '__tspod_using run' -s e -l env -r -f -d 'Set environment variables in container (`KEY=VALUE`, or `KEY` to pass the host value)'
complete -c tspod -n '__tspod_using run' -l env-file -r -F -d 'Read in a file of environment variables'
complete -c tspod -n '__tspod_using run' -s h -l hostname -r -f -d 'Set container hostname'
complete -c tspod -n '__tspod_using run' -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c tspod -n '__tspod_using run' -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c tspod -n '__tspod_using run' -s l -l label -r -f -d 'Set metadata on container'
complete -c tspod -n '__tspod_using run' -l name -r -f -d 'Assign a name to the container'
complete -c tspod -n '__tspod_using run' -l network -l net -r -f -a 'none host' -d 'Connect a container to a network (none, host, ns:PATH)'
complete -c tspod -n '__tspod_using run' -l platform -r -f -d 'Specify the platform for selecting the image'
complete -c tspod -n '__tspod_using run' -l privileged -d 'Give extended privileges to the container (as far as rootless allows)'
complete -c tspod -n '__tspod_using run' -l pull -r -f -a 'always missing never newer' -d 'Pull image policy (always, missing, never, newer)'
complete -c tspod -n '__tspod_using run' -s q -l quiet -d 'Suppress output information when pulling images'
complete -c tspod -n '__tspod_using run' -l read-only -d 'Make the container\'s root filesystem read-only'
complete -c tspod -n '__tspod_using run' -l restart -r -f -a 'no on-failure always unless-stopped' -d 'Restart policy to apply when a container exits (no, on-failure[:max], always, unless-stopped)'
complete -c tspod -n '__tspod_using run' -l rm -d 'Remove container (and pod if created) after exit'
complete -c tspod -n '__tspod_using run' -l runtime -r -f -d 'Path to the OCI-compatible binary used to run containers'
complete -c tspod -n '__tspod_using run' -l security-opt -r -f -d 'Security options (no-new-privileges, seccomp=unconfined)'
complete -c tspod -n '__tspod_using run' -l sig-proxy -d 'Proxy received signals to the process (default true)'
complete -c tspod -n '__tspod_using run' -l stop-signal -r -f -d 'Signal to stop a container. Default is SIGTERM'
complete -c tspod -n '__tspod_using run' -l stop-timeout -r -f -d 'Timeout (in seconds) that containers stopped by user command have to exit'
complete -c tspod -n '__tspod_using run' -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries'
complete -c tspod -n '__tspod_using run' -s t -l tty -d 'Allocate a pseudo-TTY for container'
complete -c tspod -n '__tspod_using run' -s u -l user -r -f -d 'Username or UID (format: `<name|uid>[:<group|gid>]`)'
complete -c tspod -n '__tspod_using run' -s w -l workdir -r -f -d 'Working directory inside the container'
complete -c tspod -n '__tspod_arg run 0 0' -f -a '(__tspod_dynamic images)'
complete -c tspod -n '__tspod_arg run 1' -F

# start, container start
complete -c tspod -n '__tspod_using start' -s a -l attach -d 'Attach container\'s STDOUT and STDERR'
complete -c tspod -n '__tspod_using start' -l detach-keys -r -f -d 'Override the key sequence for detaching a container'
complete -c tspod -n '__tspod_using start' -s i -l interactive -d 'Make STDIN available to the contained process'
complete -c tspod -n '__tspod_using start' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using start' -l sig-proxy -d 'Proxy received signals to the process'
complete -c tspod -n '__tspod_arg start 0' -f -a '(__tspod_dynamic containers stopped)'

# stop, container stop
complete -c tspod -n '__tspod_using stop' -s a -l all -d 'Act on all containers'
complete -c tspod -n '__tspod_using stop' -l cidfile -r -F -d 'Read the container ID from the file'
complete -c tspod -n '__tspod_using stop' -s f -l filter -r -f -d 'Filter output based on conditions given'
complete -c tspod -n '__tspod_using stop' -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c tspod -n '__tspod_using stop' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_using stop' -s t -l time -r -f -d 'Seconds to wait for stop before killing the container'
complete -c tspod -n '__tspod_arg stop 0' -f -a '(__tspod_dynamic containers running)'

# system migrate

# tag, image tag
complete -c tspod -n '__tspod_arg tag 0 0' -f -a '(__tspod_dynamic images)'
complete -c tspod -n '__tspod_arg tag 1' -f

# unshare
complete -c tspod -n '__tspod_arg unshare 0' -F

# untag, image untag
complete -c tspod -n '__tspod_arg untag 0 0' -f -a '(__tspod_dynamic images)'
complete -c tspod -n '__tspod_arg untag 1' -f

# version
complete -c tspod -n '__tspod_using version' -s f -l format -r -f -a 'json' -d 'Change the output format to JSON or a Go template'

# wait, container wait
complete -c tspod -n '__tspod_using wait' -l ignore -d 'Ignore if a container does not exist'
complete -c tspod -n '__tspod_using wait' -s l -l latest -d 'Act on the latest container tspod is aware of'
complete -c tspod -n '__tspod_arg wait 0' -f -a '(__tspod_dynamic containers all)'
