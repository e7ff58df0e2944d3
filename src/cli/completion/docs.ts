/**
 * Everything generated from the command definitions, by path in the
 * repository: the man pages (man/) and the completion scripts
 * (completions/). scripts/gen-docs.mjs writes them from the built CLI
 * (`tspod __complete docs`); a test checks the committed copies are current.
 */
import { bashScript } from './bash.js'
import { fishScript } from './fish.js'
import { manPages } from './man.js'
import { buildModel, type CliModel } from './model.js'
import { zshScript } from './zsh.js'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

/** Where each shell's script is kept in the repository. */
export const SCRIPT_FILES: Record<Shell, string> = {
  bash: 'completions/tspod.bash',
  zsh: 'completions/_tspod',
  fish: 'completions/tspod.fish',
}

export function completionScript(shell: Shell, model: CliModel): string {
  switch (shell) {
    case 'bash': return bashScript(model)
    case 'zsh': return zshScript(model)
    case 'fish': return fishScript(model)
  }
}

export async function generatedFiles(): Promise<Map<string, string>> {
  const model = await buildModel()
  const files = new Map<string, string>()
  for (const shell of SHELLS) files.set(SCRIPT_FILES[shell], completionScript(shell, model))
  for (const [name, text] of manPages(model)) files.set(`man/${name}`, text)
  return files
}
