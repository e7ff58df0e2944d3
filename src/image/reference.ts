/**
 * Image references in Docker's grammar (distribution/reference):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component { "/" path-component }
 *   domain    := host [ ":" port ]   (host: DNS name, or an IPv6 address in brackets)
 *
 * Two layers, as in Docker and containers/image: `parseRawReference` checks the
 * grammar only (its "domain" may just be a first path component), while
 * `parseNormalizedReference` applies Docker's normalisation (`busybox` →
 * `docker.io/library/busybox`). Whether a name is a *short name* that must go
 * through registries.conf (podman's rules) is `parseShortName`'s question.
 */
import { InvalidArgumentError } from '../engine/errors.js'
import type { Digest } from './digest.js'

export const DEFAULT_DOMAIN = 'docker.io'
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
const OFFICIAL_REPO_PREFIX = 'library'
export const DEFAULT_TAG = 'latest'
const NAME_TOTAL_LENGTH_MAX = 255

// The sub-patterns are written without ambiguous repetition (Go's RE2 never
// backtracks, JavaScript's engine does): a separator is never empty here.
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?'
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`
const DOMAIN = `${HOST}(?::[0-9]+)?`
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'

const REFERENCE_RE = new RegExp(`^((?:${DOMAIN}/)?${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`)
const NAME_RE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})$`)
const TAG_RE = new RegExp(`^${TAG}$`)
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`)
const PATH_RE = new RegExp(`^${PATH}$`)
const HEX64_RE = /^[a-f0-9]{64}$/
/** Inputs longer than this cannot be valid (255 name + 128 tag + digest) and are refused before any regex runs. */
const INPUT_LENGTH_MAX = 1024

// Only what the content store can verify (see digest.ts).
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 }

/** The grammar's view of a reference, before Docker's normalisation. */
export interface RawReference {
  /** The first component when the grammar allows it to be a domain; not necessarily a registry. */
  readonly domain: string | undefined
  readonly path: string
  readonly tag: string | undefined
  readonly digest: Digest | undefined
}

/** A fully-qualified reference: registry domain, repository path, optional tag and/or digest. */
export class ImageReference {
  private constructor(
    /** Registry host[:port], e.g. `docker.io`, `quay.io`, `127.0.0.1:5000`. */
    readonly domain: string,
    /** Repository path inside the registry, e.g. `library/busybox`. */
    readonly path: string,
    readonly tag: string | undefined,
    readonly digest: Digest | undefined,
  ) {}

  /** Build from parts (validated). */
  static of(domain: string, path: string, tag?: string, digest?: Digest): ImageReference {
    if (!DOMAIN_RE.test(domain)) throw new InvalidArgumentError(`invalid registry domain "${domain}"`)
    if (!PATH_RE.test(path)) throw new InvalidArgumentError('invalid reference format')
    if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) throw nameTooLong()
    if (tag !== undefined && !TAG_RE.test(tag)) throw new InvalidArgumentError('invalid tag format')
    if (digest !== undefined) validateDigest(digest)
    return new ImageReference(domain, path, tag, digest)
  }

  /** `domain/path`, the repository's full name. */
  get name(): string {
    return `${this.domain}/${this.path}`
  }

  /** The full string form: `docker.io/library/busybox:latest`, `host:5000/app@sha256:…`. */
  toString(): string {
    return this.name + (this.tag !== undefined ? `:${this.tag}` : '') + (this.digest !== undefined ? `@${this.digest}` : '')
  }

  /** Docker's short form: `busybox:latest`, `user/app`, `quay.io/x/y:1`. */
  familiar(): string {
    return familiarName(this) + (this.tag !== undefined ? `:${this.tag}` : '') + (this.digest !== undefined ? `@${this.digest}` : '')
  }

  /** What a registry's manifest endpoint is asked for: the digest when there is one, else the tag. */
  get manifestReference(): string {
    return this.digest ?? this.tag ?? DEFAULT_TAG
  }

  withTag(tag: string): ImageReference {
    return ImageReference.of(this.domain, this.path, tag, this.digest)
  }

  withDigest(digest: Digest): ImageReference {
    return ImageReference.of(this.domain, this.path, this.tag, digest)
  }

  /** The repository alone, no tag or digest. */
  nameOnly(): ImageReference {
    return new ImageReference(this.domain, this.path, undefined, undefined)
  }

  /** Docker's `TagNameOnly`: add `:latest` when neither tag nor digest is given. */
  withDefaultTag(): ImageReference {
    return this.tag === undefined && this.digest === undefined ? new ImageReference(this.domain, this.path, DEFAULT_TAG, undefined) : this
  }

  equals(other: ImageReference): boolean {
    return this.toString() === other.toString()
  }
}

function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return ref.name
  const parts = ref.path.split('/')
  return parts.length === 2 && parts[0] === OFFICIAL_REPO_PREFIX ? parts[1]! : ref.path
}

const nameTooLong = () => new InvalidArgumentError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`)

