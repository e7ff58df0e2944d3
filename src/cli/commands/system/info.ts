import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { printReport } from '../../output.js'
import { toYaml } from '../../yaml.js'
import { infoJson, systemInfo } from '../../../engine/views/info.js'
import { versionInfo } from '../../../engine/views/version.js'
import { isJsonFormat } from '../../../format/report.js'

export class InfoCommand extends TspodCommand {
  static paths = [['info'], ['system', 'info']]
  static usage = Command.Usage({
    category: 'Management',
    description: 'Display tspod related system information',
    details: "Host (kernel, id mappings, OCI runtime), store (graph root, run root, driver, counts) and version. YAML by default; `--format json` or a Go template with podman's field names.",
    examples: [
      ['The store path in use', "$0 info --format '{{.Store.GraphRoot}}'"],
      ['As JSON', '$0 info --format json'],
    ],
  })

  format = Option.String('-f,--format', { description: 'Change the output format to JSON or a Go template' })

  async run(): Promise<number> {
    const info = await systemInfo(await this.engine())
    if (this.format === undefined || this.format === '') {
      this.out(toYaml(infoJson(info)).replace(/^\n/, ''))
    } else if (isJsonFormat(this.format)) {
      printReport(this.context.stdout, 'json', [], { json: { indent: '  ', value: infoJson(info) } })
    } else {
      printReport(this.context.stdout, this.format, [info], { name: 'info' })
    }
    return 0
  }
}

export class VersionCommand extends TspodCommand {
  static paths = [['version'], ['--version'], ['-v']]
  static usage = Command.Usage({
    category: 'Management',
    description: 'Display the tspod version information',
    examples: [['Only the version', "$0 version --format '{{.Client.Version}}'"]],
  })

  format = Option.String('-f,--format', { description: 'Change the output format to JSON or a Go template' })

  async run(): Promise<number> {
    const info = versionInfo()
    if (this.path[0] === '--version' || this.path[0] === '-v') {
      this.out(`tspod version ${info.Client.Version}\n`)
    } else if (this.format === undefined || this.format === '') {
      const c = info.Client
      this.out(
        [
          `Client:       tspod`,
          `Version:      ${c.Version}`,
          `API Version:  ${c.APIVersion}`,
          `Node Version: ${c.GoVersion}`,
          `Built:        ${c.BuiltTime}`,
          `OS/Arch:      ${c.OsArch}`,
        ].join('\n') + '\n',
      )
    } else if (isJsonFormat(this.format)) {
      printReport(this.context.stdout, 'json', [], { json: { indent: '  ', value: info } })
    } else {
      printReport(this.context.stdout, this.format, [info], { name: 'version' })
    }
    return 0
  }
}
