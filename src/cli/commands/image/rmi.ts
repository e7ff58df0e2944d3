import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { TspodError } from '../../../engine/errors.js'
import { ImageInUseError } from '../../../engine/images/service.js'

export class RmiCommand extends TspodCommand {
  static paths = [['rmi'], ['image', 'rm'], ['image', 'remove']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Remove one or more images from local storage',
    details: `
      By name, an image that has other names only loses that name ("Untagged"), even with \`-f\`; by ID, or by its last name, it is deleted with every layer no other image uses ("Deleted"). By ID, an image with several names needs \`-f\`. An image used by a container needs \`-f\`, which removes those containers too. Exit status: 1 when an image did not exist, 2 when one was in use, 125 otherwise.
    `,
    examples: [
      ['Remove an image', '$0 rmi busybox'],
      ['Remove every image, and containers using them', '$0 rmi -a -f'],
    ],
  })

  force = Option.Boolean('-f,--force', false, { description: 'Remove images in use by containers, and those containers' })
  all = Option.Boolean('-a,--all', false, { description: 'Remove all images' })
  ignore = Option.Boolean('-i,--ignore', false, { description: 'Ignore errors when an image does not exist' })
  images = Option.Rest({ name: 'IMAGE' })

  async run(): Promise<number> {
    if (this.images.length === 0 && !this.all) throw new TspodError('invalid-argument', 'image name or ID must be specified')
    if (this.images.length > 0 && this.all) throw new TspodError('invalid-argument', 'when using the --all switch, you may not pass any images names or IDs')
    const engine = await this.engine()
    const reports = await engine.images.remove(this.images, {
      force: this.force,
      all: this.all,
      usedBy: id => engine.containers.usingImage(id),
      removeContainers: async ids => {
        for (const id of ids) await engine.containers.remove(id, { force: true })
      },
    })
    let status = 0
    for (const r of reports) {
      for (const name of r.untagged) this.out(`Untagged: ${name}\n`)
      if (r.deleted) this.out(`Deleted: ${r.deleted}\n`)
      if (!r.error) continue
      if (r.error.code === 'not-found') {
        if (this.ignore) continue
        status = status || 1
      } else if (r.error instanceof ImageInUseError) {
        status = 2
      } else {
        status = 125
      }
      this.err(`Error: ${r.error.message}\n`)
    }
    return status
  }
}
