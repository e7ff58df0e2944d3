import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { formatJson, printObject, renderObject } from '../../output.js'
import { toYaml } from '../../yaml.js'
import { systemInfo } from '../../../engine/views/info.js'
import { VERSION_TEMPLATE, versionInfo } from '../../../engine/views/version.js'
import { isJsonFormat } from '../../../format/report.js'
import { TemplateError } from '../../../format/template/index.js'

export class InfoCommand extends TspodCommand {
  static paths = [['info'], ['system', 'info']]
  static usage = Command.Usage({
    category: 'Management',
    description: 'Display tspod system information',
    details: `
      Host (kernel, id mappings, OCI runtime), store (graph root, run root, driver, counts) and version, in podman's shape: YAML by default, \`--format json\`, or a Go template over the Go field names (\`{{.Store.GraphRoot}}\`, \`{{.Host.Kernel}}\`).
    `,
    examples: [
      ['The store path in use', "$0 info --format '{{.Store.GraphRoot}}'"],
      ['As JSON', '$0 info --format json'],
    ],
  })

  format = Option.String('-f,--format', { description: 'Change the output format to JSON or a Go template' })

  async run(): Promise<number> {
    const info = await systemInfo(await this.engine())
    if (this.format !== undefined && isJsonFormat(this.format)) {
      this.out(formatJson(info, { indent: '  ', jsoniter: true }))
    } else if (this.format !== undefined) {
      printObject(this.context.stdout, this.format, info, { name: 'info' })
    } else {
      // ghodss/yaml: the JSON document as YAML, then fmt.Println adds a blank line.
      this.out(toYaml(JSON.parse(formatJson(info, { indent: '' }))) + '\n')
    }
    return 0
  }
}

export class VersionCommand extends TspodCommand {
  static paths = [['version'], ['--version'], ['-v']]
  static usage = Command.Usage({
    category: 'Management',
    description: 'Display the tspod version information',
    details: 'Client version, API version, Node.js version, build time and platform; `--format json` or a Go template over `.Client` (`{{.Client.Version}}`).',
    examples: [
      ['Only the version', "$0 version --format '{{.Client.Version}}'"],
      ['As JSON', '$0 version --format json'],
    ],
  })

  format = Option.String('-f,--format', { description: 'Change the output format to JSON or a Go template' })

  async run(): Promise<number> {
    const info = versionInfo()
    if (this.path[0] === '--version' || this.path[0] === '-v') {
      this.out(`tspod version ${info.Client.Version}\n`)
    } else if (this.format !== undefined && isJsonFormat(this.format)) {
      this.out(formatJson(info, { indent: '' }))
    } else if (this.format !== undefined) {
      try {
        this.out(renderObject(this.format, info, { name: 'version' }))
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err
        // As podman: an old `{{.Server.X}}`/`{{.X}}` template is retried against the client alone.
        printObject(this.context.stdout, this.format.replaceAll('.Server.', '.'), info.Client, { name: 'version' })
      }
    } else {
      this.out(renderObject(VERSION_TEMPLATE, info, { name: 'version', aligned: true }))
    }
    return 0
  }
}
