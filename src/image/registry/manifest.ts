/**
 * Manifests and indexes (OCI image spec; Docker schema 2 and manifest lists):
 * types, and a parser that validates every field it returns. Malformed
 * documents are 'data-loss'; documents of a kind tspod cannot run (schema 1,
 * artifacts, unknown media types) are 'unsupported'.
 */
import { TspodError } from '../../engine/errors.js'
import { isDigest, type Digest } from '../digest.js'
import { CONFIG_TYPES, IMAGE_MANIFEST_TYPES, INDEX_TYPES, layerCompression, MediaType, SCHEMA1_TYPES } from './media-types.js'

export interface Platform {
  readonly architecture: string
  readonly os: string
  readonly variant?: string
  readonly 'os.version'?: string
  readonly 'os.features'?: readonly string[]
}

export interface Descriptor {
  readonly mediaType: string
  readonly digest: Digest
  readonly size: number
  readonly urls?: readonly string[]
  readonly annotations?: Readonly<Record<string, string>>
  readonly platform?: Platform
}

export interface ImageManifest {
  readonly kind: 'manifest'
  /** The manifest's media type (from its body, else the HTTP Content-Type, else its shape). */
  readonly mediaType: string
  readonly schemaVersion: 2
  readonly config: Descriptor
  readonly layers: readonly Descriptor[]
  readonly annotations?: Readonly<Record<string, string>>
}

export interface ImageIndex {
  readonly kind: 'index'
  readonly mediaType: string
  readonly schemaVersion: 2
  readonly manifests: readonly Descriptor[]
  readonly annotations?: Readonly<Record<string, string>>
}

export type Manifest = ImageManifest | ImageIndex

const malformed = (what: string, detail: string) => new TspodError('data-loss', `invalid ${what}: ${detail}`)

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function stringMap(v: unknown, field: string, what: string): Record<string, string> | undefined {
  if (v === undefined) return undefined
  if (!isObject(v) || Object.values(v).some(x => typeof x !== 'string')) throw malformed(what, `${field} must be a map of strings`)
  return v as Record<string, string>
}

function parsePlatform(v: unknown, field: string, what: string): Platform | undefined {
  if (v === undefined) return undefined
  if (!isObject(v) || typeof v.os !== 'string' || typeof v.architecture !== 'string') {
    throw malformed(what, `${field} must have string "os" and "architecture"`)
  }
  if (v.variant !== undefined && typeof v.variant !== 'string') throw malformed(what, `${field}.variant must be a string`)
  const features = v['os.features']
  if (features !== undefined && (!Array.isArray(features) || features.some(f => typeof f !== 'string'))) {
    throw malformed(what, `${field}.os.features must be an array of strings`)
  }
  return {
    os: v.os,
    architecture: v.architecture,
    ...(v.variant ? { variant: v.variant as string } : {}),
    ...(typeof v['os.version'] === 'string' ? { 'os.version': v['os.version'] } : {}),
    ...(features ? { 'os.features': features as string[] } : {}),
  }
}

export function parseDescriptor(v: unknown, field: string, what = 'manifest'): Descriptor {
  if (!isObject(v)) throw malformed(what, `${field} must be an object`)
  if (typeof v.mediaType !== 'string' || v.mediaType === '') throw malformed(what, `${field}.mediaType is missing`)
  if (typeof v.digest !== 'string' || !isDigest(v.digest)) throw malformed(what, `${field}.digest ${JSON.stringify(v.digest)} is not a valid sha256/sha512 digest`)
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) throw malformed(what, `${field}.size must be a non-negative integer`)
  if (v.urls !== undefined && (!Array.isArray(v.urls) || v.urls.some(u => typeof u !== 'string'))) {
    throw malformed(what, `${field}.urls must be an array of strings`)
  }
  const annotations = stringMap(v.annotations, `${field}.annotations`, what)
  const platform = parsePlatform(v.platform, `${field}.platform`, what)
  return {
    mediaType: v.mediaType,
    digest: v.digest,
    size: v.size,
    ...(v.urls ? { urls: v.urls as string[] } : {}),
    ...(annotations ? { annotations } : {}),
    ...(platform ? { platform } : {}),
  }
}

