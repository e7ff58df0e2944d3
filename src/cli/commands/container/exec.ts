import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'

export class ExecCommand extends TspodCommand {
  static paths = [['exec'], ['container', 'exec']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Run a process in a running container',
    details: 'The exit status is the process\'s; 126 when it cannot be executed, 127 when it is not found.',
    examples: [
      ['A shell in a running container', '$0 exec -it web sh'],
      ['As another user, in another directory', '$0 exec -u nobody -w /tmp web id'],
    ],
  })

  interactive = Option.Boolean('-i,--interactive', false, { description: 'Keep STDIN open even if not attached' })
  tty = Option.Boolean('-t,--tty', false, { description: 'Allocate a pseudo-TTY' })
  detach = Option.Boolean('-d,--detach', false, { description: 'Run the exec session in detached mode (backgrounded)' })
  env = Option.Array('-e,--env', { description: 'Set environment variables' })
  user = Option.String('-u,--user', { description: 'Sets the username or UID used and optionally the groupname or GID for the specified command' })
  workdir = Option.String('-w,--workdir', { description: 'Working directory inside the container' })
  privileged = Option.Boolean('--privileged', false, { description: 'Give the process extended privileges' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  // A positional before the proxy: flags before it are parsed as exec's own (a
  // bare proxy would take `-it` as the container). With --latest it is the command's first word.
  container = Option.String({ name: 'CONTAINER' })
  args = Option.Proxy({ name: 'COMMAND' })

  async run(): Promise<number> {
    const engine = await this.engine()
    const args = this.latest ? [this.container, ...this.args] : [...this.args]
    const name = this.latest ? (await engine.containers.latest()).id : this.container
    return engine.containers.exec(name, {
      command: args,
      interactive: this.interactive,
      tty: this.tty,
      detach: this.detach,
      env: this.env,
      user: this.user,
      workdir: this.workdir,
      privileged: this.privileged,
    })
  }
}
