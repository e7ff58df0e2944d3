/**
 * Linux capabilities for the container process, computed the way podman 4
 * does (containers/common pkg/capabilities + podman's security generator):
 * - default set: the 11 caps of containers.conf as shipped with podman 4;
 * - `--cap-add`/`--cap-drop` accept names with or without CAP_, any case, and
 *   `ALL`; results are sorted and limited to the bounding set runc can grant;
 * - root (uid 0) gets the set as bounding, effective and permitted;
 * - any other uid gets the set only as bounding, and just the `--cap-add`ed
 *   caps as effective/permitted/inheritable/ambient (so a non-root process
 *   keeps them across execve).
 */
import { InvalidArgumentError } from '../../engine/errors.js'
import type { OciCapabilities } from './types.js'

/** Every capability of Linux 6.x, indexed by its number (CAP_LAST_CAP = 40). */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER',
  'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
]

/** podman 4's default_capabilities (containers.conf as shipped). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
]

const known = new Set(ALL_CAPABILITIES)

/** "net_admin" / "CAP_NET_ADMIN" / "all" → "CAP_NET_ADMIN" / "ALL"; unknown → error. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase()
  if (upper === 'ALL') return 'ALL'
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`
  if (!known.has(full)) throw new InvalidArgumentError(`${JSON.stringify(full)}: unknown capability`)
  return full
}

function normalizeAll(names: readonly string[]): string[] {
  return names.filter(n => n.trim() !== '').map(normalizeCapability)
}

/**
 * base + adds − drops, podman's rules: drop ALL keeps only the adds; add ALL
 * starts from the bounding set; a cap both added and dropped is an error.
 */
export function mergeCapabilities(
  base: readonly string[],
  adds: readonly string[],
  drops: readonly string[],
  boundingSet: readonly string[] = ALL_CAPABILITIES,
): string[] {
  const capAdd = normalizeAll(adds)
  const capDrop = normalizeAll(drops)
  let start = normalizeAll(base)
  if (capDrop.includes('ALL')) {
    if (capAdd.includes('ALL')) throw new InvalidArgumentError('adding all caps and removing all caps not allowed')
    return sorted(capAdd)
  }
  let extra = capAdd
  if (capAdd.includes('ALL')) {
    start = [...boundingSet]
    extra = []
  }
  for (const c of capDrop) {
    if (extra.includes(c)) throw new InvalidArgumentError(`capability ${JSON.stringify(c)} cannot be dropped and added`)
  }
  const out = start.filter(c => !capDrop.includes(c))
  for (const c of extra) if (!out.includes(c)) out.push(c)
  return sorted(out)
}

function sorted(caps: string[]): string[] {
  return [...new Set(caps)].sort()
}

export interface CapabilityOptions {
  privileged?: boolean
  capAdd?: readonly string[]
  capDrop?: readonly string[]
  /** Process uid inside the container; 0 gets effective caps. */
  uid: number
  /** Caps runc can grant (its own bounding set); default: all of Linux 6.x. */
  boundingSet?: readonly string[]
  /** Default set; podman 4's 11 caps unless given. */
  defaults?: readonly string[]
}

export function containerCapabilities(opts: CapabilityOptions): OciCapabilities {
  const bounding = opts.boundingSet ? normalizeAll(opts.boundingSet) : [...ALL_CAPABILITIES]
  const inBounding = (caps: string[]) => sorted(caps.filter(c => bounding.includes(c)))
  const set = opts.privileged
    ? sorted(bounding)
    : inBounding(mergeCapabilities(opts.defaults ?? DEFAULT_CAPABILITIES, opts.capAdd ?? [], opts.capDrop ?? [], bounding))
  if (opts.uid === 0) return { bounding: set, effective: set, permitted: set }
  // Non-root: only what was asked for explicitly becomes effective, and it is
  // made ambient so it survives the execve of the command.
  const userCaps = inBounding(mergeCapabilities([], opts.capAdd ?? [], [], bounding))
  const caps: OciCapabilities = { bounding: set }
  if (userCaps.length > 0) {
    caps.effective = userCaps
    caps.inheritable = userCaps
    caps.permitted = userCaps
    caps.ambient = userCaps
  }
  return caps
}

/** Bit mask of a cap set, as /proc/PID/status shows it (CapEff etc.). */
export function capabilityMask(names: readonly string[]): bigint {
  let mask = 0n
  for (const n of names) {
    const c = normalizeCapability(n)
    if (c === 'ALL') return (1n << BigInt(ALL_CAPABILITIES.length)) - 1n
    mask |= 1n << BigInt(ALL_CAPABILITIES.indexOf(c))
  }
  return mask
}
