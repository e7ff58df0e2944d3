import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { isTspodError } from '../../../engine/errors.js'

export class ContainerExistsCommand extends TspodCommand {
  static paths = [['container', 'exists']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Check if a container exists in local storage',
    details: 'Exit status 0 if a container with that name or ID exists, 1 if it does not, 125 on other errors. Nothing is printed.',
    examples: [['Check for a container', '$0 container exists web']],
  })

  external = Option.Boolean('--external', false, { description: 'Check external storage containers as well as tspod containers' })
  container = Option.String({ name: 'CONTAINER' })

  async run(): Promise<number> {
    const engine = await this.engine()
    try {
      await engine.containers.lookup(this.container)
      return 0
    } catch (err) {
      if (isTspodError(err, 'not-found')) return 1
      throw err
    }
  }
}
