/**
 * The flags `run` and `create` share, in podman's spelling, folded into one
 * CreateOptions for the engine.
 */
import { Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { PullProgressPrinter } from '../../progress.js'
import type { Engine } from '../../../engine/engine.js'
import type { ContainerRecord } from '../../../engine/containers/record.js'
import type { CreateOptions, PullPolicy } from '../../../engine/containers/create.js'
import { tlsVerifyFlag } from '../../flags.js'
import { InvalidArgumentError } from '../../../engine/errors.js'

export abstract class CreateFlags extends TspodCommand {
  name = Option.String('--name', { description: 'Assign a name to the container' })
  env = Option.Array('-e,--env', { description: 'Set environment variables in container (`KEY=VALUE`, or `KEY` to pass the host value)' })
  envFile = Option.Array('--env-file', { description: 'Read in a file of environment variables' })
  workdir = Option.String('-w,--workdir', { description: 'Working directory inside the container' })
  user = Option.String('-u,--user', { description: 'Username or UID (format: `<name|uid>[:<group|gid>]`)' })
  entrypoint = Option.String('--entrypoint', { description: 'Overwrite the default ENTRYPOINT of the image' })
  hostname = Option.String('-h,--hostname', { description: 'Set container hostname' })
  interactive = Option.Boolean('-i,--interactive', false, { description: 'Keep STDIN open even if not attached' })
  tty = Option.Boolean('-t,--tty', false, { description: 'Allocate a pseudo-TTY for container' })
  readOnly = Option.Boolean('--read-only', false, { description: "Make the container's root filesystem read-only" })
  init = Option.Boolean('--init', false, { description: 'Run an init inside the container that forwards signals and reaps processes' })
  privileged = Option.Boolean('--privileged', false, { description: 'Give extended privileges to the container (as far as rootless allows)' })
  capAdd = Option.Array('--cap-add', { description: 'Add capabilities to the container' })
  capDrop = Option.Array('--cap-drop', { description: 'Drop capabilities from the container' })
  securityOpt = Option.Array('--security-opt', { description: 'Security options (no-new-privileges, seccomp=unconfined)' })
  label = Option.Array('-l,--label', { description: 'Set metadata on container' })
  annotation = Option.Array('--annotation', { description: 'Add annotations to container (`key=value`)' })
  restart = Option.String('--restart', { description: 'Restart policy to apply when a container exits (no, on-failure[:max], always, unless-stopped)' })
  rm = Option.Boolean('--rm', false, { description: 'Remove container (and pod if created) after exit' })
  network = Option.String('--network,--net', { description: 'Connect a container to a network (none, host, ns:PATH)' })
  runtime = Option.String('--runtime', { description: 'Path to the OCI-compatible binary used to run containers' })
  pull = Option.String('--pull', { description: 'Pull image policy (always, missing, never, newer)' })
  platform = Option.String('--platform', { description: 'Specify the platform for selecting the image' })
  tlsVerify = Option.String('--tls-verify', { tolerateBoolean: true, description: 'Require HTTPS and verify certificates when contacting registries' })
  stopSignal = Option.String('--stop-signal', { description: 'Signal to stop a container. Default is SIGTERM' })
  stopTimeout = Option.String('--stop-timeout', { description: 'Timeout (in seconds) that containers stopped by user command have to exit' })
  quiet = Option.Boolean('-q,--quiet', false, { description: 'Suppress output information when pulling images' })
  image = Option.String({ name: 'IMAGE' })
  command = Option.Proxy({ name: 'COMMAND' })

  /** Create the container from the flags (pulling its image, with progress, if needed). */
  protected async createContainer(): Promise<{ engine: Engine; record: ContainerRecord }> {
    const options = this.createOptions(['tspod', ...process.argv.slice(2)])
    const engine = await this.engine()
    const progress = new PullProgressPrinter(this.context.stderr, this.quiet)
    options.pullOptions = { ...options.pullOptions, onProgress: progress.handle }
    try {
      return { engine, record: await engine.containers.create(options) }
    } finally {
      progress.stop()
    }
  }

  protected createOptions(argv: string[]): CreateOptions {
    let stopTimeout: number | undefined
    if (this.stopTimeout !== undefined) {
      stopTimeout = Number(this.stopTimeout)
      if (!/^\d+$/.test(this.stopTimeout)) {
        throw new InvalidArgumentError(`invalid argument "${this.stopTimeout}" for "--stop-timeout" flag: strconv.ParseUint: parsing "${this.stopTimeout}": invalid syntax`)
      }
    }
    return {
      image: this.image,
      command: this.command,
      ...(this.name !== undefined ? { name: this.name } : {}),
      pull: this.pull as PullPolicy | undefined,
      pullOptions: { platform: this.platform, tlsVerify: tlsVerifyFlag(this.tlsVerify) },
      entrypoint: this.entrypoint,
      env: this.env,
      envFile: this.envFile,
      workdir: this.workdir,
      user: this.user,
      hostname: this.hostname,
      tty: this.tty,
      interactive: this.interactive,
      readOnly: this.readOnly,
      init: this.init,
      privileged: this.privileged,
      capAdd: this.capAdd,
      capDrop: this.capDrop,
      securityOpt: this.securityOpt,
      labels: this.label,
      annotations: this.annotation,
      restart: this.restart,
      rm: this.rm,
      network: this.network,
      runtime: this.runtime,
      stopSignal: this.stopSignal,
      stopTimeout,
      createCommand: argv,
    }
  }
}
