import { Command, Option } from 'clipanion'
import { TspodCommand } from '../base.js'
import { formatJson, printReport } from '../output.js'
import { InvalidArgumentError, TspodError } from '../../engine/errors.js'
import { inspectContainer } from '../../engine/views/container-inspect.js'
import { inspectImage } from '../../engine/views/image-inspect.js'
import { directorySize } from '../../engine/views/container-size.js'
import { isJsonFormat } from '../../format/report.js'
import { TemplateError, goTypeName } from '../../format/template/index.js'
import type { Engine } from '../../engine/engine.js'

type InspectType = 'all' | 'container' | 'image'

/**
 * podman's inspectNormalize: `{{.Id}}` means the ID field, and a few docker
 * spellings (.Src, .Dst, .ImageID) name podman's fields.
 */
export function inspectNormalize(format: string, type: InspectType): string {
  const pairs: [string, string][] = [['.Src', '.Source'], ['.Dst', '.Destination'], ['.ImageID', '.Image']]
  if (type === 'image') pairs.push(['.Config.Healthcheck', '.HealthCheck'])
  let out = ''
  const text = format.replace(/\{\{\s*\.Id\s*\}\}/g, '{{.ID}}')
  scan: for (let i = 0; i < text.length; ) {
    for (const [from, to] of pairs) {
      if (text.startsWith(from, i)) {
        out += to
        i += from.length
        continue scan
      }
    }
    out += text[i++]
  }
  return out
}

/** Shared by `inspect`, `container inspect` and `image inspect`: a JSON array by default, or a template per object. */
abstract class InspectBase extends TspodCommand {
  format = Option.String('-f,--format', 'json', { description: 'Format the output to a Go template or json' })
  names = Option.Rest({ name: 'NAME' })

  protected abstract kind(): InspectType
  protected latest = false
  protected size = false

  async run(): Promise<number> {
    const kind = this.kind()
    if (this.names.length === 0 && !this.latest) throw new InvalidArgumentError('no names or ids specified')
    if (this.latest && this.names.length > 0) throw new InvalidArgumentError('--latest and arguments cannot be used together')
    const engine = await this.engine()
    const targets = this.latest ? [(await engine.containers.latest()).id] : this.names
    const objects: unknown[] = []
    const errors: string[] = []
    for (const name of targets) {
      try {
        objects.push(await lookup(engine, name, this.latest ? 'container' : kind, this.size))
      } catch (err) {
        if (!(err instanceof TspodError) || err.code !== 'not-found') throw err
        errors.push(err.message)
      }
    }
    if (isJsonFormat(this.format) || this.format === '') {
      this.out(formatJson(objects, { indent: '     ', escapeHTML: false }))
    } else {
      // podman ranges over a []interface{}: the objects' own type is "interface {}" in template errors.
      for (const o of objects) Object.defineProperty(o, goTypeName, { value: 'interface {}', configurable: true })
      try {
        printReport(this.context.stdout, inspectNormalize(this.format, kind), objects, { name: 'inspect', noHeading: true })
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err
        errors.push(`printing inspect output: ${err.message}`)
      }
    }
    if (errors.length === 0) return 0
    for (const e of errors.slice(1)) this.err(`error inspecting object: ${e}\n`)
    throw new TspodError('not-found', `inspecting object: ${errors[0]}`)
  }
}

async function lookup(engine: Engine, name: string, kind: InspectType, size: boolean): Promise<unknown> {
  if (kind !== 'image') {
    try {
      const { record, state } = await engine.containers.get(name)
      const image = engine.images.list().find(i => i.id === record.imageId)
      const data = inspectContainer(engine, record, state, image)
      if (size) {
        data.SizeRw = await directorySize(engine.containers.paths(record.id).upperDir)
        data.SizeRootFs = image ? image.layers.reduce((n, l) => n + l.size, 0) : 0
      }
      return data
    } catch (err) {
      if (!(err instanceof TspodError) || err.code !== 'not-found') throw err
      if (kind === 'container') throw new TspodError('not-found', `no such container ${name}`)
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
    description: 'Display the configuration of object denoted by ID',
    details: `
      Containers are looked up first, then images, unless \`--type\` says which. Output is a JSON array in podman's shape, or one line per object through a Go template (\`--format\`): \`{{.State.Status}}\`, \`{{.Config.Cmd}}\`, \`{{index .Config.Labels "key"}}\`, \`{{json .Mounts}}\`.
    `,
    examples: [
      ['Inspect a container', '$0 inspect web'],
      ['The PID of a container', "$0 inspect --format '{{.State.Pid}}' web"],
      ['An image, not a container of the same name', '$0 inspect --type image busybox'],
    ],
  })
  type = Option.String('-t,--type', 'all', { description: 'Specify inspect-object type (container, image, all)' })
  latestFlag = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  sizeFlag = Option.Boolean('-s,--size', false, { description: 'Display total file size' })

  protected kind(): InspectType {
    this.latest = this.latestFlag
    this.size = this.sizeFlag
    if (this.type !== 'all' && this.type !== 'container' && this.type !== 'image') {
      throw new InvalidArgumentError(`invalid type "${this.type}": must be "image", "container", "pod", "network", "volume", or "all"`)
    }
    if (this.type === 'image' && this.latest) throw new InvalidArgumentError('latest is not supported for type "image"')
    if (this.type === 'image' && this.size) throw new InvalidArgumentError('size is not supported for type "image"')
    return this.type
  }
}

export class ContainerInspectCommand extends InspectBase {
  static paths = [['container', 'inspect']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Display the configuration of a container',
    details: 'A JSON array in podman\'s shape, or one line per container through a Go template (`--format`).',
    examples: [
      ['Status and exit code', "$0 container inspect --format '{{.State.Status}} {{.State.ExitCode}}' web"],
      ['The latest container, with sizes', '$0 container inspect --latest --size'],
    ],
  })
  latestFlag = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  sizeFlag = Option.Boolean('-s,--size', false, { description: 'Display total file size' })

  protected kind(): InspectType {
    this.latest = this.latestFlag
    this.size = this.sizeFlag
    return 'container'
  }
}

export class ImageInspectCommand extends InspectBase {
  static paths = [['image', 'inspect']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Display the configuration of an image',
    details: 'A JSON array in podman\'s shape, or one line per image through a Go template (`--format`).',
    examples: [
      ['The image command', "$0 image inspect --format '{{.Config.Cmd}}' busybox"],
      ['Its layers', "$0 image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' busybox"],
    ],
  })
  protected kind(): InspectType {
    return 'image'
  }
}
