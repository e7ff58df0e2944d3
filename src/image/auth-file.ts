/**
 * Registry credentials from containers-auth.json(5) files, read the way podman
 * (containers/image pkg/docker/config) reads them:
 *
 * - `$REGISTRY_AUTH_FILE` (podman's --authfile default) when set: that file only;
 * - else `$XDG_RUNTIME_DIR/containers/auth.json` (or /run/containers/UID/auth.json),
 *   `$XDG_CONFIG_HOME/containers/auth.json` (~/.config/…), `$DOCKER_CONFIG/config.json`
 *   or `~/.docker/config.json`, and the legacy `~/.dockercfg`, first match wins.
 *
 * Keys may be `host[:port]`, a namespace `host/ns[/repo]` (most specific first),
 * or a URL such as `https://index.docker.io/v1/`. Entries carry `auth`,
 * base64 of `user:password`. Credential helpers (`credHelpers`, `credsStore`)
 * and OAuth identity tokens are not supported: such entries are skipped with
 * a warning. Secrets never reach logs or error messages.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { InvalidArgumentError } from '../engine/errors.js'
import { log } from '../util/log.js'

export interface Credentials {
  readonly username: string
  readonly password: string
}

/** Credentials for a repository (`registry` is host[:port], `repository` the path inside it). */
export type CredentialSource = (registry: string, repository: string) => Credentials | undefined

export interface AuthFileOptions {
  env?: NodeJS.ProcessEnv
  home?: string
  uid?: number
}

export interface AuthFilePath {
  readonly path: string
  /** ~/.dockercfg: a bare map of registry → entry, keyed by host only. */
  readonly legacy: boolean
}

interface AuthEntry {
  auth?: unknown
  identitytoken?: unknown
}

interface AuthFile {
  auths: Record<string, AuthEntry>
  credHelpers: Record<string, unknown>
  credsStore: unknown
}

