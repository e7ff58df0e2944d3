import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { InvalidArgumentError, TspodError } from '../../../engine/errors.js'

/**
 * `port`: a container's published ports. tspod does not publish ports yet
 * (its containers have no network, the host's, or one handed to them), so
 * every container has none: the listing is empty and a named port is not found.
 */
export class PortCommand extends TspodCommand {
  static paths = [['port'], ['container', 'port']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'List port mappings or a specific mapping for the container',
    details: 'One line per published port, `PRIVATE/PROTO -> HOST_IP:HOST_PORT` (with `--all`, each prefixed by the container ID). tspod publishes no ports yet, so the list is empty.',
    examples: [
      ['Ports of a container', '$0 port web'],
      ['Where port 80 went', '$0 port web 80'],
      ['Ports of every container', '$0 port --all'],
    ],
  })

  all = Option.Boolean('-a,--all', false, { description: 'Display port information for all containers' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  args = Option.Rest({ name: 'CONTAINER' })

  async run(): Promise<number> {
    if (this.all && this.latest) throw new InvalidArgumentError('--all and --latest cannot be used together')
    const given = this.all || this.latest ? 0 : 1
    if (this.args.length < given) throw new InvalidArgumentError('you must supply a running container name or id')
    if (this.args.length > given + 1 || (this.all && this.args.length > 0)) {
      throw new InvalidArgumentError(this.all ? 'the ---all option does not take a port argument' : 'you must supply a running container name or id')
    }
    const engine = await this.engine()
    if (this.latest) await engine.containers.latest()
    else if (!this.all) await engine.containers.lookup(this.args[0]!)
    const port = this.args[given]
    if (port !== undefined) {
      const [num, proto = 'tcp'] = port.split('/')
      if (!/^\d+$/.test(num ?? '') || Number(num) > 65535) throw new InvalidArgumentError(`invalid port ${JSON.stringify(port)}`)
      throw new TspodError('not-found', `failed to find published port "${num}/${proto}"`)
    }
    return 0
  }
}
