import { Command, Option } from 'clipanion'
import { CreateFlags } from './create-flags.js'
import { sigProxyFlag } from '../../flags.js'
import { attachToContainer } from '../../attach.js'
import { trace } from '../../../util/trace.js'

export class RunCommand extends CreateFlags {
  static paths = [['run'], ['container', 'run']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Run a command in a new container',
    details: `
      Creates a container from IMAGE (pulled first if it is not in the store, see \`--pull\`) and starts it. Attached by default: the container's output is shown and its exit status becomes tspod's; with \`-d\` the ID is printed at once and the container runs on. Signals to an attached tspod reach the container (\`--sig-proxy\`); with \`-t\` ctrl-p,ctrl-q detaches.

      Exit status: the container's own; 125 when tspod itself fails, 126 when the command cannot be executed, 127 when it is not found.
    `,
    examples: [
      ['Run a command and remove the container after', '$0 run --rm busybox echo hello'],
      ['An interactive shell', '$0 run --rm -it busybox sh'],
      ['A detached, named service that restarts on failure', '$0 run -d --name web --restart on-failure:3 busybox httpd -f'],
    ],
  })

  detach = Option.Boolean('-d,--detach', false, { description: 'Run container in background and print container ID' })
  sigProxy = Option.String('--sig-proxy', { tolerateBoolean: true, description: 'Proxy received signals to the process (default true)' })
  detachKeys = Option.String('--detach-keys', { description: 'Override the key sequence for detaching a container' })

  async run(): Promise<number> {
    const { engine, record } = await this.createContainer()
    trace('cli: created')
    if (this.detach) {
      await engine.containers.start(record.id)
      this.out(`${record.id}\n`)
      return 0
    }
    await engine.containers.start(record.id, { attach: true })
    return attachToContainer(this, engine, record, {
      stdin: this.interactive,
      tty: this.tty,
      replay: true,
      sigProxy: sigProxyFlag(this.sigProxy),
      detachKeys: this.detachKeys,
    })
  }
}

export class CreateCommand extends CreateFlags {
  static paths = [['create'], ['container', 'create']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Create but do not start a container',
    details: 'Takes the same flags as `run`; prints the new container ID. Start it with `tspod start`.',
    examples: [['Create a named container', '$0 create --name job busybox sh -c "echo done"']],
  })

  async run(): Promise<number> {
    const { record } = await this.createContainer()
    this.out(`${record.id}\n`)
    return 0
  }
}