/** The files consulted, in order. */
export function authFilePaths(opts: AuthFileOptions = {}): AuthFilePath[] {
  const env = opts.env ?? process.env
  const home = opts.home ?? env.HOME ?? homedir()
  if (env.REGISTRY_AUTH_FILE) return [{ path: env.REGISTRY_AUTH_FILE, legacy: false }]
  const paths: AuthFilePath[] = []
  const runtimeDir = env.XDG_RUNTIME_DIR
  if (runtimeDir) {
    if (existsSync(runtimeDir)) paths.push({ path: join(runtimeDir, 'containers/auth.json'), legacy: false })
    else log.warnOnce(`"${runtimeDir}" directory set by $XDG_RUNTIME_DIR does not exist. Either create the directory or unset $XDG_RUNTIME_DIR.: Trying to pull image in the event that it is a public image.`)
  } else {
    paths.push({ path: `/run/containers/${opts.uid ?? process.getuid?.() ?? 0}/auth.json`, legacy: false })
  }
  paths.push({ path: join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers/auth.json'), legacy: false })
  paths.push({ path: join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json'), legacy: false })
  paths.push({ path: join(home, '.dockercfg'), legacy: true })
  return paths
}

function readAuthFile(p: AuthFilePath): AuthFile | undefined {
  let text: string
  try {
    text = readFileSync(p.path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new InvalidArgumentError(`reading JSON file "${p.path}": ${(err as NodeJS.ErrnoException).code ?? 'read error'}`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    // Not V8's message: it quotes the file's text, which holds secrets.
    throw new InvalidArgumentError(`reading JSON file "${p.path}": invalid JSON`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InvalidArgumentError(`reading JSON file "${p.path}": not a JSON object`)
  }
  const obj = doc as Record<string, unknown>
  const table = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, AuthEntry>) : {})
  if (p.legacy) return { auths: table(obj), credHelpers: {}, credsStore: undefined }
  return { auths: table(obj.auths), credHelpers: table(obj.credHelpers), credsStore: obj.credsStore }
}

/** docker.io goes by several names; containers/image compares them as index.docker.io. */
function normalizeRegistry(registry: string): string {
  return registry === 'registry-1.docker.io' || registry === 'docker.io' ? 'index.docker.io' : registry
}

function normalizeKey(key: string, legacy: boolean): string {
  const stripped = key.replace(/^https?:\/\//, '')
  return normalizeRegistry(legacy || stripped !== key ? stripped.split('/')[0]! : stripped)
}

/** Keys to try, most specific first: host/ns/repo, host/ns, host. */
function lookupOrder(key: string, registry: string, legacy: boolean): string[] {
  if (legacy) return [registry]
  const out = [key]
  for (let i = key.lastIndexOf('/'); i >= 0; i = key.lastIndexOf('/', i - 1)) out.push(key.slice(0, i))
  return out
}

/** undefined: not usable (no auth, helper marker, malformed); the caller moves on. */
function decodeEntry(path: string, key: string, entry: AuthEntry): Credentials | undefined {
  const auth = typeof entry?.auth === 'string' ? entry.auth : ''
  if (auth === '') {
    if (typeof entry?.identitytoken === 'string' && entry.identitytoken !== '') {
      log.warnOnce(`credential entry "${key}" in "${path}" uses an identity token, which tspod does not support; ignoring it`)
    }
    return undefined
  }
  const decoded = Buffer.from(auth, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) {
    log.warn(`Error parsing the "auth" field of a credential entry "${key}" in "${path}", missing semicolon`)
    return undefined
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '') }
}

function findInFile(file: AuthFile, p: AuthFilePath, key: string, registry: string): Credentials | undefined {
  const helperNotice = () =>
    log.warnOnce(`"${p.path}" names a credential helper for ${registry}; tspod does not run credential helpers, ignoring it`)
  if (registry in file.credHelpers) {
    helperNotice()
    return undefined
  }
  const decode = (k: string, entry: AuthEntry) => {
    const creds = decodeEntry(p.path, k, entry)
    // An entry without "auth" next to "credsStore" marks credentials kept by the helper.
    if (!creds && file.credsStore !== undefined && file.credsStore !== '') helperNotice()
    return creds
  }
  for (const k of lookupOrder(key, registry, p.legacy)) {
    const entry = file.auths[k]
    if (entry !== undefined) return decode(k, entry)
  }
  // Keys written as URLs (old `docker login`), and docker.io's special names.
  const want = normalizeRegistry(registry)
  for (const [k, entry] of Object.entries(file.auths)) {
    if (normalizeKey(k, p.legacy) === want) return decode(k, entry)
  }
  return undefined
}

/** A credential source over the auth files (each read once, on first use). */
export function authFromFiles(opts: AuthFileOptions = {}): CredentialSource {
  let files: [AuthFilePath, AuthFile][] | undefined
  return (registry, repository) => {
    files ??= authFilePaths(opts).flatMap(p => {
      const f = readAuthFile(p)
      return f ? [[p, f] as [AuthFilePath, AuthFile]] : []
    })
    const key = repository ? `${registry}/${repository}` : registry
    for (const [p, f] of files) {
      const creds = findInFile(f, p, key, registry)
      if (creds) {
        log.debug(`Found credentials for ${registry} in credential file ${p.path}`)
        return creds
      }
    }
    return undefined
  }
}

/** The same credentials for every registry (podman's --creds). */
export function fixedCredentials(creds: Credentials): CredentialSource {
  return () => creds
}

/** Parse podman's `--creds USERNAME[:PASSWORD]` (a missing password is an error here: tspod does not prompt). */
export function parseCredentialsFlag(value: string): Credentials {
  const colon = value.indexOf(':')
  if (value === '' || colon === 0) throw new InvalidArgumentError('credentials must be in the form USERNAME[:PASSWORD], with a non-empty username')
  if (colon < 0) throw new InvalidArgumentError('credentials must include a password (USERNAME:PASSWORD): tspod does not prompt')
  return { username: value.slice(0, colon), password: value.slice(colon + 1) }
}
