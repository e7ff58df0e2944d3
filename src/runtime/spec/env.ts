/**
 * Container environment, podman 4's rules (pkg/env, specgen):
 *   built-in defaults (PATH, TERM=xterm, container=podman)
 *   < image Env < host proxy variables (or the whole host env with --env-host)
 *   < --env-file < -e
 * and then HOME (from passwd) and HOSTNAME when still unset.
 * `-e K` / a bare `K` line copies the host's value (skipped when the host has
 * none); `K*` copies every host variable starting with K. Later layers win;
 * unlike podman (a Go map) the order is stable: a variable keeps the position
 * where it first appeared.
 */
import { InvalidArgumentError } from '../../engine/errors.js'

/** Ordered name/value pairs. */
export type EnvPairs = Array<[name: string, value: string]>
export type HostEnv = Readonly<Record<string, string | undefined>>

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/**
 * `container=podman`, not `container=tspod`: systemd-detect-virt and tools such
 * as toolbox/distrobox test this value; tspod is a podman look-alike, so
 * answering "podman" keeps them working. `-e container=...` overrides it.
 */
export const DEFAULT_ENV: EnvPairs = [
  ['PATH', DEFAULT_PATH],
  ['TERM', 'xterm'],
  ['container', 'podman'],
]

/** Forwarded from the host unless disabled (podman's --http-proxy, default true). */
export const PROXY_ENV = ['http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY']

const WHITESPACE = /^[ \t]+/

function checkNul(name: string, value: string, entry: string): void {
  if (name.includes('\0') || value.includes('\0')) {
    throw new InvalidArgumentError(`invalid environment variable: ${JSON.stringify(entry)}: contains a NUL byte`)
  }
}

/** One `-e` value or env-file line into `out` (podman's parseEnv). */
function parseEntry(entry: string, hostEnv: HostEnv, out: Map<string, string>): void {
  const eq = entry.indexOf('=')
  const rawName = eq < 0 ? entry : entry.slice(0, eq)
  if (rawName === '') throw new InvalidArgumentError(`invalid environment variable: ${JSON.stringify(entry)}`)
  const name = rawName.replace(WHITESPACE, '')
  if (name === '') throw new InvalidArgumentError(`invalid environment variable: ${JSON.stringify(entry)}`)
  if (eq >= 0) {
    const value = entry.slice(eq + 1)
    checkNul(name, value, entry)
    out.set(name, value)
    return
  }
  if (name.endsWith('*')) {
    const prefix = name.slice(0, -1)
    for (const [k, v] of Object.entries(hostEnv)) {
      if (v !== undefined && k.startsWith(prefix)) out.set(k, v)
    }
    return
  }
  const value = hostEnv[name]
  if (value !== undefined) {
    checkNul(name, value, entry)
    out.set(name, value)
  }
}

/** `-e` flag values, in order. */
export function parseEnvArgs(args: readonly string[], hostEnv: HostEnv): EnvPairs {
  const out = new Map<string, string>()
  for (const a of args) parseEntry(a, hostEnv, out)
  return [...out]
}

/**
 * An `--env-file`: one `K=V` or bare `K` per line; leading blanks ignored;
 * empty lines and lines starting with `#` skipped; the value is taken
 * literally (no quote removal), as podman and docker do. CRLF tolerated.
 * `source` (the file name) goes into error messages.
 */
export function parseEnvFile(text: string, hostEnv: HostEnv, source = '-'): EnvPairs {
  const out = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(WHITESPACE, '')
    if (line === '' || line.startsWith('#')) continue
    try {
      parseEntry(line, hostEnv, out)
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err)
      throw new InvalidArgumentError(`parsing env file ${JSON.stringify(source)}: ${msg}`, { cause: err })
    }
  }
  return [...out]
}

/** An image's Env list (`K=V` strings). */
export function parseImageEnv(list: readonly string[] | undefined | null): EnvPairs {
  const out: EnvPairs = []
  for (const entry of list ?? []) {
    const eq = entry.indexOf('=')
    if (eq === 0) throw new InvalidArgumentError(`env fields from image failed to parse: invalid environment variable: ${JSON.stringify(entry)}`)
    // A bare name in an image has no value to give; podman would pull it from
    // the host environment, which would make the image depend on the caller.
    if (eq < 0) continue
    out.push([entry.slice(0, eq), entry.slice(eq + 1)])
  }
  return out
}

/** Later layers override earlier ones; first appearance fixes the position. */
export function mergeEnv(...layers: EnvPairs[]): EnvPairs {
  const out = new Map<string, string>()
  for (const layer of layers) for (const [k, v] of layer) out.set(k, v)
  return [...out]
}

/** As process.env wants it: `K=V` (also for empty values, unlike podman's bare `K`). */
export function envToList(pairs: EnvPairs): string[] {
  return pairs.map(([k, v]) => `${k}=${v}`)
}

export function hasEnv(pairs: EnvPairs, name: string): boolean {
  return pairs.some(([k]) => k === name)
}

export interface ContainerEnvInput {
  imageEnv?: readonly string[] | null
  /** Already parsed --env-file contents, in flag order. */
  envFile?: EnvPairs
  /** Already parsed -e values. */
  env?: EnvPairs
  hostEnv?: HostEnv
  /** --env-host: the whole host environment under the file/flag layers. */
  envHost?: boolean
  /** --http-proxy (default true): copy the host's proxy variables. */
  httpProxy?: boolean
  home?: string
  hostname?: string
}

export function containerEnv(input: ContainerEnvInput): string[] {
  const hostEnv = input.hostEnv ?? {}
  let fromHost: EnvPairs = []
  if (input.envHost) {
    fromHost = Object.entries(hostEnv).filter((e): e is [string, string] => e[1] !== undefined)
  } else if (input.httpProxy ?? true) {
    fromHost = PROXY_ENV.filter(k => hostEnv[k] !== undefined).map(k => [k, hostEnv[k] as string])
  }
  let env = mergeEnv(DEFAULT_ENV, parseImageEnv(input.imageEnv), fromHost, input.envFile ?? [], input.env ?? [])
  if (input.home && !hasEnv(env, 'HOME')) env = [...env, ['HOME', input.home]]
  if (input.hostname !== undefined && !hasEnv(env, 'HOSTNAME')) env = [...env, ['HOSTNAME', input.hostname]]
  return envToList(env)
}