function validateDigest(value: string): asserts value is Digest {
  const colon = value.indexOf(':')
  const algorithm = value.slice(0, colon)
  const hex = value.slice(colon + 1)
  const expected = DIGEST_HEX_LENGTH[algorithm]
  if (colon < 0 || expected === undefined) throw new InvalidArgumentError(`unsupported digest algorithm in "${value}"`)
  if (!/^[a-f0-9]+$/.test(hex)) throw new InvalidArgumentError(`invalid checksum digest format in "${value}"`)
  if (hex.length !== expected) throw new InvalidArgumentError(`invalid checksum digest length in "${value}"`)
}

/** The grammar alone (distribution/reference `Parse`): no default domain, no default tag. */
export function parseRawReference(input: string): RawReference {
  if (input === '') throw new InvalidArgumentError('repository name must have at least one component')
  if (input.length > INPUT_LENGTH_MAX) throw new InvalidArgumentError('invalid reference format')
  const m = REFERENCE_RE.exec(input)
  if (!m) {
    if (REFERENCE_RE.test(input.toLowerCase())) throw new InvalidArgumentError('repository name must be lowercase')
    throw new InvalidArgumentError('invalid reference format')
  }
  const [, name, tag, digest] = m as unknown as [string, string, string | undefined, string | undefined]
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw nameTooLong()
  if (digest !== undefined) validateDigest(digest)
  const nm = NAME_RE.exec(name)!
  return { domain: nm[1], path: nm[2]!, tag, digest: digest as Digest | undefined }
}

/** Docker's rule for "is the first component a registry": it has a dot or a port, or it is `localhost`. */
function looksLikeRegistry(component: string): boolean {
  return /[.:]/.test(component) || component === 'localhost'
}

/** Docker's `splitDockerDomain`. */
function splitDockerDomain(input: string): { domain: string; remainder: string } {
  const slash = input.indexOf('/')
  let domain: string
  let remainder: string
  if (slash < 0 || !looksLikeRegistry(input.slice(0, slash))) {
    domain = DEFAULT_DOMAIN
    remainder = input
  } else {
    domain = input.slice(0, slash)
    remainder = input.slice(slash + 1)
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `${OFFICIAL_REPO_PREFIX}/${remainder}`
  return { domain, remainder }
}

/**
 * Docker's normalisation (`ParseNormalizedNamed`): `busybox` → `docker.io/library/busybox`,
 * `user/app` → `docker.io/user/app`, `host:5000/app` stays. No tag is added.
 */
export function parseNormalizedReference(input: string): ImageReference {
  if (HEX64_RE.test(input)) {
    throw new InvalidArgumentError(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`)
  }
  const { domain, remainder } = splitDockerDomain(input)
  const colon = remainder.indexOf(':')
  const remoteName = colon < 0 ? remainder : remainder.slice(0, colon)
  if (remoteName.toLowerCase() !== remoteName) throw new InvalidArgumentError('repository name must be lowercase')
  const raw = parseRawReference(`${domain}/${remainder}`)
  if (raw.domain === undefined) throw new InvalidArgumentError('invalid reference format')
  return ImageReference.of(raw.domain, raw.path, raw.tag, raw.digest)
}

/** `parseNormalizedReference` plus `:latest` when neither tag nor digest is given (what `docker pull X` means). */
export function parseDockerReference(input: string): ImageReference {
  return parseNormalizedReference(input).withDefaultTag()
}

/**
 * A name for a *local* image (`tag`, `untag`), podman's NormalizeName: a name
 * without a registry belongs to `localhost/` (`mybox` → `localhost/mybox:latest`),
 * `:latest` is added when there is neither tag nor digest.
 */
export function parseLocalName(input: string): ImageReference {
  return parseDockerReference(parseShortName(input) === undefined ? input : `localhost/${input}`)
}

/** A name without a registry, to be resolved through registries.conf (aliases, search registries). */
export interface ShortName {
  /** The repository as typed, e.g. `busybox` or `library/busybox` (not normalised). */
  readonly name: string
  readonly tag: string | undefined
  readonly digest: Digest | undefined
}

/**
 * podman's short-name test: the input parses and its first component is not a
 * registry (no dot, no port, not `localhost`). Returns undefined for a
 * fully-qualified name; throws 'invalid-argument' for an invalid one.
 */
export function parseShortName(input: string): ShortName | undefined {
  const raw = parseRawReference(input)
  if (raw.domain !== undefined && looksLikeRegistry(raw.domain)) {
    parseNormalizedReference(input) // still must normalise (uppercase path etc.)
    return undefined
  }
  const name = raw.domain === undefined ? raw.path : `${raw.domain}/${raw.path}`
  if (name.toLowerCase() !== name) throw new InvalidArgumentError('repository name must be lowercase')
  return { name, tag: raw.tag, digest: raw.digest }
}

/** True when `input` is a valid registry host[:port] (for registries.conf entries). */
export function isValidDomain(input: string): boolean {
  return DOMAIN_RE.test(input)
}
