/**
 * containers-registries.conf(5), version 2, read the way podman (containers/image
 * sysregistriesv2) reads it:
 *
 * - `$CONTAINERS_REGISTRIES_CONF` names the main file (it must exist); else
 *   `~/.config/containers/registries.conf` if it exists; else
 *   `/etc/containers/registries.conf` (a missing file means an empty config).
 * - Drop-ins (`*.conf` in name order, v2 only) follow: from
 *   `~/.config/containers/registries.conf.d` only when the user file was chosen,
 *   else from `/etc/containers/registries.conf.d` and then the user directory.
 *   Measured with podman 4.3.1: setting `$CONTAINERS_REGISTRIES_CONF` does NOT
 *   switch the drop-ins off (Debian's shortnames.conf aliases still apply).
 * - The machine-written `~/.cache/containers/short-name-aliases.conf` aliases win
 *   over all of these. tspod reads it but never writes it (it never prompts).
 *
 * Mirrors are parsed and validated but not used for pulls yet.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parse as parseToml, TomlError } from 'smol-toml'
import { InvalidArgumentError, TspodError } from '../engine/errors.js'
import {
  type ImageReference,
  isValidDomain,
  parseDockerReference,
  parseNormalizedReference,
  parseRawReference,
  parseShortName,
} from './reference.js'

export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled'
export type PullFromMirror = 'all' | 'digest-only' | 'tag-only'

export interface RegistryEndpoint {
  /** host[:port][/namespace…], no scheme. Empty only for a `*.domain` prefix (no rewrite). */
  readonly location: string
  readonly insecure: boolean
}

export interface MirrorEndpoint extends RegistryEndpoint {
  readonly pullFromMirror: PullFromMirror
}

/** One `[[registry]]` table. */
export interface RegistryEntry extends RegistryEndpoint {
  readonly prefix: string
  readonly blocked: boolean
  readonly mirrors: readonly MirrorEndpoint[]
  readonly mirrorByDigestOnly: boolean
}

/** One parsed file; `undefined` fields were absent (drop-ins only override what they set). */
export interface RegistriesConfFile {
  readonly path: string
  readonly unqualifiedSearchRegistries: readonly string[] | undefined
  readonly registries: readonly RegistryEntry[]
  readonly shortNameMode: ShortNameMode | undefined
  /** name → value; `undefined` value erases an alias set by an earlier file. */
  readonly aliases: ReadonlyMap<string, ImageReference | undefined>
}

export interface Alias {
  readonly value: ImageReference
  /** The file that defined it, for messages. */
  readonly origin: string
}

/** Where a logical reference is really pulled from. */
export interface PullSource {
  /** The physical reference after `prefix` → `location` rewriting. */
  readonly reference: ImageReference
  /** registries.conf `insecure = true` for this location. */
  readonly insecure: boolean
}

export interface Resolution {
  /** Fully-qualified references to try in order (each with a tag or digest). */
  readonly candidates: readonly ImageReference[]
  readonly rationale: 'fully-qualified' | 'alias' | 'search-registries'
  /** podman's line for stderr ("Resolved "x" as an alias (FILE)"), or undefined. */
  readonly description: string | undefined
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv
  home?: string
  /** Overrides of the built-in system paths (tests). */
  systemConf?: string
  systemConfDir?: string
  /** Path of the machine-written alias file; default under $XDG_CACHE_HOME or ~/.cache. */
  userAliasesFile?: string
  uid?: number
}

const SYSTEM_CONF = '/etc/containers/registries.conf'
const SYSTEM_CONF_DIR = '/etc/containers/registries.conf.d'

const confError = (path: string, message: string) =>
  new InvalidArgumentError(`loading registries configuration "${path}": ${message}`)

// ---------------------------------------------------------------- parsing

function asString(v: unknown, key: string, path: string): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw confError(path, `${key} must be a string`)
  return v
}

function asBool(v: unknown, key: string, path: string): boolean {
  if (v === undefined) return false
  if (typeof v !== 'boolean') throw confError(path, `${key} must be true or false`)
  return v
}

function asStringArray(v: unknown, key: string, path: string): string[] | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) throw confError(path, `${key} must be an array of strings`)
  return v as string[]
}

