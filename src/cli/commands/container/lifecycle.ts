import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { TspodError } from '../../../engine/errors.js'
import type { TargetReport } from '../../../engine/containers/service.js'
import type { Engine } from '../../../engine/engine.js'
import { attachToContainer } from '../../attach.js'

/** What bulk verbs share: names, or --all / --latest, reported one line each as podman does. */
abstract class BulkCommand extends TspodCommand {
  all = Option.Boolean('-a,--all', false, { description: 'Act on all containers' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  ignore = Option.Boolean('-i,--ignore', false, { description: 'Ignore errors when a specified container is missing' })
  names = Option.Rest({ name: 'CONTAINER' })

  protected async targets(engine: Engine, filter?: (running: boolean) => boolean): Promise<string[]> {
    const given = [this.all, this.latest, this.names.length > 0].filter(Boolean).length
    if (given === 0) throw new TspodError('invalid-argument', 'you must provide at least one name or id')
    if (given > 1) throw new TspodError('invalid-argument', '--all, --latest and containers cannot be used together')
    if (this.latest) return [(await engine.containers.latest()).id]
    if (this.all) {
      return (await engine.containers.list())
        .filter(c => !filter || filter(c.state.status === 'running' || c.state.status === 'stopping'))
        .map(c => c.record.id)
    }
    return this.names
  }

  /** Print each id (or the name as given) and each error; exit 125 if any failed. */
  protected report(reports: TargetReport[], echo: (r: TargetReport) => string): number {
    let status = 0
    for (const r of reports) {
      if (!r.error) {
        this.out(`${echo(r)}\n`)
        continue
      }
      if (this.ignore && r.error.code === 'not-found') continue
      this.err(`Error: ${r.error.message}\n`)
      status = r.error.exitCode
    }
    return status
  }

  /** podman echoes what the user typed, and the full ID for --all/--latest. */
  protected echo = (r: TargetReport) => (this.all || this.latest ? (r.id ?? r.input) : r.input)
}

export class StopCommand extends BulkCommand {
  static paths = [['stop'], ['container', 'stop']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Stop one or more containers',
    details: "Sends the container's stop signal (the image's STOPSIGNAL, or SIGTERM), waits up to `-t` seconds (default: the container's stop timeout, 10), then SIGKILL. A restart policy does not restart a stopped container.",
    examples: [
      ['Stop a container', '$0 stop web'],
      ['Stop all, without waiting', '$0 stop -a -t 0'],
    ],
  })
  time = Option.String('-t,--time', { description: 'Seconds to wait for stop before killing the container' })

  async run(): Promise<number> {
    const timeout = this.time === undefined ? undefined : Number(this.time)
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 0)) {
      throw new TspodError('invalid-argument', `invalid argument "${this.time}" for "-t, --time" flag: strconv.ParseUint: parsing "${this.time}": invalid syntax`)
    }
    const engine = await this.engine()
    const targets = await this.targets(engine, running => running)
    return this.report(await engine.containers.each(targets, ref => engine.containers.stop(ref, timeout)), this.echo)
  }
}

export class KillCommand extends BulkCommand {
  static paths = [['kill'], ['container', 'kill']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Kill one or more running containers with a specific signal',
    examples: [
      ['Kill a container', '$0 kill web'],
      ['Send SIGHUP', '$0 kill -s HUP web'],
    ],
  })
  signal = Option.String('-s,--signal', 'KILL', { description: 'Signal to send to the container' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const targets = await this.targets(engine, running => running)
    return this.report(await engine.containers.each(targets, ref => engine.containers.kill(ref, this.signal)), this.echo)
  }
}

export class RmCommand extends BulkCommand {
  static paths = [['rm'], ['container', 'rm'], ['container', 'remove']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Remove one or more containers',
    details: 'Removes the record, the runtime state, the mounts and the upper directory (files of subordinate ids included). A running container needs `-f`, which kills it first.',
    examples: [
      ['Remove a stopped container', '$0 rm job'],
      ['Remove everything, running or not', '$0 rm -a -f'],
    ],
  })
  force = Option.Boolean('-f,--force', false, { description: 'Force removal of a running container' })
  time = Option.String('-t,--time', { description: 'Seconds to wait for stop before killing the container' })
  volumes = Option.Boolean('-v,--volumes', false, { description: 'Remove anonymous volumes associated with the container' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const targets = await this.targets(engine)
    return this.report(await engine.containers.each(targets, ref => engine.containers.remove(ref, { force: this.force })), this.echo)
  }
}

export class RestartCommand extends BulkCommand {
  static paths = [['restart'], ['container', 'restart']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Restart one or more containers',
    examples: [['Restart a container', '$0 restart web']],
  })
  time = Option.String('-t,--time', { description: 'Seconds to wait for stop before killing the container' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const timeout = this.time === undefined ? undefined : Number(this.time)
    const targets = await this.targets(engine)
    return this.report(await engine.containers.each(targets, ref => engine.containers.restart(ref, timeout)), this.echo)
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
        sigProxy: this.sigProxy === undefined || this.sigProxy === true || this.sigProxy === 'true',
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
      sigProxy: this.sigProxy === undefined || this.sigProxy === true || this.sigProxy === 'true',
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
