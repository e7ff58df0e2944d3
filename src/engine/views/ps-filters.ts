/**
 * `ps --filter` (and `rm/stop --filter`) as podman 4.3 evaluates it
 * (pkg/domain/filters/containers.go): values of one key are alternatives —
 * except `label`, where every value must match — and different keys must
 * all match. Filters are compiled once against the whole list (before/since
 * look their reference container up there).
 */
import { InvalidArgumentError, NoSuchContainerError } from '../errors.js'
import { statusWord } from './status.js'
import { groupFilters, matchLabelFilters, parseTimestamp } from './filter-values.js'
import type { PsEntry } from './containers.js'

export type PsPredicate = (e: PsEntry) => boolean

const STATES = ['unknown', 'configured', 'created', 'running', 'stopped', 'paused', 'exited', 'removing']
const RESTART_POLICIES: Record<string, string> = { none: 'no', no: 'no', always: 'always', 'on-failure': 'on-failure', 'unless-stopped': 'unless-stopped' }

/** Go's regexp.MatchString, unanchored; a bad expression matches nothing (as podman ignores the error). */
function anyRegex(values: readonly string[]): (s: string) => boolean {
  const res = values.flatMap(v => {
    try {
      return [new RegExp(v)]
    } catch {
      return []
    }
  })
  return s => res.some(re => re.test(s))
}

/** Finds a container the way lookups do: full id, name, unique id prefix. */
function lookupIn(all: readonly PsEntry[], ref: string): PsEntry {
  const byPrefix = /^[a-f0-9]+$/.test(ref) ? all.filter(e => e.record.id.startsWith(ref)) : []
  const found = all.find(e => e.record.id === ref) ?? all.find(e => e.record.name === ref) ?? (byPrefix.length === 1 ? byPrefix[0] : undefined)
  if (!found) throw new NoSuchContainerError(ref)
  return found
}

/** Repository and tag of a stored name (`host:port/repo:tag`). */
function splitTag(name: string): [string, string] {
  const colon = name.lastIndexOf(':')
  return colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, '']
}

function predicateFor(key: string, values: string[], all: readonly PsEntry[]): PsPredicate {
  switch (key) {
    case 'id': {
      const match = anyRegex(values)
      return e => match(e.record.id)
    }
    case 'name': {
      const match = anyRegex(values)
      return e => match(e.record.name)
    }
    case 'label':
      return e => matchLabelFilters(values, e.record.labels)
    case 'exited': {
      const codes = values.map(v => {
        if (!/^[+-]?\d+$/.test(v) || Math.abs(Number(v)) > 2 ** 31) {
          throw new InvalidArgumentError(`exited code out of range '\\x00': strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`)
        }
        return Number(v)
      })
      return e => statusWord(e.state) === 'exited' && codes.includes(e.state.exitCode ?? 0)
    }
    case 'status': {
      for (const v of values) if (!STATES.includes(v)) throw new InvalidArgumentError(`unknown container state: ${v}: invalid argument`)
      const wanted = values.map(v => (v === 'stopped' ? 'exited' : v === 'configured' ? 'created' : v))
      return e => wanted.includes(statusWord(e.state))
    }
    case 'ancestor':
      return e =>
        values.some(v => {
          const [repo, tag] = splitTag(e.record.imageName)
          return e.record.imageId === v || e.record.imageName === v || (repo === v && tag === 'latest')
        })
    case 'before':
    case 'since': {
      const times = values.map(v => Date.parse(lookupIn(all, v).record.created))
      const ref = Math.min(...times)
      return key === 'before' ? e => Date.parse(e.record.created) < ref : e => Date.parse(e.record.created) > ref
    }
    case 'until': {
      if (values.length !== 1) throw new InvalidArgumentError('specify exactly one timestamp for until')
      const until = parseTimestamp(values[0]!)
      return e => Date.parse(e.record.created) < until
    }
    case 'restart-policy': {
      const invalid = values.filter(v => !(v in RESTART_POLICIES))
      if (invalid.length > 0) {
        throw new InvalidArgumentError(`${invalid.join(', ')} ${invalid.length > 1 ? 'invalid restart policies' : 'invalid restart policy'}`)
      }
      return e => values.some(v => RESTART_POLICIES[v] === e.record.restartPolicy.name)
    }
    case 'volume':
      return e =>
        values.some(v => {
          const [source, dest] = v.split(/:(.*)/s) as [string, string | undefined]
          return (e.record.runOptions.mounts ?? []).some(m => m.type === 'bind' && m.source === source && (!dest || m.destination === dest))
        })
    case 'health':
    case 'pod':
    case 'network':
      // tspod has no health checks, pods or named networks: nothing matches.
      return () => false
    default:
      throw new InvalidArgumentError(`${key} is an invalid filter`)
  }
}

/** Compile `--filter` flags; throws podman's error for a bad key or value. */
export function compilePsFilters(flags: readonly string[], all: readonly PsEntry[]): { match: PsPredicate; hasStatus: boolean } {
  const groups = groupFilters(flags, f => `invalid filter ${JSON.stringify(f)}`)
  const tests = [...groups].map(([key, values]) => predicateFor(key, values, all))
  return { match: e => tests.every(t => t(e)), hasStatus: groups.has('status') }
}
