import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { TspodError } from '../../../engine/errors.js'
import { applyEach, checkSelection, printOutcomes, rmStatus, selectContainers, type Selection } from '../../bulk.js'
import { parseUintFlag, sigProxyFlag } from '../../flags.js'
import { parseSignal } from '../../../runtime/spec/signal.js'
import { attachToContainer } from '../../attach.js'

/** What bulk verbs share: names, or --all / --latest, reported one line each as podman does (see cli/bulk.ts). */
abstract class BulkCommand extends TspodCommand {
  all = Option.Boolean('-a,--all', false, { description: 'Act on all containers' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  cidFiles = Option.Array('--cidfile', [], { description: 'Read the container ID from the file' })
  names = Option.Rest({ name: 'CONTAINER' })

  protected selection(filters: string[] = []): Selection {
    const sel = { all: this.all, latest: this.latest, names: this.names, filters, cidFiles: this.cidFiles }
    checkSelection(sel)
    return sel
  }

  protected io = { out: (s: string) => this.out(s), err: (s: string) => this.err(s) }
}

export class StopCommand extends BulkCommand {
  static paths = [['stop'], ['container', 'stop']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Stop one or more containers',
    details: "Sends the container's stop signal (the image's STOPSIGNAL, or SIGTERM), waits up to `-t` seconds (default: the container's stop timeout, 10), then SIGKILL. Stopping a stopped container is not an error. A restart policy does not restart a stopped container. Each container stopped is printed as given (its full ID with `--all`, `--latest`, `--filter`); if any name is unknown nothing is stopped, unless `--ignore`.",
    examples: [
      ['Stop a container', '$0 stop web'],
      ['Stop all, without waiting', '$0 stop -a -t 0'],
      ['Stop containers with a label', '$0 stop --filter label=app=web'],
    ],
  })
  ignore = Option.Boolean('-i,--ignore', false, { description: 'Ignore errors when a specified container is missing' })
  filter = Option.Array('-f,--filter', [], { description: 'Filter output based on conditions given' })
  time = Option.String('-t,--time', { description: 'Seconds to wait for stop before killing the container' })

  async run(): Promise<number> {
    const timeout = this.time === undefined ? undefined : parseUintFlag(this.time, '-t, --time')
    const sel = this.selection(this.filter)
    const engine = await this.engine()
    const { targets, missing } = await selectContainers(engine, sel)
    if (missing.length > 0 && !this.ignore) throw missing[0]
    return printOutcomes(this.io, await applyEach(targets, id => engine.containers.stop(id, timeout)))
  }
}

export class KillCommand extends BulkCommand {
  static paths = [['kill'], ['container', 'kill']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Kill one or more running containers with a specific signal',
    details: 'Each container signalled is printed as given (its full ID with `--all` or `--latest`; `--all` only signals running containers). If any name is unknown, no container is signalled.',
    examples: [
      ['Kill a container', '$0 kill web'],
      ['Send SIGHUP', '$0 kill -s HUP web'],
      ['Kill every running container', '$0 kill -a'],
    ],
  })
  signal = Option.String('-s,--signal', 'KILL', { description: 'Signal to send to the container' })

  async run(): Promise<number> {
    const signo = parseSignal(this.signal)
    if (signo < 1 || signo > 64) throw new TspodError('invalid-argument', 'valid signals are 1 through 64')
    const sel = this.selection()
    const engine = await this.engine()
    const { targets, missing } = await selectContainers(engine, sel, running => running)
    if (missing.length > 0) throw missing[0]
    return printOutcomes(this.io, await applyEach(targets, id => engine.containers.kill(id, this.signal)))
  }
}

export class RmCommand extends BulkCommand {
  static paths = [['rm'], ['container', 'rm'], ['container', 'remove']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Remove one or more containers',
    details: `
      Removes the record, the runtime state, the mounts and the upper directory (files of subordinate ids included). A running container needs \`-f\`, which kills it first (\`-t\` seconds after its stop signal). Each container removed is printed as given (its full ID with \`--all\`, \`--latest\`, \`--filter\`).

      Exit status: 1 if a container does not exist (then nothing is removed, unless \`--ignore\` or \`--force\`), 2 if one is running and \`-f\` was not given, 125 for other errors.
    `,
    examples: [
      ['Remove a stopped container', '$0 rm job'],
      ['Remove everything, running or not', '$0 rm -a -f'],
      ['Remove exited containers', '$0 rm --filter status=exited'],
    ],
  })
  force = Option.Boolean('-f,--force', false, { description: 'Force removal of a running or unusable container' })
  ignore = Option.Boolean('-i,--ignore', false, { description: 'Ignore errors when a specified container is missing' })
  filter = Option.Array('--filter', [], { description: 'Filter output based on conditions given' })
  time = Option.String('-t,--time', { description: 'Seconds to wait for stop before killing the container' })
  volumes = Option.Boolean('-v,--volumes', false, { description: 'Remove anonymous volumes associated with the container' })
  depend = Option.Boolean('--depend', false, { description: 'Remove container and all containers that depend on the selected container' })

  async run(): Promise<number> {
    if (this.time !== undefined) {
      if (!this.force) throw new TspodError('invalid-argument', '--force option must be specified to use the --time option')
      parseUintFlag(this.time, '-t, --time')
    }
    const sel = this.selection(this.filter)
    const engine = await this.engine()
    const { targets, missing } = await selectContainers(engine, sel)
    // podman: a missing name stops everything (exit 1), except with --ignore, or --force (which is silent about it).
    if (missing.length > 0 && !this.ignore && !this.force) {
      this.err(`Error: ${missing[0]!.message}\n`)
      return 1
    }
    return printOutcomes(this.io, await applyEach(targets, id => engine.containers.remove(id, { force: this.force })), rmStatus)
  }
}

