/**
 * `images --filter` as containers/common libimage evaluates it (podman 4.3):
 * `key=value` or `key!=value` (negated); values of one key are alternatives,
 * different keys must all match. `reference` takes path.Match globs against
 * a name's forms (full, without registry, last component; each with and
 * without the tag); `since`/`before` compare with a local image's creation.
 */
import type { ImageRecord } from '../../image/store/images.js'
import { parseNormalizedReference } from '../../image/reference.js'
import { InvalidArgumentError, type TspodError } from '../errors.js'
import { goPathMatch, matchLabelFilters, parseTimestamp } from './filter-values.js'
import { createdSeconds } from './images.js'

export interface ImageFilterSubject {
  image: ImageRecord
  labels: Record<string, string>
  containers: number
}

type ImagePredicate = (s: ImageFilterSubject) => boolean

export interface ImageFilterContext {
  /** Finds a local image by what a user typed (throws podman's "image not known"). */
  lookup: (ref: string) => ImageRecord
}

/** The forms of a stored name that `reference=` globs are matched against. */
export function referenceCandidates(name: string): string[] {
  let ref
  try {
    ref = parseNormalizedReference(name)
  } catch {
    return [name]
  }
  const full = ref.toString()
  const trimmed = ref.name
  const lastSlash = (s: string) => s.slice(s.lastIndexOf('/') + 1)
  const out = [full, ref.path, lastSlash(full)]
  if (full !== trimmed) {
    const tagOrDigest = full.slice(trimmed.length)
    out.push(trimmed, ref.path + tagOrDigest, lastSlash(trimmed))
  }
  return out
}

function parseGoBool(key: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false
  // podman's message has key and value the other way round; kept for scripts that match it.
  throw new InvalidArgumentError(`non-boolean value "${key}" for ${value} filter: strconv.ParseBool: parsing "${value}": invalid syntax`)
}

/** Compile `--filter` flags for `images`. */
export function compileImageFilters(flags: readonly string[], ctx: ImageFilterContext): ImagePredicate {
  const groups = new Map<string, ImagePredicate[]>()
  const once = new Map<string, string>()
  const single = (key: string, value: string) => {
    const prev = once.get(key)
    if (prev !== undefined && prev !== value) {
      throw new InvalidArgumentError(`specifying "${key}" filter more than once with different values is not supported`)
    }
    once.set(key, value)
  }
  const imageTime = (key: string, value: string): number => {
    try {
      return createdSeconds(ctx.lookup(value))
    } catch (err) {
      throw new InvalidArgumentError(`could not find local image for filter filter "${key}"="${value}": ${(err as TspodError).message}`)
    }
  }
  for (const flag of flags) {
    let negate = false
    let at = flag.indexOf('!=')
    if (at >= 0) negate = true
    else at = flag.indexOf('=')
    if (at < 0) throw new InvalidArgumentError(`invalid image filter ${JSON.stringify(flag)}: must be in the format "filter=value or filter!=value"`)
    let key = flag.slice(0, at)
    const value = flag.slice(at + (negate ? 2 : 1))
    let test: ImagePredicate
    switch (key) {
      case 'after':
      case 'since': {
        const t = imageTime(key, value)
        key = 'since'
        test = s => createdSeconds(s.image) > t
        break
      }
      case 'before': {
        const t = imageTime(key, value)
        test = s => createdSeconds(s.image) < t
        break
      }
      case 'until': {
        const t = parseTimestamp(value) / 1000
        test = s => createdSeconds(s.image) < t
        break
      }
      case 'containers': {
        single(key, value)
        if (value !== 'true' && value !== 'false') throw new InvalidArgumentError(`unsupported value "${value}" for containers filter`)
        test = s => s.containers > 0 === (value === 'true')
        break
      }
      case 'dangling':
      case 'intermediate': {
        single(key, value)
        const want = parseGoBool(key, value)
        // tspod keeps no intermediate images: an untagged image is dangling, never intermediate.
        test = key === 'dangling' ? s => (s.image.names.length === 0) === want : () => want === false
        break
      }
      case 'readonly':
      case 'manifest': {
        single(key, value)
        const want = parseGoBool(key, value)
        test = () => want === false
        break
      }
      case 'id':
        test = s => s.image.id === value
        break
      case 'label':
        test = s => matchLabelFilters([value], s.labels)
        break
      case 'reference':
        test = s => s.image.names.some(n => referenceCandidates(n).some(c => goPathMatch(value, c)))
        break
      default:
        throw new InvalidArgumentError(`unsupported image filter "${key}"`)
    }
    const t = negate ? (s: ImageFilterSubject) => !test(s) : test
    groups.set(key, [...(groups.get(key) ?? []), t])
  }
  const all = [...groups.values()]
  return s => all.every(alternatives => alternatives.some(t => t(s)))
}
