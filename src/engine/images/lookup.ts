/**
 * Finding a local image by what a user typed, podman's way: a full or partial
 * ID (optionally `sha256:`-prefixed), a `name@digest`, a fully-qualified name,
 * or a short name, which matches `localhost/NAME`, then any stored image whose
 * repository ends in `/NAME` (podman matches short names against the tail of
 * repository names, so `busybox` finds `127.0.0.1:5000/busybox:latest`).
 */
import type { ImageRecord } from '../../image/store/images.js'
import { parseNormalizedReference, parseShortName, type ShortName } from '../../image/reference.js'
import { NoSuchImageError, TspodError } from '../errors.js'

const HEX_RE = /^(?:sha256:)?([a-f0-9]{3,64})$/

export function findImage(images: readonly ImageRecord[], input: string): ImageRecord | undefined {
  const hex = HEX_RE.exec(input)?.[1]
  if (hex) {
    const byId = images.filter(i => i.id.startsWith(hex))
    if (byId.length === 1) return byId[0]
    if (byId.length > 1) throw new TspodError('invalid-argument', `${input}: ambiguous image ID, matches ${byId.length} images`)
    // A hex string can still be a short name (`tspod tag x abc`); fall through.
  }
  const short = shortNameOf(input)
  if (short === null) return undefined
  if (short === undefined) {
    const ref = parseNormalizedReference(input)
    if (ref.digest) return images.find(i => i.repoDigests.includes(`${ref.name}@${ref.digest}`) || i.manifestDigest === ref.digest)
    const full = ref.withDefaultTag().toString()
    return images.find(i => i.names.includes(full))
  }
  if (short.digest) {
    return images.find(i => i.repoDigests.some(d => d.endsWith(`/${short.name}@${short.digest}`)))
  }
  const tag = short.tag ?? 'latest'
  const exact = `localhost/${short.name}:${tag}`
  const local = images.find(i => i.names.includes(exact))
  if (local) return local
  const suffix = `/${short.name}:${tag}`
  const bySuffix = images.filter(i => i.names.some(n => n.endsWith(suffix)))
  if (bySuffix.length > 1) {
    // Prefer docker.io/library/NAME, as a bare `busybox` means that to docker users.
    const library = bySuffix.find(i => i.names.includes(`docker.io/library/${short.name}:${tag}`))
    return library ?? bySuffix[0]
  }
  return bySuffix[0]
}

export function getImage(images: readonly ImageRecord[], input: string): ImageRecord {
  const found = findImage(images, input)
  if (!found) throw new NoSuchImageError(input)
  return found
}

/** The stored name a short or full input refers to on `image`, for untagging. */
export function matchingName(image: ImageRecord, input: string): string | undefined {
  if (image.names.includes(input)) return input
  const short = shortNameOf(input)
  if (short === null) return undefined
  if (short === undefined) {
    const full = parseNormalizedReference(input).withDefaultTag().toString()
    return image.names.find(n => n === full)
  }
  if (short.digest) return image.names.find(n => n.endsWith(`/${short.name}@${short.digest}`))
  const suffix = `/${short.name}:${short.tag ?? 'latest'}`
  return image.names.find(n => n.endsWith(suffix))
}

/** parseShortName, with null for input that is no valid reference at all (it then names no image). */
function shortNameOf(input: string): ShortName | undefined | null {
  try {
    return parseShortName(input)
  } catch {
    return null
  }
}
