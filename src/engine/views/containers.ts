/**
 * Containers as `ps` shows them: rows with podman's template field names
 * (`.ID`, `.Names`, `.Status`, ...), podman's JSON (`ps --format json`), and
 * `--filter` as podman combines filters (same key: any; different keys: all).
 */
import type { ContainerRecord, ContainerState } from '../containers/record.js'
import { GoTime, goMap, goStruct } from '../../format/template/index.js'
import { containerStatus, timeAgo, humanDuration } from '../../format/human-time.js'
import { InvalidArgumentError } from '../errors.js'
import { statusWord } from './container-inspect.js'

export interface PsEntry {
  record: ContainerRecord
  state: ContainerState
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : 0)

/** The fields of a `ps` row: header names come from them even when there are no rows. */
export const PS_FIELDS = [
  'ID', 'Image', 'ImageID', 'Command', 'Created', 'CreatedHuman', 'CreatedAt', 'RunningFor', 'Status', 'State', 'Ports',
  'Names', 'Labels', 'Mounts', 'Networks', 'Pid', 'ExitCode', 'Exited', 'Restarts', 'Pod', 'PodName', 'Size', 'AutoRemove',
] as const

export function psRow(e: PsEntry, opts: { noTrunc?: boolean; now?: number } = {}) {
  const { record, state } = e
  const now = opts.now ?? Date.now()
  const word = statusWord(state)
  const command = record.command.join(' ')
  return goStruct('containers.psReporter', {
    ID: opts.noTrunc ? record.id : record.id.slice(0, 12),
    Image: record.imageName,
    ImageID: record.imageId,
    Command: opts.noTrunc || command.length <= 17 ? command : command.slice(0, 17) + '...',
    Created: timeAgo(ms(record.created), now),
    CreatedHuman: timeAgo(ms(record.created), now),
    CreatedAt: GoTime.fromDate(ms(record.created)).toString(),
    RunningFor: humanDuration(now - ms(record.created)),
    Status: containerStatus(
      { state: word, startedAt: ms(state.startedAt), exitedAt: ms(state.finishedAt), exitCode: state.exitCode },
      now,
    ),
    State: word,
    Ports: '',
    Names: record.name,
    Labels: goMap({ ...record.labels }, '', 'map[string]string'),
    Mounts: '',
    Networks: '',
    Pid: word === 'running' ? (state.pid ?? 0) : 0,
    ExitCode: state.exitCode ?? 0,
    Exited: word === 'exited',
    Restarts: state.restartCount,
    Pod: '',
    PodName: '',
    Size: '',
    AutoRemove: record.autoRemove,
  })
}

/** podman's entities.ListContainer, as `ps --format json` prints it. */
export function psJson(e: PsEntry) {
  const { record, state } = e
  const word = statusWord(state)
  const sec = (iso: string | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0)
  return {
    AutoRemove: record.autoRemove,
    Command: record.command,
    Created: GoTime.fromDate(ms(record.created)),
    CreatedAt: timeAgo(ms(record.created)),
    Exited: word === 'exited',
    ExitedAt: sec(state.finishedAt),
    ExitCode: state.exitCode ?? 0,
    Id: record.id,
    Image: record.imageName,
    ImageID: record.imageId,
    IsInfra: false,
    Labels: goMap({ ...record.labels }),
    Mounts: [],
    Names: [record.name],
    Namespaces: {},
    Networks: [],
    Pid: word === 'running' ? (state.pid ?? 0) : 0,
    Pod: '',
    PodName: '',
    Ports: null,
    Restarts: state.restartCount,
    Size: null,
    StartedAt: sec(state.startedAt),
    State: word,
    Status: '',
  }
}

export type PsFilter = (e: PsEntry, all: PsEntry[]) => boolean

const STATES = ['created', 'running', 'paused', 'exited', 'stopped', 'stopping', 'configured', 'removing', 'unknown', 'restarting', 'dead']

/** Parse `--filter key=value` flags: values of one key are ORed, keys ANDed (podman's rule). */
export function parsePsFilters(flags: string[]): PsFilter {
  const byKey = new Map<string, string[]>()
  for (const f of flags) {
    const eq = f.indexOf('=')
    if (eq <= 0) throw new InvalidArgumentError(`invalid filter "${f}": bad format, expected key=value`)
    const key = f.slice(0, eq)
    byKey.set(key, [...(byKey.get(key) ?? []), f.slice(eq + 1)])
  }
  const tests: PsFilter[] = []
  for (const [key, values] of byKey) {
    const one = values.map(v => filterFor(key, v))
    tests.push((e, all) => one.some(t => t(e, all)))
  }
  return (e, all) => tests.every(t => t(e, all))
}

function filterFor(key: string, value: string): PsFilter {
  switch (key) {
    case 'id':
      return e => e.record.id.startsWith(value)
    case 'name': {
      let re: RegExp
      try {
        re = new RegExp(value)
      } catch {
        throw new InvalidArgumentError(`invalid filter "name=${value}": not a valid regular expression`)
      }
      return e => re.test(e.record.name)
    }
    case 'status':
      if (!STATES.includes(value)) {
        throw new InvalidArgumentError(`${value} is not a valid status`)
      }
      return e => statusWord(e.state) === (value === 'stopped' ? 'exited' : value)
    case 'label': {
      const eq = value.indexOf('=')
      const k = eq < 0 ? value : value.slice(0, eq)
      return e => k in e.record.labels && (eq < 0 || e.record.labels[k] === value.slice(eq + 1))
    }
    case 'ancestor':
      return e => e.record.imageId.startsWith(value) || e.record.imageName === value || e.record.imageName.endsWith(`/${value.includes(':') ? value : `${value}:latest`}`)
    case 'exited': {
      const code = Number(value)
      if (!Number.isInteger(code)) throw new InvalidArgumentError(`exited code out of range "${value}"`)
      return e => statusWord(e.state) === 'exited' && e.state.exitCode === code
    }
    case 'before':
    case 'since':
      return (e, all) => {
        const ref = all.find(c => c.record.id.startsWith(value) || c.record.name === value)
        if (!ref) throw new InvalidArgumentError(`no container with name or ID "${value}" found: no such container`)
        return key === 'before' ? e.record.created < ref.record.created : e.record.created > ref.record.created
      }
    default:
      throw new InvalidArgumentError(`invalid filter "${key}"`)
  }
}
