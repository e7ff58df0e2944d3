/**
 * The container's argv and working directory, by podman 4's rules
 * (specgenutil + specgen/generate makeCommand):
 * - `--entrypoint` is JSON when it parses as an array of strings, otherwise
 *   one argv element (so `--entrypoint "/bin/echo x"` is a single path);
 * - `--entrypoint ''` clears the image ENTRYPOINT and, being "set", also
 *   drops the image CMD: only the command after IMAGE remains;
 * - `--entrypoint '[]'` clears ENTRYPOINT but keeps the image CMD;
 * - any other `--entrypoint` replaces ENTRYPOINT and drops the image CMD;
 * - arguments after IMAGE replace CMD.
 */
import { InvalidArgumentError } from '../../engine/errors.js'
import type { ImageConfig } from './types.js'

export const INIT_PATH_IN_CONTAINER = '/run/tspod-init'

/** The `--entrypoint` flag value as podman reads it. */
export function parseEntrypointFlag(raw: string): string[] {
  try {
    const parsed: unknown = JSON.parse(raw)
    if (Array.isArray(parsed) && parsed.every(e => typeof e === 'string')) return parsed as string[]
  } catch {
    // not JSON: a plain path
  }
  return [raw]
}

export interface CommandInput {
  image: Pick<ImageConfig, 'Entrypoint' | 'Cmd'>
  /** Parsed `--entrypoint` (see parseEntrypointFlag); undefined when not given. */
  entrypoint?: readonly string[]
  /** Arguments after IMAGE. */
  command?: readonly string[]
  /** `--init`: prefix with the init binary's path and `--`. */
  init?: boolean
}

export function resolveCommand(input: CommandInput): string[] {
  const entrypoint = input.entrypoint ?? input.image.Entrypoint ?? []
  const argv: string[] = []
  if (!(entrypoint.length === 1 && entrypoint[0] === '')) argv.push(...entrypoint)
  let command: readonly string[] = input.command ?? []
  if (command.length === 0 && (input.entrypoint === undefined || input.entrypoint.length === 0)) {
    command = input.image.Cmd ?? []
  }
  argv.push(...command)
  if (argv.length === 0) {
    throw new InvalidArgumentError('no command or entrypoint provided, and no CMD or ENTRYPOINT from image')
  }
  return input.init ? [INIT_PATH_IN_CONTAINER, '--', ...argv] : argv
}

export interface Workdir {
  cwd: string
  /** True when it came from the image: the engine creates it if missing (podman does). */
  createIfMissing: boolean
}

/** `-w` wins, then the image's WorkingDir, then "/". */
export function resolveWorkdir(flag: string | undefined, imageWorkingDir: string | undefined): Workdir {
  if (flag !== undefined && flag !== '') {
    if (!flag.startsWith('/')) throw new InvalidArgumentError(`workdir ${JSON.stringify(flag)} is not an absolute path`)
    return { cwd: flag, createIfMissing: false }
  }
  if (imageWorkingDir) {
    // Old builders wrote relative WORKDIRs; they are relative to /.
    const cwd = imageWorkingDir.startsWith('/') ? imageWorkingDir : `/${imageWorkingDir}`
    return { cwd, createIfMissing: true }
  }
  return { cwd: '/', createIfMissing: false }
}