function asTableArray(v: unknown, key: string, path: string): Record<string, unknown>[] {
  if (v === undefined) return []
  if (!Array.isArray(v) || v.some(x => typeof x !== 'object' || x === null || Array.isArray(x))) {
    throw confError(path, `${key} must be an array of tables ([[${key}]])`)
  }
  return v as Record<string, unknown>[]
}

/** containers/image `parseLocation`: no scheme, no trailing slash. */
function parseLocation(input: string, path: string): string {
  const trimmed = input.replace(/\/+$/, '')
  if (/^https?:\/\//.test(trimmed)) throw confError(path, `invalid location '${input}': URI schemes are not supported`)
  return trimmed
}

function parseMode(v: unknown, path: string): ShortNameMode | undefined {
  const s = asString(v, 'short-name-mode', path)
  if (s === undefined || s === '') return undefined
  if (s === 'enforcing' || s === 'permissive' || s === 'disabled') return s
  throw confError(path, `invalid short-name mode: "${s}"`)
}

function parseRegistry(table: Record<string, unknown>, path: string): RegistryEntry {
  const location = parseLocation(asString(table.location, 'location', path) ?? '', path)
  let prefix = asString(table.prefix, 'prefix', path) ?? ''
  if (prefix === '') {
    if (location === '') throw confError(path, 'invalid condition: both location and prefix are unset')
    prefix = location
  } else {
    prefix = parseLocation(prefix, path)
    if (prefix.startsWith('*.')) {
      if (/[/@:]/.test(prefix)) {
        throw confError(path, `Wildcarded prefix should be in the format: *.example.com. Current prefix "${prefix}" is incorrectly formatted`)
      }
    } else if (location === '') {
      throw confError(path, 'invalid condition: location is unset and prefix is not in the format: *.example.com')
    }
  }
  if (table['pull-from-mirror'] !== undefined) {
    throw confError(path, `pull-from-mirror must not be set for a non-mirror registry "${prefix}"`)
  }
  const mirrorByDigestOnly = asBool(table['mirror-by-digest-only'], 'mirror-by-digest-only', path)
  const mirrors = asTableArray(table.mirror, 'registry.mirror', path).map((m): MirrorEndpoint => {
    const mirrorLocation = parseLocation(asString(m.location, 'mirror location', path) ?? '', path)
    if (mirrorLocation === '') throw confError(path, 'invalid condition: mirror location is unset')
    const pull = asString(m['pull-from-mirror'], 'pull-from-mirror', path) ?? ''
    if (pull !== '' && mirrorByDigestOnly) {
      throw confError(path, `cannot set mirror usage mirror-by-digest-only for the registry ("${prefix}") and pull-from-mirror for per-mirror ("${mirrorLocation}") at the same time`)
    }
    if (pull !== '' && pull !== 'all' && pull !== 'digest-only' && pull !== 'tag-only') {
      throw confError(path, `unsupported pull-from-mirror value "${pull}" for mirror "${mirrorLocation}"`)
    }
    return { location: mirrorLocation, insecure: asBool(m.insecure, 'insecure', path), pullFromMirror: (pull || 'all') as PullFromMirror }
  })
  return {
    prefix,
    location,
    insecure: asBool(table.insecure, 'insecure', path),
    blocked: asBool(table.blocked, 'blocked', path),
    mirrors,
    mirrorByDigestOnly,
  }
}

/** An alias value: fully qualified (registry and repository), no tag, no digest. */
function parseAliasValue(value: string): ImageReference {
  const raw = parseRawReference(value)
  if (raw.digest !== undefined) throw new InvalidArgumentError(`invalid alias "${value}": must not contain digest`)
  if (raw.tag !== undefined) throw new InvalidArgumentError(`invalid alias "${value}": must not contain tag`)
  if (parseShortName(value) !== undefined) throw new InvalidArgumentError(`invalid alias "${value}": must contain registry and repository`)
  return parseNormalizedReference(value)
}

function validateAliasName(name: string): void {
  const raw = parseRawReference(name)
  if (raw.digest !== undefined) throw new InvalidArgumentError(`invalid short name "${name}": must not contain digest`)
  if (raw.tag !== undefined) throw new InvalidArgumentError(`invalid short name "${name}": must not contain tag`)
  if (parseShortName(name) === undefined) throw new InvalidArgumentError(`invalid short name "${name}": must not contain registry`)
}

function parseAliases(v: unknown, path: string): Map<string, ImageReference | undefined> {
  const out = new Map<string, ImageReference | undefined>()
  if (v === undefined) return out
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw confError(path, 'aliases must be a table')
  const problems: string[] = []
  for (const [name, value] of Object.entries(v)) {
    try {
      if (typeof value !== 'string') throw new InvalidArgumentError(`alias "${name}" must be a string`)
      validateAliasName(name)
      out.set(name, value === '' ? undefined : parseAliasValue(value))
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  // All malformed entries at once, so the user does not fix them one run at a time.
  if (problems.length > 0) throw confError(path, `validating short-name aliases: ${problems.join('; ')}`)
  return out
}

/** Convert the old v1 `[registries.search|insecure|block]` tables (still read by podman). */
function convertV1(doc: Record<string, unknown>, path: string): Record<string, unknown> {
  const v1 = doc.registries as Record<string, unknown>
  const list = (name: string) => asStringArray((v1[name] as Record<string, unknown> | undefined)?.registries, `registries.${name}`, path) ?? []
  const byLocation = new Map<string, { location: string; insecure?: boolean; blocked?: boolean }>()
  const entry = (location: string) => {
    let e = byLocation.get(location)
    if (!e) byLocation.set(location, (e = { location }))
    return e
  }
  for (const r of list('block')) entry(r).blocked = true
  for (const r of list('insecure')) entry(r).insecure = true
  return { 'unqualified-search-registries': list('search'), registry: [...byLocation.values()] }
}

/** Parse one registries.conf text. `dropIn` files must be v2. */
export function parseRegistriesConf(text: string, path: string, opts: { dropIn?: boolean } = {}): RegistriesConfFile {
  let doc: Record<string, unknown>
  try {
    doc = parseToml(text) as Record<string, unknown>
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : ''
    throw confError(path, `${String((err as Error).message).split('\n')[0]}${where}`)
  }
  const isV1 = typeof doc.registries === 'object' && doc.registries !== null && !Array.isArray(doc.registries)
  if (isV1) {
    if (opts.dropIn) throw confError(path, 'registry must be in v2 format but is in v1')
    if (doc['unqualified-search-registries'] !== undefined || doc.registry !== undefined) {
      throw confError(path, 'mixing sysregistry v1/v2 is not supported')
    }
    doc = { ...doc, ...convertV1(doc, path) }
  }

  const search = asStringArray(doc['unqualified-search-registries'], 'unqualified-search-registries', path)?.map(r => {
    const reg = parseLocation(r, path)
    if (!isValidDomain(reg)) throw confError(path, `Invalid unqualified-search-registries entry "${reg}"`)
    return reg
  })

  const parsed = asTableArray(doc.registry, 'registry', path).map(t => parseRegistry(t, path))
  // A location may appear under several prefixes, but not with contradicting flags.
  const seen = new Map<string, RegistryEntry>()
  for (const r of parsed) {
    const key = r.location || r.prefix
    const other = seen.get(key)
    if (other && other.insecure !== r.insecure) throw confError(path, `registry '${key}' is defined multiple times with conflicting 'insecure' setting`)
    if (other && other.blocked !== r.blocked) throw confError(path, `registry '${key}' is defined multiple times with conflicting 'blocked' setting`)
    seen.set(key, r)
  }
  // The first table for a prefix wins; later ones are ignored (as in containers/image).
  const byPrefix = new Map<string, RegistryEntry>()
  for (const r of parsed) if (!byPrefix.has(r.prefix)) byPrefix.set(r.prefix, r)

  return {
    path,
    unqualifiedSearchRegistries: search,
    registries: [...byPrefix.values()],
    shortNameMode: parseMode(doc['short-name-mode'], path),
    aliases: parseAliases(doc.aliases, path),
  }
}

// ---------------------------------------------------------------- matching

/** Length of `prefix` when it matches the start of `ref` at a component boundary, else -1. */
export function matchPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const suffix = prefix.slice(1) // ".example.com"
    const at = ref.indexOf(suffix)
    if (at < 0 || ref.slice(0, at).includes('/')) return -1
    const end = at + suffix.length
    return end === ref.length || ':/@'.includes(ref[end]!) ? end : -1
  }
  if (ref === prefix) return prefix.length
  if (ref.length > prefix.length && ref.startsWith(prefix) && ':/@'.includes(ref[prefix.length]!)) return prefix.length
  return -1
}

// ---------------------------------------------------------------- the merged configuration

export class RegistriesConf {
  private constructor(
    readonly unqualifiedSearchRegistries: readonly string[],
    /** The file that set the search list (for messages), undefined when no file was found. */
    readonly searchRegistriesOrigin: string | undefined,
    readonly registries: readonly RegistryEntry[],
    readonly shortNameMode: ShortNameMode,
    private readonly aliases: ReadonlyMap<string, Alias | null>,
    /** The files and directories consulted, for messages. */
    readonly sources: readonly string[],
  ) {}

  /** Merge files in order (main file first, then drop-ins), then the user alias file on top. */
  static fromFiles(
    files: readonly RegistriesConfFile[],
    opts: { userAliases?: RegistriesConfFile; sources?: string[]; mainFile?: string | null } = {},
  ): RegistriesConf {
    let search: readonly string[] = []
    // Messages name the main file unless a drop-in set the search list; null: no main file was found.
    let origin = opts.mainFile === undefined ? files[0]?.path : opts.mainFile ?? undefined
    let mode: ShortNameMode = 'permissive'
    const registries = new Map<string, RegistryEntry>()
    const aliases = new Map<string, Alias | null>()
    const mergeAliases = (f: RegistriesConfFile) => {
      for (const [name, value] of f.aliases) aliases.set(name, value ? { value, origin: f.path } : null)
    }
    for (const f of files) {
      if (f.unqualifiedSearchRegistries !== undefined) {
        search = f.unqualifiedSearchRegistries
        origin = f.path
      }
      if (f.shortNameMode) mode = f.shortNameMode
      for (const r of f.registries) registries.set(r.prefix, r)
      mergeAliases(f)
    }
    if (opts.userAliases) mergeAliases(opts.userAliases)
    const sorted = [...registries.keys()].sort().map(k => registries.get(k)!)
    return new RegistriesConf(search, origin, sorted, mode, aliases, opts.sources ?? files.map(f => f.path))
  }

  /** The `[[registry]]` table with the longest matching prefix. */
  findRegistry(ref: ImageReference | string): RegistryEntry | undefined {
    const s = typeof ref === 'string' ? ref : ref.toString()
    let best: RegistryEntry | undefined
    for (const r of this.registries) {
      if (matchPrefix(s, r.prefix) >= 0 && r.prefix.length > (best?.prefix.length ?? 0)) best = r
    }
    return best
  }

  /** The alias for a short name (as typed, without tag/digest), if any. */
  alias(shortName: string): Alias | undefined {
    return this.aliases.get(shortName) ?? undefined
  }

  /**
   * Where to pull a fully-qualified reference from: the `location` rewrite and
   * the `insecure` flag; a `blocked` registry is refused here.
   */
  pullSource(ref: ImageReference): PullSource {
    const entry = this.findRegistry(ref)
    if (!entry) return { reference: ref, insecure: false }
    if (entry.blocked) {
      throw new TspodError('permission-denied', `registry ${entry.prefix} is blocked in ${this.sources.join(' or ')}`)
    }
    let physical = ref
    if (entry.location !== '') {
      const s = ref.toString()
      const rewritten = entry.location + s.slice(matchPrefix(s, entry.prefix))
      try {
        physical = parseNormalizedReference(rewritten)
      } catch (err) {
        throw new InvalidArgumentError(`rewriting reference ${s} with registries.conf prefix "${entry.prefix}": ${(err as Error).message}`)
      }
    }
    // The physical registry host may carry its own flags (containers/image looks them up again by host).
    const hostEntry = physical.domain === ref.domain ? undefined : this.findRegistry(physical.domain)
    if (hostEntry?.blocked) {
      throw new TspodError('permission-denied', `registry ${hostEntry.prefix} is blocked in ${this.sources.join(' or ')}`)
    }
    return { reference: physical, insecure: entry.insecure || (hostEntry?.insecure ?? false) }
  }

  /**
   * podman's short-name resolution. A fully-qualified name is returned as is
   * (with `:latest` added when it has neither tag nor digest). A short name
   * goes to its alias if there is one, else to every unqualified-search
   * registry in order; with none configured this is an error, as in podman
   * (tspod does not silently fall back to docker.io). tspod never prompts: in
   * `enforcing` mode an ambiguous name fails as podman does without a TTY.
   */
  resolve(input: string): Resolution {
    const short = parseShortName(input)
    if (!short) return { candidates: [parseDockerReference(input)], rationale: 'fully-qualified', description: undefined }

    const complete = (r: ImageReference) => {
      let out = r
      if (short.tag !== undefined) out = out.withTag(short.tag)
      if (short.digest !== undefined) out = out.withDigest(short.digest)
      return out.withDefaultTag()
    }
    const alias = this.alias(short.name)
    if (alias) {
      return {
        candidates: [complete(alias.value)],
        rationale: 'alias',
        description: `Resolved "${short.name}" as an alias (${alias.origin})`,
      }
    }
    if (this.unqualifiedSearchRegistries.length === 0) {
      throw new InvalidArgumentError(
        this.searchRegistriesOrigin
          ? `short-name "${input}" did not resolve to an alias and no unqualified-search registries are defined in "${this.searchRegistriesOrigin}"`
          : `short-name "${input}" did not resolve to an alias and no containers-registries.conf(5) was found`,
      )
    }
    const candidates = this.unqualifiedSearchRegistries.map(reg => parseDockerReference(`${reg}/${input}`))
    if (candidates.length > 1 && this.shortNameMode === 'enforcing') {
      throw new InvalidArgumentError('short-name resolution enforced but cannot prompt without a TTY')
    }
    return {
      candidates,
      rationale: 'search-registries',
      description: `Resolving "${short.name}" using unqualified-search registries (${this.searchRegistriesOrigin})`,
    }
  }
}

// ---------------------------------------------------------------- loading

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw confError(path, (err as Error).message)
  }
}

