/**
 * The names `tspod __complete` offers: containers (by state) and images,
 * read straight from the store's JSON files. A shell waits for this on every
 * TAB, so it takes no lock, enters no user namespace and starts no engine:
 * records are replaced by rename, so a read sees a whole file or none, and a
 * file that is missing or half-made (a container being created or removed)
 * is skipped rather than reported.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defaultGraphRoot } from '../../engine/paths.js'

/** The container states `tspod __complete containers STATE` filters on. */
export const CONTAINER_STATES = ['all', 'running', 'stopped'] as const
export type ContainerState = (typeof CONTAINER_STATES)[number]

type Env = Record<string, string | undefined>

/** The graph root as the engine finds it: `--root`, then $TSPOD_ROOT, then the XDG default. */
export function graphRoot(root: string | undefined, env: Env = process.env): string {
  return resolve(root ?? env.TSPOD_ROOT ?? defaultGraphRoot(env))
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined)

/** `running` and `stopping` containers have a process; the rest can be started. */
function matchesState(status: unknown, state: ContainerState): boolean {
  if (state === 'all') return true
  const live = status === 'running' || status === 'stopping'
  return state === 'running' ? live : !live && status !== 'removing'
}

/** IDs are offered only once the word typed so far looks like one (podman does the same): names otherwise. */
const idPrefix = (word: string) => /^[0-9a-f]+$/.test(word)

export function containerCandidates(root: string, state: ContainerState, word = ''): string[] {
  const dir = join(root, 'containers')
  let ids: string[]
  try {
    ids = readdirSync(dir).filter(n => /^[0-9a-f]{64}$/.test(n))
  } catch {
    return []
  }
  const out: string[] = []
  for (const id of ids) {
    const name = field(readJson(join(dir, id, 'container.json')), 'name')
    if (typeof name !== 'string') continue
    // No state file yet: a created container (as ContainerStore reads it).
    const status = field(readJson(join(dir, id, 'state.json')), 'status') ?? 'created'
    if (!matchesState(status, state)) continue
    out.push(name)
    if (word !== '' && idPrefix(word) && id.startsWith(word)) out.push(id.slice(0, 12))
  }
  return out.sort()
}

export function imageCandidates(root: string, word = ''): string[] {
  const images = field(readJson(join(root, 'images.json')), 'images')
  if (!Array.isArray(images)) return []
  const out = new Set<string>()
  for (const image of images) {
    const names = field(image, 'names')
    if (Array.isArray(names)) for (const n of names) if (typeof n === 'string') out.add(n)
    const id = field(image, 'id')
    if (typeof id === 'string' && word !== '' && idPrefix(word) && id.startsWith(word)) out.add(id.slice(0, 12))
  }
  return [...out].sort()
}