/** Decide what a document is: its own mediaType field wins over the HTTP header, which wins over its shape. */
function detectMediaType(doc: Json, contentType: string | undefined): string | undefined {
  if (typeof doc.mediaType === 'string' && doc.mediaType !== '') return doc.mediaType
  if (doc.schemaVersion === 1) return MediaType.DockerSchema1
  const header = contentType?.split(';')[0]!.trim().toLowerCase()
  if (header && [...IMAGE_MANIFEST_TYPES, ...INDEX_TYPES, ...SCHEMA1_TYPES].includes(header)) return header
  // OCI lets manifests omit mediaType; tell them apart by their fields.
  if (Array.isArray(doc.manifests)) return MediaType.OciIndex
  if (doc.config !== undefined && Array.isArray(doc.layers)) return MediaType.OciManifest
  return header || undefined
}

/**
 * Parse and validate a manifest or index. `contentType` is the HTTP header, a
 * hint only; `what` names the document in messages (e.g. "manifest sha256:…").
 */
export function parseManifest(bytes: Uint8Array, contentType?: string, what = 'manifest'): Manifest {
  let doc: unknown
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
  } catch {
    throw malformed(what, 'malformed JSON')
  }
  if (!isObject(doc)) throw malformed(what, 'not a JSON object')
  const mediaType = detectMediaType(doc, contentType)
  if (mediaType !== undefined && SCHEMA1_TYPES.includes(mediaType)) {
    throw new TspodError(
      'unsupported',
      `unsupported manifest type ${mediaType}: Docker schema 1 images are not supported; the image must be pushed again in the schema 2 or OCI format`,
    )
  }
  if (mediaType === undefined) throw malformed(what, 'no mediaType, and neither "manifests" nor "config" and "layers"')
  const isIndex = INDEX_TYPES.includes(mediaType)
  if (!isIndex && !IMAGE_MANIFEST_TYPES.includes(mediaType)) {
    throw new TspodError('unsupported', `unsupported manifest media type "${mediaType}"`)
  }
  if (doc.schemaVersion !== 2) throw malformed(what, `schemaVersion must be 2, got ${JSON.stringify(doc.schemaVersion)}`)
  const annotations = stringMap(doc.annotations, 'annotations', what)

  if (isIndex) {
    if (!Array.isArray(doc.manifests)) throw malformed(what, 'manifests must be an array')
    return {
      kind: 'index',
      mediaType,
      schemaVersion: 2,
      manifests: doc.manifests.map((m, i) => parseDescriptor(m, `manifests[${i}]`, what)),
      ...(annotations ? { annotations } : {}),
    }
  }
  if (doc.config === undefined) throw malformed(what, 'config is missing')
  if (!Array.isArray(doc.layers)) throw malformed(what, 'layers must be an array')
  return {
    kind: 'manifest',
    mediaType,
    schemaVersion: 2,
    config: parseDescriptor(doc.config, 'config', what),
    layers: doc.layers.map((l, i) => parseDescriptor(l, `layers[${i}]`, what)),
    ...(annotations ? { annotations } : {}),
  }
}

/**
 * A manifest tspod can run: a container image config and layer tars it can
 * unpack. Artifacts (Helm charts, signatures, …) stop here with 'unsupported'.
 */
export function assertContainerImage(manifest: ImageManifest): void {
  if (!CONFIG_TYPES.includes(manifest.config.mediaType)) {
    throw new TspodError('unsupported', `unsupported image config media type "${manifest.config.mediaType}": not a container image`)
  }
  for (const layer of manifest.layers) {
    if (layerCompression(layer.mediaType) === undefined) {
      throw new TspodError('unsupported', `unsupported layer media type "${layer.mediaType}" (layer ${layer.digest})`)
    }
  }
}
