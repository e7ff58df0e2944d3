/**
 * `create` (and the first half of `run`): check every flag before any work,
 * find or pull the image, resolve the user against the image (a bad `-u`
 * fails here, leaving nothing behind), then commit the container's record.
 */
import { mkdir, readFile } from 'node:fs/promises'
import type { Engine } from '../engine.js'
import { InvalidArgumentError, NoSuchImageError, TspodError } from '../errors.js'
import { parseRestartPolicy } from './restart.js'
import { containerPaths } from './paths.js'
import type { ContainerRecord } from './record.js'
import type { ImageRecord } from '../../image/store/images.js'
import type { PullOptions } from '../images/pull.js'
import { LayeredReader } from '../../image/store/layered-reader.js'
import { containerEnv, parseEntrypointFlag, parseEnvArgs, parseEnvFile, parseNetworkMode, parseSignal, resolveCommand, resolveUser, userSpecFor, type RunOptions } from '../../runtime/spec/index.js'
import { normalizeCapability } from '../../runtime/spec/caps.js'
import { findRuntime } from '../../runtime/driver/runtime.js'
import { parseDockerReference } from '../../image/reference.js'
import type { ImageConfig } from '../../runtime/spec/types.js'

export type PullPolicy = 'always' | 'missing' | 'never' | 'newer'

export interface CreateOptions {
  image: string
  /** Arguments after IMAGE. */
  command?: string[]
  name?: string
  pull?: PullPolicy
  pullOptions?: PullOptions
  entrypoint?: string
  env?: string[]
  envFile?: string[]
  workdir?: string
  user?: string
  hostname?: string
  tty?: boolean
  interactive?: boolean
  readOnly?: boolean
  init?: boolean
  privileged?: boolean
  capAdd?: string[]
  capDrop?: string[]
  securityOpt?: string[]
  labels?: string[]
  annotations?: string[]
  restart?: string
  rm?: boolean
  network?: string
  runtime?: string
  stopSignal?: string
  stopTimeout?: number
  createCommand?: string[]
}

const PULL_POLICIES: readonly string[] = ['always', 'missing', 'never', 'newer']

export async function createContainer(engine: Engine, o: CreateOptions): Promise<ContainerRecord> {
  // Everything that can be checked without the image is checked first.
  if (o.pull !== undefined && !PULL_POLICIES.includes(o.pull)) {
    throw new InvalidArgumentError(`invalid pull policy "${o.pull}": must be one of always, missing, never, newer`)
  }
  const restartPolicy = parseRestartPolicy(o.restart)
  if (o.rm && restartPolicy.name !== 'no') {
    throw new InvalidArgumentError('the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"')
  }
  const labels = parseKeyValues(o.labels ?? [], 'label')
  const annotations = parseKeyValues(o.annotations ?? [], 'annotation')
  const security = parseSecurityOpts(o.securityOpt ?? [])
  const network = parseNetworkMode(o.network)
  const env = parseEnvArgs(o.env ?? [], process.env)
  const envFile = []
  for (const file of o.envFile ?? []) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw new InvalidArgumentError(`open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`)
    }
    envFile.push(...parseEnvFile(text, process.env, file))
  }
  const capAdd = (o.capAdd ?? []).flatMap(splitList).map(normalizeCapability)
  const capDrop = (o.capDrop ?? []).flatMap(splitList).map(normalizeCapability)
  const stopSignal = o.stopSignal !== undefined ? parseSignal(o.stopSignal) : undefined
  const entrypoint = o.entrypoint !== undefined ? parseEntrypointFlag(o.entrypoint) : undefined
  if (o.stopTimeout !== undefined && (!Number.isInteger(o.stopTimeout) || o.stopTimeout < 0)) {
    throw new InvalidArgumentError(`invalid stop timeout ${o.stopTimeout}`)
  }
  findRuntime(o.runtime)
  // Before the image: a driver that cannot be used fails here, with nothing pulled.
  const storageDriver = await engine.storageDriver()

  const image = await resolveImage(engine, o.image, o.pull ?? 'missing', o.pullOptions)
  const imageConfig = await readImageConfig(engine, image)
  const layerDirs = image.layers.map(l => engine.layers.diffDir(l.chainId))
  const reader = new LayeredReader(layerDirs)
  const userSpec = userSpecFor(o.user, imageConfig.User)
  const user = await resolveUser({ user: userSpec, readFile: p => reader.readFile(p) })

  const runOptions: RunOptions = {
    ...(o.command && o.command.length > 0 ? { command: o.command } : {}),
    ...(entrypoint ? { entrypoint } : {}),
    env,
    envFile,
    ...(o.workdir !== undefined ? { workdir: o.workdir } : {}),
    ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
    tty: o.tty ?? false,
    readOnly: o.readOnly ?? false,
    capAdd,
    capDrop,
    privileged: o.privileged ?? false,
    noNewPrivileges: security.noNewPrivileges,
    seccomp: security.seccomp,
    annotations,
    network,
    ...(stopSignal !== undefined ? { stopSignal } : {}),
  }
  const command = resolveCommand({ image: imageConfig, entrypoint, command: o.command })
  const processEnv = containerEnv({
    imageEnv: imageConfig.Env,
    envFile,
    env,
    hostEnv: process.env,
    home: user.home,
    hostname: o.hostname || 'HOSTNAME',
  })
  const imageName = displayName(image, o.image)

  const record = await engine.containerStore.create(
    (id, name) => ({
      id,
      name,
      created: new Date().toISOString(),
      imageId: image.id,
      imageName,
      layers: image.layers.map(l => l.chainId),
      storageDriver,
      imageConfig,
      runOptions,
      user: userSpec,
      init: o.init ?? false,
      interactive: o.interactive ?? false,
      tty: o.tty ?? false,
      autoRemove: o.rm ?? false,
      restartPolicy,
      runtime: o.runtime ?? '',
      labels: { ...(imageConfig.Labels ?? {}), ...labels },
      stopSignal: stopSignal ?? parseSignal(imageConfig.StopSignal ?? 'SIGTERM'),
      stopTimeout: o.stopTimeout ?? 10,
      command,
      env: processEnv.map(e => (e.startsWith('HOSTNAME=') ? `HOSTNAME=${o.hostname || id.slice(0, 12)}` : e)),
      createCommand: o.createCommand ?? [],
    }),
    o.name,
  )
  const cp = containerPaths(engine.paths, record.id)
  await Promise.all([mkdir(cp.upperDir, { recursive: true }), mkdir(cp.workDir, { recursive: true }), mkdir(cp.rootfs, { recursive: true })])
  return record
}

