import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { TspodError } from '../../../engine/errors.js'

export class TagCommand extends TspodCommand {
  static paths = [['tag'], ['image', 'tag']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Add an additional name to a local image',
    details: 'A name belongs to one image at a time: tagging moves it from any image that had it. A name without a registry is a local one, as in podman (`app` → `localhost/app:latest`).',
    examples: [['Tag an image', '$0 tag busybox localhost/mybox:1.0']],
  })

  image = Option.String({ name: 'IMAGE' })
  targets = Option.Rest({ name: 'TARGET_NAME', required: 1 })

  async run(): Promise<number> {
    if (this.targets.length === 0) throw new TspodError('invalid-argument', 'image name and at least one target name must be specified')
    const engine = await this.engine()
    await engine.images.tag(this.image, this.targets)
    return 0
  }
}

export class UntagCommand extends TspodCommand {
  static paths = [['untag'], ['image', 'untag']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Remove names from a local image',
    details: 'Without names, every name of the image is removed; the image stays, dangling.',
    examples: [['Remove one name', '$0 untag busybox localhost/mybox:1.0']],
  })

  image = Option.String({ name: 'IMAGE' })
  names = Option.Rest({ name: 'NAME' })

  async run(): Promise<number> {
    const engine = await this.engine()
    await engine.images.untag(this.image, this.names)
    return 0
  }
}

export class ImageExistsCommand extends TspodCommand {
  static paths = [['image', 'exists']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Check if an image exists in local storage',
    details: 'Exit status 0 if the image exists, 1 if it does not, 125 on other errors.',
    examples: [['Check for an image', '$0 image exists busybox']],
  })

  image = Option.String({ name: 'IMAGE' })

  async run(): Promise<number> {
    const engine = await this.engine()
    return engine.images.find(this.image) ? 0 : 1
  }
}
