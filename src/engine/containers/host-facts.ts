/** What the spec builder needs to know about this machine, gathered once per process. */
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import type { HostFacts, Limit } from '../../runtime/spec/build.js'
import type { UserIdMaps } from '../../rootless/idmap.js'

function parseLimit(text: string, name: string): Limit {
  const line = text.split('\n').find(l => l.startsWith(name))
  const fields = line?.slice(name.length).trim().split(/\s+/) ?? []
  const num = (v: string | undefined) => (v === undefined || v === 'unlimited' ? Infinity : Number(v))
  return { soft: num(fields[0]), hard: num(fields[1]) }
}

export function hostFacts(maps: UserIdMaps): HostFacts {
  const limits = readFileSync('/proc/self/limits', 'utf8')
  const size = (m: UserIdMaps['uidMap']) => m.reduce((n, r) => Math.max(n, r.containerId + r.size), 0)
  return {
    env: process.env,
    rlimits: { nofile: parseLimit(limits, 'Max open files'), nproc: parseLimit(limits, 'Max processes') },
    hostname: hostname(),
    uidRanges: [{ containerID: 0, size: size(maps.uidMap) }],
    gidRanges: [{ containerID: 0, size: size(maps.gidMap) }],
  }
}
