/**
 * Every tspod command: its paths, and how to load its class. Loading is lazy
 * so that a command only pays for the code it runs (start-up time is on the
 * critical path of every `tspod run`). Help, completions and man pages load
 * them all. A test checks that these paths match the classes' own.
 */
import type { CommandClass } from 'clipanion'
import type { TspodContext } from '../base.js'

export interface CommandEntry {
  paths: string[][]
  load: () => Promise<CommandClass<TspodContext>>
  /** It starts a container: main.ts starts a shim ahead of time (see PendingShim). */
  startsContainer?: boolean
}

export const commandEntries: CommandEntry[] = [
  { paths: [['run'], ['container', 'run']], load: () => import('./container/run.js').then(m => m.RunCommand), startsContainer: true },
  { paths: [['create'], ['container', 'create']], load: () => import('./container/run.js').then(m => m.CreateCommand) },
  { paths: [['start'], ['container', 'start']], load: () => import('./container/lifecycle.js').then(m => m.StartCommand), startsContainer: true },
  { paths: [['stop'], ['container', 'stop']], load: () => import('./container/lifecycle.js').then(m => m.StopCommand) },
  { paths: [['kill'], ['container', 'kill']], load: () => import('./container/lifecycle.js').then(m => m.KillCommand) },
  { paths: [['restart'], ['container', 'restart']], load: () => import('./container/lifecycle.js').then(m => m.RestartCommand) },
  { paths: [['rm'], ['container', 'rm'], ['container', 'remove']], load: () => import('./container/lifecycle.js').then(m => m.RmCommand) },
  { paths: [['ps'], ['container', 'ps'], ['container', 'ls'], ['container', 'list']], load: () => import('./container/ps.js').then(m => m.PsCommand) },
  { paths: [['logs'], ['container', 'logs']], load: () => import('./container/logs.js').then(m => m.LogsCommand) },
  { paths: [['wait'], ['container', 'wait']], load: () => import('./container/lifecycle.js').then(m => m.WaitCommand) },
  { paths: [['exec'], ['container', 'exec']], load: () => import('./container/exec.js').then(m => m.ExecCommand) },
  { paths: [['attach'], ['container', 'attach']], load: () => import('./container/lifecycle.js').then(m => m.AttachCommand) },
  { paths: [['container', 'prune']], load: () => import('./container/lifecycle.js').then(m => m.ContainerPruneCommand) },
  { paths: [['container', 'exists']], load: () => import('./container/exists.js').then(m => m.ContainerExistsCommand) },
  { paths: [['port'], ['container', 'port']], load: () => import('./container/port.js').then(m => m.PortCommand) },
  { paths: [['container', 'inspect']], load: () => import('./inspect.js').then(m => m.ContainerInspectCommand) },
  { paths: [['inspect']], load: () => import('./inspect.js').then(m => m.InspectCommand) },
  { paths: [['pull'], ['image', 'pull']], load: () => import('./image/pull.js').then(m => m.PullCommand) },
  { paths: [['images'], ['image', 'ls'], ['image', 'list']], load: () => import('./image/images.js').then(m => m.ImagesCommand) },
  { paths: [['rmi'], ['image', 'rm'], ['image', 'remove']], load: () => import('./image/rmi.js').then(m => m.RmiCommand) },
  { paths: [['tag'], ['image', 'tag']], load: () => import('./image/tag.js').then(m => m.TagCommand) },
  { paths: [['untag'], ['image', 'untag']], load: () => import('./image/tag.js').then(m => m.UntagCommand) },
  { paths: [['image', 'exists']], load: () => import('./image/tag.js').then(m => m.ImageExistsCommand) },
  { paths: [['history'], ['image', 'history']], load: () => import('./image/history.js').then(m => m.HistoryCommand) },
  { paths: [['image', 'inspect']], load: () => import('./inspect.js').then(m => m.ImageInspectCommand) },
  { paths: [['info'], ['system', 'info']], load: () => import('./system/info.js').then(m => m.InfoCommand) },
  { paths: [['version'], ['--version'], ['-v']], load: () => import('./system/info.js').then(m => m.VersionCommand) },
  { paths: [['unshare']], load: () => import('./system/unshare.js').then(m => m.UnshareCommand) },
  { paths: [['system', 'migrate']], load: () => import('./system/unshare.js').then(m => m.SystemMigrateCommand) },
  { paths: [['completion']], load: () => import('./system/completion.js').then(m => m.CompletionCommand) },
  { paths: [['__complete']], load: () => import('./system/completion.js').then(m => m.CompleteCommand) },
]

/** The entry and path that is the longest prefix of `args`, or undefined (help, unknown command). */
export function matchCommand(args: readonly string[]): { entry: CommandEntry; path: string[] } | undefined {
  let best: { entry: CommandEntry; path: string[] } | undefined
  for (const entry of commandEntries) {
    for (const path of entry.paths) {
      if (path.length > (best?.path.length ?? 0) && path.every((word, i) => args[i] === word)) best = { entry, path }
    }
  }
  return best
}

/**
 * The command's class, registered under the one path being used: clipanion
 * builds its parser per path, and for `run` (dozens of options) each path
 * costs about 10 ms of start-up.
 */
export async function loadForPath(match: { entry: CommandEntry; path: string[] }): Promise<CommandClass<TspodContext>> {
  const command = await match.entry.load()
  if ((command.paths?.length ?? 0) <= 1) return command
  const OnePath = class extends (command as unknown as new () => object) {}
  Object.defineProperty(OnePath, 'paths', { value: [match.path] })
  Object.defineProperty(OnePath, 'name', { value: command.name })
  return OnePath as unknown as CommandClass<TspodContext>
}

export async function loadAllCommands(): Promise<CommandClass<TspodContext>[]> {
  return [...new Set(await Promise.all(commandEntries.map(e => e.load())))]
}
