/**
 * The image configuration (OCI image spec "config", Docker's
 * `application/vnd.docker.container.image.v1+json` has the same shape).
 * Parsing validates what tspod relies on; unknown fields are kept as they are.
 */
import { TspodError } from '../../engine/errors.js'
import { isDigest, type Digest } from '../digest.js'

export interface ContainerConfig {
  User?: string
  ExposedPorts?: Record<string, object>
  Env?: string[]
  Entrypoint?: string[] | null
  Cmd?: string[] | null
  Volumes?: Record<string, object>
  WorkingDir?: string
  Labels?: Record<string, string>
  StopSignal?: string
  ArgsEscaped?: boolean
  /** Docker extensions, present in many images. */
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number }
  OnBuild?: string[] | null
  Shell?: string[]
}

export interface HistoryEntry {
  created?: string
  created_by?: string
  author?: string
  comment?: string
  empty_layer?: boolean
}

export interface ImageConfig {
  architecture: string
  os: string
  variant?: string
  'os.version'?: string
  'os.features'?: string[]
  created?: string
  author?: string
  config?: ContainerConfig
  rootfs: { type: 'layers'; diff_ids: Digest[] }
  history?: HistoryEntry[]
  [extra: string]: unknown
}

const invalid = (what: string, detail: string) => new TspodError('data-loss', `invalid ${what}: ${detail}`)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStringArray = (v: unknown) => Array.isArray(v) && v.every(x => typeof x === 'string')

export function parseImageConfig(bytes: Uint8Array, what = 'image config'): ImageConfig {
  let doc: unknown
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
  } catch {
    throw invalid(what, 'malformed JSON')
  }
  if (!isObject(doc)) throw invalid(what, 'not a JSON object')
  if (typeof doc.architecture !== 'string' || typeof doc.os !== 'string') throw invalid(what, 'architecture and os must be strings')
  const rootfs = doc.rootfs
  if (!isObject(rootfs) || rootfs.type !== 'layers') throw invalid(what, 'rootfs.type must be "layers"')
  if (!Array.isArray(rootfs.diff_ids)) throw invalid(what, 'rootfs.diff_ids must be an array')
  rootfs.diff_ids.forEach((d, i) => {
    if (typeof d !== 'string' || !isDigest(d)) throw invalid(what, `rootfs.diff_ids[${i}] ${JSON.stringify(d)} is not a valid digest`)
  })
  const c = doc.config
  if (c !== undefined && c !== null) {
    if (!isObject(c)) throw invalid(what, 'config must be an object')
    for (const key of ['Env', 'Shell'] as const) {
      if (c[key] !== undefined && c[key] !== null && !isStringArray(c[key])) throw invalid(what, `config.${key} must be an array of strings`)
    }
    for (const key of ['Entrypoint', 'Cmd', 'OnBuild'] as const) {
      if (c[key] !== undefined && c[key] !== null && !isStringArray(c[key])) throw invalid(what, `config.${key} must be an array of strings or null`)
    }
    for (const key of ['User', 'WorkingDir', 'StopSignal'] as const) {
      if (c[key] !== undefined && typeof c[key] !== 'string') throw invalid(what, `config.${key} must be a string`)
    }
    if (c.Labels !== undefined && c.Labels !== null && (!isObject(c.Labels) || !Object.values(c.Labels).every(v => typeof v === 'string'))) {
      throw invalid(what, 'config.Labels must be a map of strings')
    }
    for (const key of ['ExposedPorts', 'Volumes'] as const) {
      if (c[key] !== undefined && c[key] !== null && !isObject(c[key])) throw invalid(what, `config.${key} must be an object`)
    }
  } else if (c === null) {
    delete doc.config
  }
  if (doc.history !== undefined && (!Array.isArray(doc.history) || !doc.history.every(isObject))) {
    throw invalid(what, 'history must be an array of objects')
  }
  return doc as ImageConfig
}
