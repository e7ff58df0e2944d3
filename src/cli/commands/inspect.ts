import { Command, Option } from 'clipanion'
import { TspodCommand } from '../base.js'
import { printReport } from '../output.js'
import { TspodError } from '../../engine/errors.js'
import { inspectContainer } from '../../engine/views/container-inspect.js'
import { inspectImage } from '../../engine/views/image-inspect.js'
import type { Engine } from '../../engine/engine.js'

type InspectType = 'all' | 'container' | 'image'

/** Shared by `inspect`, `container inspect` and `image inspect`: JSON array by default, or a template per object. */
abstract class InspectBase extends TspodCommand {
  format = Option.String('-f,--format', { description: 'Format the output using a Go template or json' })
  names = Option.Rest({ name: 'NAME' })

  protected abstract kind(): InspectType

  async run(): Promise<number> {
    if (this.names.length === 0) throw new TspodError('invalid-argument', 'no names or ids specified')
    const engine = await this.engine()
    const objects: unknown[] = []
    let status = 0
    for (const name of this.names) {
      try {
        objects.push(await lookup(engine, name, this.kind()))
      } catch (err) {
        if (!(err instanceof TspodError) || err.code !== 'not-found') throw err
        status = 125
        this.err(`Error: ${err.message}\n`)
      }
    }
    if (this.format === undefined || this.format === '' || this.format === 'json') {
      printReport(this.context.stdout, 'json', objects, { json: { indent: '    ' } })
    } else {
      printReport(this.context.stdout, this.format, objects, { name: 'inspect' })
    }
    return status
  }
}

async function lookup(engine: Engine, name: string, kind: InspectType): Promise<unknown> {
  if (kind !== 'image') {
    try {
      const { record, state } = await engine.containers.get(name)
      return inspectContainer(engine, record, state)
    } catch (err) {
      if (kind === 'container' || !(err instanceof TspodError) || err.code !== 'not-found') throw err
    }
  }
  const image = engine.images.find(name)
  if (image) return inspectImage(engine, image)
  if (kind === 'image') throw new TspodError('not-found', `${name}: image not known`)
  throw new TspodError('not-found', `no such object: "${name}"`)
}

export class InspectCommand extends InspectBase {
  static paths = [['inspect']]
  static usage = Command.Usage({
    category: 'Management',
    description: 'Display the configuration of a container or image',
    details: 'Containers are looked up first, then images, unless `--type` says which. Output is a JSON array, or one line per object through `--format`.',
    examples: [
      ['Inspect a container', '$0 inspect web'],
      ['The PID of a container', "$0 inspect --format '{{.State.Pid}}' web"],
    ],
  })
  type = Option.String('-t,--type', 'all', { description: 'Return JSON for the specified type (container, image, all)' })
  protected kind(): InspectType {
    if (this.type !== 'all' && this.type !== 'container' && this.type !== 'image') {
      throw new TspodError('invalid-argument', `invalid type "${this.type}": must be one of container, image, all`)
    }
    return this.type
  }
}

export class ContainerInspectCommand extends InspectBase {
  static paths = [['container', 'inspect']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Display the configuration of a container',
    examples: [['Status and exit code', "$0 container inspect --format '{{.State.Status}} {{.State.ExitCode}}' web"]],
  })
  protected kind(): InspectType {
    return 'container'
  }
}

export class ImageInspectCommand extends InspectBase {
  static paths = [['image', 'inspect']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Display the configuration of an image',
    examples: [['The image command', "$0 image inspect --format '{{.Config.Cmd}}' busybox"]],
  })
  protected kind(): InspectType {
    return 'image'
  }
}
