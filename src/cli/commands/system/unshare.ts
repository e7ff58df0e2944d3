import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { runUnshare } from '../../../rootless/userns.js'
import { splitGlobalFlags } from '../../globals.js'

export class UnshareCommand extends TspodCommand {
  static paths = [['unshare']]
  static usage = Command.Usage({
    category: 'Management',
    description: "Run a command in tspod's user namespace",
    details: `
      Runs COMMAND (default: your shell) as root inside the user namespace where tspod keeps its files: container ids there map onto your /etc/subuid range, so files in the store owned by subordinate ids can be inspected and deleted. CONTAINERS_GRAPHROOT and CONTAINERS_RUNROOT name the store's directories. The exit status is the command's.
    `,
    examples: [
      ['Show the id map', '$0 unshare cat /proc/self/uid_map'],
      ['Delete a store by hand', '$0 unshare rm -rf ~/.local/share/tspod'],
    ],
  })

  command = Option.Proxy({ name: 'COMMAND' })

  async run(): Promise<number> {
    // COMMAND takes everything after `unshare`: global flags may lead it,
    // `--` ends the flags, and any other flag is one tspod does not know (podman's error).
    const { globals, rest: command } = splitGlobalFlags(this.command)
    this.root ??= globals.root
    this.runRoot ??= globals.runRoot
    this.logLevel ??= globals.logLevel
    this.storageDriver ??= globals.storageDriver
    this.applyGlobalFlags()
    const [first, ...rest] = command
    this.command = first === '--' ? rest : command
    if (first !== '--' && first?.startsWith('-')) {
      this.context.stderr.write(`Error: unknown flag: ${first.split('=')[0]}\nSee 'tspod unshare --help'\n`)
      return 125
    }
    const engine = await this.engine()
    return runUnshare(await engine.userNamespace(), {
      graphRoot: engine.paths.root,
      runRoot: engine.paths.runRoot,
      command: this.command,
    })
  }
}

export class SystemMigrateCommand extends TspodCommand {
  static paths = [['system', 'migrate']]
  static usage = Command.Usage({
    category: 'Management',
    description: 'Restart the user namespace after /etc/subuid or /etc/subgid changed',
    details: 'Ends the pause process holding the user namespace, so the next command creates it with the current id ranges. Stop running containers first.',
    examples: [['Pick up a new subordinate id range', '$0 system migrate']],
  })

  async run(): Promise<number> {
    const { stopPauseProcess } = await import('../../../rootless/userns.js')
    const engine = await this.engine()
    stopPauseProcess(engine.paths.runRoot)
    return 0
  }
}