function dropInFiles(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter(d => !d.isDirectory() && d.name.endsWith('.conf')).map(d => d.name)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return []
    throw new InvalidArgumentError(`reading registries.conf.d: ${(err as Error).message}`)
  }
  return names.sort().map(n => join(dir, n))
}

/** Read the configuration podman would read for this user (see the file comment). */
export function loadRegistriesConf(opts: LoadOptions = {}): RegistriesConf {
  const env = opts.env ?? process.env
  const home = opts.home ?? env.HOME ?? homedir()
  const userConf = join(home, '.config/containers/registries.conf')
  const userDir = join(home, '.config/containers/registries.conf.d')
  const systemConf = opts.systemConf ?? SYSTEM_CONF
  const systemDir = opts.systemConfDir ?? SYSTEM_CONF_DIR

  let mainPath: string
  let mainText: string | undefined
  let dirs: string[]
  const envConf = env.CONTAINERS_REGISTRIES_CONF
  if (envConf) {
    mainPath = envConf
    mainText = readIfExists(envConf)
    if (mainText === undefined) throw confError(envConf, 'no such file or directory')
    dirs = [systemDir, userDir]
  } else if ((mainText = readIfExists(userConf)) !== undefined) {
    mainPath = userConf
    dirs = [userDir]
  } else {
    mainPath = systemConf
    mainText = readIfExists(systemConf)
    dirs = [systemDir, userDir]
  }

  const files: RegistriesConfFile[] = []
  if (mainText !== undefined) files.push(parseRegistriesConf(mainText, mainPath))
  for (const dir of dirs) {
    for (const path of dropInFiles(dir)) {
      const text = readIfExists(path) // removed since the listing: ignore, as podman does
      if (text !== undefined) files.push(parseRegistriesConf(text, path, { dropIn: true }))
    }
  }

  const uid = opts.uid ?? process.getuid?.() ?? 0
  const aliasesPath =
    opts.userAliasesFile ??
    (uid === 0 ? '/var/cache/containers/short-name-aliases.conf' : join(env.XDG_CACHE_HOME || join(home, '.cache'), 'containers/short-name-aliases.conf'))
  const aliasText = readIfExists(aliasesPath)
  const userAliases = aliasText === undefined ? undefined : parseRegistriesConf(aliasText, aliasesPath, { dropIn: true })
  return RegistriesConf.fromFiles(files, {
    userAliases,
    sources: [mainPath, ...dirs],
    mainFile: mainText === undefined ? null : mainPath,
  })
}

let cached: RegistriesConf | undefined
/** `loadRegistriesConf()` for this process, read once. */
export function registriesConf(): RegistriesConf {
  return (cached ??= loadRegistriesConf())
}
