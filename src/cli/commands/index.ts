/** Every tspod command, in one list (help, completions and man pages are generated from it). */
import type { CommandClass } from 'clipanion'
import type { TspodContext } from '../base.js'
import { PullCommand } from './image/pull.js'
import { ImagesCommand } from './image/images.js'
import { RmiCommand } from './image/rmi.js'
import { ImageExistsCommand, TagCommand, UntagCommand } from './image/tag.js'
import { ContainerInspectCommand, ImageInspectCommand, InspectCommand } from './inspect.js'
import { InfoCommand, VersionCommand } from './system/info.js'
import { SystemMigrateCommand, UnshareCommand } from './system/unshare.js'
import { CreateCommand, RunCommand } from './container/run.js'
import { AttachCommand, ContainerPruneCommand, KillCommand, RestartCommand, RmCommand, StartCommand, StopCommand, WaitCommand } from './container/lifecycle.js'
import { PsCommand } from './container/ps.js'
import { LogsCommand } from './container/logs.js'
import { ExecCommand } from './container/exec.js'

export const commands: CommandClass<TspodContext>[] = [
  RunCommand,
  CreateCommand,
  StartCommand,
  StopCommand,
  KillCommand,
  RestartCommand,
  RmCommand,
  PsCommand,
  LogsCommand,
  WaitCommand,
  ExecCommand,
  AttachCommand,
  ContainerPruneCommand,
  ContainerInspectCommand,
  InspectCommand,
  PullCommand,
  ImagesCommand,
  RmiCommand,
  TagCommand,
  UntagCommand,
  ImageExistsCommand,
  ImageInspectCommand,
  InfoCommand,
  VersionCommand,
  UnshareCommand,
  SystemMigrateCommand,
]
