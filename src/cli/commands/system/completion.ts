import { Command, Option } from 'clipanion'
import { writeFile } from 'node:fs/promises'
import { TspodCommand } from '../../base.js'
import { InvalidArgumentError } from '../../../engine/errors.js'

export class CompletionCommand extends TspodCommand {
  static paths = [['completion']]
  static usage = Command.Usage({
    category: 'Management',
    description: 'Generate shell completion scripts',
    details: `
      Prints the completion script for bash, zsh or fish. It completes commands, options and their fixed values, and the names of containers (in the state a command wants: \`start\` offers stopped ones, \`stop\` running ones) and images, read from the store at each TAB.

      bash: \`source <(tspod completion bash)\` in ~/.bashrc, or save it as ~/.local/share/bash-completion/completions/tspod. zsh: save it as \`_tspod\` in a directory of $fpath. fish: save it as ~/.config/fish/completions/tspod.fish.
    `,
    examples: [
      ['Completion for the running bash', '$0 completion bash'],
      ['Install the zsh script', '$0 completion -f ~/.zfunc/_tspod zsh'],
    ],
  })

  file = Option.String('-f,--file', { description: 'Write the script to this file instead of standard output' })
  shell = Option.String({ name: 'SHELL' })

  async run(): Promise<number> {
    const { SHELLS, completionScript } = await import('../../completion/docs.js')
    const shell = SHELLS.find(s => s === this.shell)
    if (!shell) throw new InvalidArgumentError(`unsupported shell "${this.shell}": choose from ${SHELLS.join(', ')}`)
    const { buildModel } = await import('../../completion/model.js')
    const script = completionScript(shell, await buildModel())
    if (this.file === undefined || this.file === '-') this.out(script)
    else await writeFile(this.file, script)
    return 0
  }
}

/**
 * `tspod __complete containers STATE [WORD]`, `images [WORD]`: the
 * candidates the completion scripts offer, one a line. `docs`: every
 * generated file as JSON, for scripts/gen-docs.mjs. Hidden: no usage, which
 * is clipanion's (and the docs') convention for an internal command.
 */
export class CompleteCommand extends TspodCommand {
  static paths = [['__complete']]

  what = Option.String({ name: 'WHAT' })
  args = Option.Rest({ name: 'ARG' })

  async run(): Promise<number> {
    const { CONTAINER_STATES, containerCandidates, graphRoot, imageCandidates } = await import('../../completion/candidates.js')
    const root = () => graphRoot(this.root ?? this.context.globals.root)
    let lines: string[]
    switch (this.what) {
      case 'containers': {
        const state = CONTAINER_STATES.find(s => s === this.args[0])
        if (!state) throw new InvalidArgumentError(`container state must be one of ${CONTAINER_STATES.join(', ')}`)
        lines = containerCandidates(root(), state, this.args[1])
        break
      }
      case 'images':
        lines = imageCandidates(root(), this.args[0])
        break
      case 'docs': {
        const { generatedFiles } = await import('../../completion/docs.js')
        this.out(JSON.stringify(Object.fromEntries(await generatedFiles()), null, 1) + '\n')
        return 0
      }
      default:
        throw new InvalidArgumentError(`__complete: unknown kind "${this.what}"`)
    }
    this.out(lines.map(l => `${l}\n`).join(''))
    return 0
  }
}