export class RestartCommand extends BulkCommand {
  static paths = [['restart'], ['container', 'restart']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Restart one or more containers',
    details: 'Stops each container (see `stop`) and starts it again; prints each as given (its full ID with `--all`, `--latest`).',
    examples: [
      ['Restart a container', '$0 restart web'],
      ['Restart the running ones', '$0 restart --running'],
    ],
  })
  time = Option.String('-t,--time', { description: 'Seconds to wait for stop before killing the container' })
  running = Option.Boolean('--running', false, { description: 'Restart only running containers' })

  async run(): Promise<number> {
    const timeout = this.time === undefined ? undefined : parseUintFlag(this.time, '-t, --time')
    const sel = this.running ? { all: true, latest: false, names: [] } : this.selection()
    const engine = await this.engine()
    const { targets, missing } = await selectContainers(engine, sel, this.running ? running => running : undefined)
    if (missing.length > 0) throw missing[0]
    return printOutcomes(this.io, await applyEach(targets, id => engine.containers.restart(id, timeout)))
  }
}

export class StartCommand extends TspodCommand {
  static paths = [['start'], ['container', 'start']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Start one or more containers',
    details: 'With `-a` (one container), output is attached and the exit status is the container\'s; `-i` also attaches stdin.',
    examples: [
      ['Start a container', '$0 start web'],
      ['Start and attach', '$0 start -a job'],
    ],
  })
  attach = Option.Boolean('-a,--attach', false, { description: "Attach container's STDOUT and STDERR" })
  interactive = Option.Boolean('-i,--interactive', false, { description: 'Make STDIN available to the contained process' })
  sigProxy = Option.String('--sig-proxy', { tolerateBoolean: true, description: 'Proxy received signals to the process' })
  detachKeys = Option.String('--detach-keys', { description: 'Override the key sequence for detaching a container' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  names = Option.Rest({ name: 'CONTAINER' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const names = this.latest ? [(await engine.containers.latest()).id] : this.names
    if (names.length === 0) throw new TspodError('invalid-argument', 'start requires at least one argument')
    if (this.attach || this.interactive) {
      if (names.length > 1) throw new TspodError('invalid-argument', 'you cannot start and attach multiple containers at once')
      const record = await engine.containers.lookup(names[0]!)
      const started = await engine.containers.start(record.id, { attach: true })
      return attachToContainer(this, engine, record, {
        stdin: this.interactive && record.interactive,
        tty: record.tty,
        replay: !started.alreadyRunning,
        sigProxy: sigProxyFlag(this.sigProxy),
        detachKeys: this.detachKeys,
      })
    }
    let status = 0
    for (const name of names) {
      try {
        await engine.containers.start(name)
        this.out(`${name}\n`)
      } catch (err) {
        status = this.fail(err)
      }
    }
    return status
  }
}

export class AttachCommand extends TspodCommand {
  static paths = [['attach'], ['container', 'attach']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Attach to a running container',
    details: 'Output from now on, and stdin unless `--no-stdin`; ctrl-p,ctrl-q detaches and leaves the container running.',
    examples: [['Attach to a container', '$0 attach web']],
  })
  noStdin = Option.Boolean('--no-stdin', false, { description: 'Do not attach STDIN' })
  sigProxy = Option.String('--sig-proxy', { tolerateBoolean: true, description: 'Proxy received signals to the process' })
  detachKeys = Option.String('--detach-keys', { description: 'Override the key sequence for detaching a container' })
  name = Option.String({ name: 'CONTAINER' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const { record, state } = await engine.containers.get(this.name)
    if (state.status !== 'running') {
      throw new TspodError('failed-precondition', 'you can only attach to running containers')
    }
    return attachToContainer(this, engine, record, {
      stdin: !this.noStdin && record.interactive,
      tty: record.tty,
      replay: false,
      sigProxy: sigProxyFlag(this.sigProxy),
      detachKeys: this.detachKeys,
    })
  }
}

export class WaitCommand extends TspodCommand {
  static paths = [['wait'], ['container', 'wait']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Block on one or more containers',
    details: 'Waits until each container is no longer running and prints its exit code.',
    examples: [['Wait for a job', '$0 wait job']],
  })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  ignore = Option.Boolean('--ignore', false, { description: 'Ignore if a container does not exist' })
  names = Option.Rest({ name: 'CONTAINER' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const names = this.latest ? [(await engine.containers.latest()).id] : this.names
    if (names.length === 0) throw new TspodError('invalid-argument', 'you must provide at least one container name or id')
    let status = 0
    for (const name of names) {
      try {
        this.out(`${await engine.containers.wait(name)}\n`)
      } catch (err) {
        if (this.ignore && err instanceof TspodError && err.code === 'not-found') {
          this.out('-1\n')
          continue
        }
        status = this.fail(err)
      }
    }
    return status
  }
}

export class ContainerPruneCommand extends TspodCommand {
  static paths = [['container', 'prune']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Remove all non running containers',
    details: 'tspod never prompts: `-f` is accepted for compatibility.',
    examples: [['Remove stopped containers', '$0 container prune -f']],
  })
  force = Option.Boolean('-f,--force', false, { description: 'Do not prompt for confirmation' })

  async run(): Promise<number> {
    const engine = await this.engine()
    let status = 0
    for (const r of await engine.containers.prune()) {
      if (r.error) {
        this.err(`Error: ${r.error.message}\n`)
        status = 125
      } else this.out(`${r.id}\n`)
    }
    return status
  }
}