/** The image by policy: local first (`missing`), always from the registry, or never pulled. */
async function resolveImage(engine: Engine, name: string, policy: PullPolicy, pullOptions?: PullOptions): Promise<ImageRecord> {
  const local = engine.images.find(name)
  if (policy === 'never') {
    if (!local) throw new NoSuchImageError(name)
    return local
  }
  if (local && policy === 'missing') return local
  try {
    return (await engine.images.pull(name, pullOptions)).image
  } catch (err) {
    // `newer`: a registry that cannot be reached is fine when the image is here.
    if (local && policy === 'newer') return local
    throw err
  }
}

/** The name `ps` shows: the stored name the user meant, or the ID they typed. */
function displayName(image: ImageRecord, input: string): string {
  if (/^(sha256:)?[a-f0-9]{3,64}$/.test(input) && image.id.startsWith(input.replace(/^sha256:/, ''))) {
    return image.names[0] ?? image.id
  }
  try {
    const full = parseDockerReference(input).toString()
    if (image.names.includes(full)) return full
  } catch {}
  const suffix = `/${input.includes(':') ? input : `${input}:latest`}`
  return image.names.find(n => n.endsWith(suffix)) ?? image.names[0] ?? image.id
}

export async function readImageConfig(engine: Engine, image: ImageRecord): Promise<ImageConfig> {
  const doc = JSON.parse((await engine.content.read(image.configDigest)).toString('utf8')) as { config?: ImageConfig }
  return doc.config ?? {}
}

function splitList(v: string): string[] {
  return v.split(',').map(s => s.trim()).filter(s => s !== '')
}

function parseKeyValues(items: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items) {
    const eq = item.indexOf('=')
    const key = eq < 0 ? item : item.slice(0, eq)
    if (key === '') throw new InvalidArgumentError(`invalid ${what} "${item}": empty key`)
    out[key] = eq < 0 ? '' : item.slice(eq + 1)
  }
  return out
}

function parseSecurityOpts(opts: string[]): { noNewPrivileges: boolean; seccomp: 'default' | 'unconfined' } {
  let noNewPrivileges = false
  let seccomp: 'default' | 'unconfined' = 'default'
  for (const opt of opts) {
    if (opt === 'no-new-privileges' || opt === 'no-new-privileges=true' || opt === 'no-new-privileges:true') noNewPrivileges = true
    else if (opt === 'no-new-privileges=false' || opt === 'no-new-privileges:false') noNewPrivileges = false
    else if (opt === 'seccomp=unconfined' || opt === 'seccomp:unconfined') seccomp = 'unconfined'
    else if (opt.startsWith('label=') || opt.startsWith('apparmor=')) continue // no SELinux/AppArmor on rootless Debian: accepted, like podman
    else throw new TspodError('invalid-argument', `invalid --security-opt 1: "${opt}"`)
  }
  return { noNewPrivileges, seccomp }
}
