/**
 * `--network` modes the spec builder knows. `none` (the default for now): a
 * new network namespace in which runc brings up loopback; `host`: no network
 * namespace; `ns:PATH`: join a namespace someone else set up (how the
 * networking code will hand over slirp4netns/pasta namespaces).
 */
import { TspodError } from '../../engine/errors.js'

export type NetworkMode = { mode: 'none' } | { mode: 'host' } | { mode: 'ns'; path: string }

export function parseNetworkMode(value: string | undefined): NetworkMode {
  const v = (value ?? 'none').trim()
  if (v === '' || v === 'none') return { mode: 'none' }
  if (v === 'host') return { mode: 'host' }
  if (v.startsWith('ns:')) {
    const path = v.slice(3)
    if (!path.startsWith('/')) throw new TspodError('invalid-argument', `invalid network namespace path ${JSON.stringify(path)}: must be absolute`)
    return { mode: 'ns', path }
  }
  const name = v.startsWith('container:') ? 'container:' : v
  throw new TspodError('unsupported', `network mode ${JSON.stringify(name)} is not supported yet`)
}

/** True when the container gets its own network namespace (new or joined). */
export function hasOwnNetns(net: NetworkMode): boolean {
  return net.mode !== 'host'
}
