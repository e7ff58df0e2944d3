import t from 'tap'
import { DEFAULT_CAPABILITIES, capabilityMask, normalizeCapability } from './caps.js'
import { defaultSeccompProfile } from './seccomp.js'
import { parseSignal, resolveStopSignal } from './signal.js'
import type { OciSeccomp } from './types.js'

function verdict(p: OciSeccomp, name: string): string {
  const rules = (p.syscalls ?? []).filter(r => r.names.includes(name))
  if (rules.length === 0) return `default:${p.defaultErrnoRet}`
  return rules.map(r => (r.action === 'SCMP_ACT_ALLOW' ? (r.args ? 'allow-if' : 'allow') : `errno:${r.errnoRet}`)).join(',')
}

t.test('default profile for the default caps', async t => {
  const p = defaultSeccompProfile({ capabilities: DEFAULT_CAPABILITIES, arch: 'x64' })
  t.equal(p.defaultAction, 'SCMP_ACT_ERRNO')
  t.equal(p.defaultErrnoRet, 38, 'unknown syscalls: ENOSYS so libc falls back')
  t.strictSame(p.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'])
  for (const name of ['read', 'execve', 'openat', 'clock_gettime', 'socket', 'futex', 'rseq', 'statx', 'getrandom', 'arch_prctl', 'chroot', 'ptrace', 'setuid', 'faccessat2']) {
    t.equal(verdict(p, name), 'allow', name)
  }
  for (const name of [
    'kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module', 'open_by_handle_at',
    'bpf', 'perf_event_open', 'keyctl', 'add_key', 'request_key', 'reboot', 'swapon', 'swapoff',
    'settimeofday', 'clock_settime', 'mount', 'umount2', 'unshare', 'setns', 'pivot_root', 'sethostname',
    'userfaultfd', 'iopl', 'acct', 'syslog', 'fsopen', 'move_mount',
  ]) {
    t.equal(verdict(p, name), 'errno:1', `${name} is refused with EPERM`)
  }
  t.equal(verdict(p, 'io_uring_setup'), 'default:38', 'io_uring is not allowed')
  t.equal(verdict(p, 'clone'), 'allow-if')
  const clone = p.syscalls?.find(r => r.names.includes('clone'))
  t.strictSame(clone?.args, [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }], 'no namespace flags')
  t.equal(verdict(p, 'clone3'), 'errno:38')
  t.equal((p.syscalls ?? []).filter(r => r.names.includes('personality')).length, 5)
})

t.test('no syscall is both allowed and refused, no duplicates in a rule', async t => {
  for (const caps of [[], DEFAULT_CAPABILITIES, ['CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_PTRACE', 'CAP_SYS_TIME']]) {
    const p = defaultSeccompProfile({ capabilities: caps, arch: 'x64' })
    const allowed = new Set<string>()
    const denied = new Set<string>()
    for (const r of p.syscalls ?? []) {
      t.equal(new Set(r.names).size, r.names.length, `no duplicates (${r.names[0]}…)`)
      if (r.args) continue
      for (const n of r.names) (r.action === 'SCMP_ACT_ALLOW' ? allowed : denied).add(n)
    }
    t.strictSame([...allowed].filter(n => denied.has(n)), [], `caps ${caps.length}`)
  }
})

t.test('caps open their syscalls', async t => {
  const p = defaultSeccompProfile({ capabilities: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_TIME'], arch: 'x64' })
  for (const name of ['mount', 'unshare', 'setns', 'bpf', 'perf_event_open', 'reboot', 'settimeofday', 'clone3']) {
    t.equal(verdict(p, name), 'allow', name)
  }
  t.equal(verdict(p, 'clone'), 'allow', 'clone unrestricted with CAP_SYS_ADMIN')
  t.equal(verdict(p, 'keyctl'), 'errno:1', 'keyrings stay refused')
  t.equal(verdict(p, 'kexec_load'), 'errno:1')
  const noChroot = defaultSeccompProfile({ capabilities: ['CAP_CHOWN'], arch: 'x64' })
  t.equal(verdict(noChroot, 'chroot'), 'errno:1')
})

t.test('architectures', async t => {
  t.strictSame(defaultSeccompProfile({ capabilities: [], arch: 'arm64' }).architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'])
  const s390 = defaultSeccompProfile({ capabilities: [], arch: 's390x' })
  t.equal(s390.syscalls?.find(r => r.names.includes('clone'))?.args?.[0]?.index, 1)
  t.equal(defaultSeccompProfile({ capabilities: [], arch: 'mips' }).architectures, undefined, 'unknown: native only')
  t.equal(verdict(defaultSeccompProfile({ capabilities: [], arch: 'arm64' }), 'arch_prctl'), 'default:38')
})

t.test('capability helpers', async t => {
  t.equal(capabilityMask(DEFAULT_CAPABILITIES), 0x800405fbn, 'the default set as CapEff shows it')
  t.equal(capabilityMask(['ALL']), (1n << 41n) - 1n)
  t.equal(normalizeCapability(' sys_admin '), 'CAP_SYS_ADMIN')
})

t.test('signals', async t => {
  const cases: [string | number, number][] = [
    ['SIGTERM', 15], ['term', 15], ['15', 15], [9, 9], ['SIGKILL', 9], ['sigrtmin+3', 37], ['RTMAX', 64], ['RTMAX-2', 62], ['IOT', 6], ['SIGWINCH', 28],
  ]
  for (const [raw, n] of cases) t.equal(parseSignal(raw), n, String(raw))
  for (const bad of ['0', '65', 'SIGFOO', '', '-1', '1.5']) t.throws(() => parseSignal(bad), { code: 'invalid-argument', message: /invalid signal/ }, bad)
  t.equal(resolveStopSignal(undefined, undefined), 15)
  t.equal(resolveStopSignal(undefined, 'SIGQUIT'), 3)
  t.equal(resolveStopSignal('SIGINT', 'SIGQUIT'), 2)
  t.equal(resolveStopSignal('', 'SIGQUIT'), 3)
})
