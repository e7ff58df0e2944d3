/**
 * tspod's default seccomp profile: an ALLOWLIST, built for the container's
 * capability set (as docker/podman filter their profiles by caps).
 *
 * Why an allowlist: a denylist silently allows every syscall the kernel adds
 * later, and new syscalls are where new attack surface shows up (io_uring was
 * the lesson). Allowlists have one known cost, programs meeting a syscall the
 * list does not name; that is why the default action is ENOSYS rather than
 * EPERM: libc and language runtimes treat ENOSYS as "old kernel" and fall back
 * (clone3 → clone, statx → fstatat, faccessat2 → faccessat, fchmodat2 → …).
 * Calls that are known and refused return EPERM, which programs already
 * handle as "not allowed here".
 *
 * Compared with containers/common's seccomp.json (podman 4), tspod is
 * stricter: mount/unshare/setns/pivot_root and friends need CAP_SYS_ADMIN
 * (docker's choice: creating namespaces from inside a container is a large
 * kernel surface), clone with namespace flags is refused, clone3 answers
 * ENOSYS unless CAP_SYS_ADMIN (its flags cannot be inspected by seccomp, so
 * libc falls back to clone, which is), keyctl/add_key/request_key and
 * reboot (unless CAP_SYS_BOOT) are refused, and io_uring is not allowed.
 */
import type { OciSeccomp, OciSyscallRule } from './types.js'

const EPERM = 1
const ENOSYS = 38

/** Harmless for any process: files, memory, processes, signals, time, IPC, sockets. */
const BASE_ALLOWED = [
  // files and I/O
  'read', 'write', 'readv', 'writev', 'pread64', 'pwrite64', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
  'open', 'openat', 'openat2', 'creat', 'close', 'close_range', 'lseek', '_llseek', 'dup', 'dup2', 'dup3',
  'fcntl', 'fcntl64', 'flock', 'fsync', 'fdatasync', 'sync', 'syncfs', 'sync_file_range', 'sync_file_range2',
  'truncate', 'truncate64', 'ftruncate', 'ftruncate64', 'fallocate', 'fadvise64', 'fadvise64_64',
  'arm_fadvise64_64', 'arm_sync_file_range', 'readahead', 'sendfile', 'sendfile64', 'splice', 'tee',
  'vmsplice', 'copy_file_range', 'ioctl', 'pipe', 'pipe2',
  'stat', 'stat64', 'lstat', 'lstat64', 'fstat', 'fstat64', 'newfstatat', 'fstatat64', 'statx',
  'statfs', 'statfs64', 'fstatfs', 'fstatfs64', 'access', 'faccessat', 'faccessat2', 'readlink',
  'readlinkat', 'getcwd', 'chdir', 'fchdir', 'getdents', 'getdents64', 'readdir',
  'mkdir', 'mkdirat', 'rmdir', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink',
  'symlinkat', 'unlink', 'unlinkat', 'chmod', 'fchmod', 'fchmodat', 'fchmodat2', 'chown', 'chown32',
  'fchown', 'fchown32', 'fchownat', 'lchown', 'lchown32', 'umask', 'utime', 'utimes', 'utimensat',
  'utimensat_time64', 'futimesat', 'mknod', 'mknodat',
  'getxattr', 'lgetxattr', 'fgetxattr', 'setxattr', 'lsetxattr', 'fsetxattr', 'listxattr',
  'llistxattr', 'flistxattr', 'removexattr', 'lremovexattr', 'fremovexattr', 'getxattrat',
  'setxattrat', 'listxattrat', 'removexattrat', 'file_getattr', 'file_setattr',
  'inotify_init', 'inotify_init1', 'inotify_add_watch', 'inotify_rm_watch', 'fanotify_mark',
  'io_setup', 'io_destroy', 'io_submit', 'io_cancel', 'io_getevents', 'io_pgetevents',
  'io_pgetevents_time64', 'statmount', 'listmount',
  // memory
  'brk', 'mmap', 'mmap2', 'munmap', 'mremap', 'mprotect', 'madvise', 'mincore', 'msync', 'mlock',
  'mlock2', 'munlock', 'mlockall', 'munlockall', 'remap_file_pages', 'membarrier', 'memfd_create',
  'memfd_secret', 'pkey_alloc', 'pkey_free', 'pkey_mprotect', 'mseal', 'map_shadow_stack', 'cachestat',
  'get_mempolicy', 'set_mempolicy', 'set_mempolicy_home_node', 'mbind',
  // processes and threads (clone is below, with an argument filter)
  'fork', 'vfork', 'execve', 'execveat', 'exit', 'exit_group', 'wait4', 'waitid', 'waitpid', 'kill',
  'tkill', 'tgkill', 'getpid', 'getppid', 'gettid', 'getpgid', 'setpgid', 'getpgrp', 'getsid', 'setsid',
  'set_tid_address', 'set_robust_list', 'get_robust_list', 'futex', 'futex_time64', 'futex_waitv',
  'futex_wake', 'futex_wait', 'futex_requeue', 'rseq', 'restart_syscall', 'prctl', 'set_thread_area',
  'get_thread_area', 'set_tls', 'cacheflush', 'breakpoint', 'prlimit64', 'getrlimit', 'setrlimit',
  'ugetrlimit', 'getrusage', 'times', 'getpriority', 'setpriority', 'sched_yield', 'sched_getaffinity',
  'sched_setaffinity', 'sched_getparam', 'sched_setparam', 'sched_getscheduler', 'sched_setscheduler',
  'sched_get_priority_max', 'sched_get_priority_min', 'sched_rr_get_interval',
  'sched_rr_get_interval_time64', 'sched_getattr', 'sched_setattr', 'ioprio_get', 'ioprio_set',
  'capget', 'capset', 'seccomp', 'uname', 'getcpu', 'sysinfo', 'getrandom',
  'pidfd_open', 'pidfd_send_signal', 'pidfd_getfd', 'process_mrelease',
  // tracing inside the container's own pid namespace (strace, gdb): kernel ≥ 4.8
  // applies seccomp after ptrace, so this is no longer a filter bypass.
  'ptrace', 'process_vm_readv', 'process_vm_writev',
  'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self',
  'lsm_get_self_attr', 'lsm_set_self_attr', 'lsm_list_modules', 'uretprobe',
  // credentials (the kernel checks CAP_SETUID/CAP_SETGID)
  'getuid', 'getuid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getegid', 'getegid32',
  'getresuid', 'getresuid32', 'getresgid', 'getresgid32', 'getgroups', 'getgroups32', 'setuid',
  'setuid32', 'setgid', 'setgid32', 'setreuid', 'setreuid32', 'setregid', 'setregid32', 'setresuid',
  'setresuid32', 'setresgid', 'setresgid32', 'setfsuid', 'setfsuid32', 'setfsgid', 'setfsgid32',
  'setgroups', 'setgroups32',
  // signals
  'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'rt_sigsuspend', 'rt_sigpending',
  'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'sigaction',
  'sigprocmask', 'sigreturn', 'sigsuspend', 'sigpending', 'signal', 'sigaltstack', 'signalfd',
  'signalfd4', 'pause', 'alarm',
  // time and waiting (adjtimex/clock_adjtime only read unless CAP_SYS_TIME in the host)
  'nanosleep', 'clock_nanosleep', 'clock_nanosleep_time64', 'clock_gettime', 'clock_gettime64',
  'clock_getres', 'clock_getres_time64', 'gettimeofday', 'time', 'getitimer', 'setitimer',
  'timer_create', 'timer_delete', 'timer_settime', 'timer_settime64', 'timer_gettime',
  'timer_gettime64', 'timer_getoverrun', 'timerfd', 'timerfd_create', 'timerfd_settime',
  'timerfd_settime64', 'timerfd_gettime', 'timerfd_gettime64', 'adjtimex', 'clock_adjtime',
  'clock_adjtime64', 'poll', 'ppoll', 'ppoll_time64', 'select', '_newselect', 'pselect6',
  'pselect6_time64', 'epoll_create', 'epoll_create1', 'epoll_ctl', 'epoll_ctl_old', 'epoll_wait',
  'epoll_wait_old', 'epoll_pwait', 'epoll_pwait2', 'eventfd', 'eventfd2',
  // System V and POSIX IPC (namespaced)
  'ipc', 'msgget', 'msgsnd', 'msgrcv', 'msgctl', 'semget', 'semop', 'semtimedop', 'semtimedop_time64',
  'semctl', 'shmget', 'shmat', 'shmdt', 'shmctl', 'mq_open', 'mq_unlink', 'mq_timedsend',
  'mq_timedsend_time64', 'mq_timedreceive', 'mq_timedreceive_time64', 'mq_notify', 'mq_getsetattr',
  // sockets
  'socket', 'socketpair', 'socketcall', 'bind', 'connect', 'listen', 'accept', 'accept4',
  'getsockname', 'getpeername', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg',
  'recvmmsg_time64', 'send', 'recv', 'shutdown', 'setsockopt', 'getsockopt',
]

/** Allowed only when the container holds one of the caps; EPERM otherwise. */
const CAP_GATED: ReadonlyArray<{ caps: string[]; names: string[] }> = [
  {
    caps: ['CAP_SYS_ADMIN'],
    names: [
      'mount', 'umount', 'umount2', 'pivot_root', 'unshare', 'setns', 'sethostname', 'setdomainname',
      'fsopen', 'fsconfig', 'fsmount', 'fspick', 'move_mount', 'open_tree', 'open_tree_attr',
      'mount_setattr', 'name_to_handle_at', 'quotactl', 'quotactl_fd', 'lookup_dcookie', 'fanotify_init',
    ],
  },
  { caps: ['CAP_SYS_ADMIN', 'CAP_BPF'], names: ['bpf'] },
  { caps: ['CAP_SYS_ADMIN', 'CAP_PERFMON'], names: ['perf_event_open'] },
  { caps: ['CAP_SYS_ADMIN', 'CAP_SYSLOG'], names: ['syslog'] },
  { caps: ['CAP_SYS_CHROOT'], names: ['chroot'] },
  { caps: ['CAP_SYS_BOOT'], names: ['reboot'] },
  { caps: ['CAP_SYS_PACCT'], names: ['acct'] },
  { caps: ['CAP_SYS_PTRACE'], names: ['kcmp', 'process_madvise', 'userfaultfd'] },
  { caps: ['CAP_SYS_NICE'], names: ['move_pages', 'migrate_pages'] },
  { caps: ['CAP_SYS_RAWIO'], names: ['iopl', 'ioperm'] },
  { caps: ['CAP_SYS_TIME'], names: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'] },
  { caps: ['CAP_SYS_TTY_CONFIG'], names: ['vhangup'] },
  { caps: ['CAP_SYS_MODULE'], names: ['init_module', 'finit_module', 'delete_module'] },
]

/**
 * Never allowed, whatever the caps: kernel-global state that no namespace
 * isolates (keyrings, swap, kexec), the open_by_handle_at container escape,
 * and obsolete calls.
 */
const ALWAYS_DENIED = [
  'kexec_load', 'kexec_file_load', 'open_by_handle_at', 'keyctl', 'add_key', 'request_key', 'swapon',
  'swapoff', 'nfsservctl', 'bdflush', 'uselib', 'ustat', 'sysfs', '_sysctl', 'vm86', 'vm86old',
  'create_module', 'get_kernel_syms', 'query_module', 'pciconfig_iobase', 'pciconfig_read',
  'pciconfig_write', 'oldfstat', 'oldlstat', 'oldstat', 'olduname', 'oldolduname', 'sgetmask',
  'ssetmask', 'swapcontext', 'nice',
]

/** Namespace flags of clone(2): CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. */
const CLONE_NAMESPACE_FLAGS = 0x7e020000

/** personality(2) values glibc/util-linux use: PER_LINUX, UNAME26, ADDR_NO_RANDOMIZE, both, query. */
const PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff]

interface ArchInfo {
  architectures: string[]
  /** Allowed only on this architecture family. */
  extra: string[]
  /** Argument index of clone's flags (s390 swaps the first two). */
  cloneFlagsArg: number
}

const ARCHES: Record<string, ArchInfo> = {
  x64: { architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'], extra: ['arch_prctl', 'modify_ldt'], cloneFlagsArg: 0 },
  ia32: { architectures: ['SCMP_ARCH_X86'], extra: ['modify_ldt'], cloneFlagsArg: 0 },
  arm64: { architectures: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'], extra: [], cloneFlagsArg: 0 },
  arm: { architectures: ['SCMP_ARCH_ARM'], extra: [], cloneFlagsArg: 0 },
  ppc64: { architectures: ['SCMP_ARCH_PPC64LE'], extra: [], cloneFlagsArg: 0 },
  s390x: { architectures: ['SCMP_ARCH_S390X', 'SCMP_ARCH_S390'], extra: ['s390_pci_mmio_read', 's390_pci_mmio_write', 's390_runtime_instr'], cloneFlagsArg: 1 },
  riscv64: { architectures: ['SCMP_ARCH_RISCV64'], extra: [], cloneFlagsArg: 0 },
}

export interface SeccompOptions {
  /** The container's bounding capabilities (CAP_ names). */
  capabilities: readonly string[]
  /** Node's process.arch naming; default: this machine's. */
  arch?: string
}

export function defaultSeccompProfile(opts: SeccompOptions): OciSeccomp {
  const caps = new Set(opts.capabilities)
  const arch = ARCHES[opts.arch ?? process.arch] ?? { architectures: [], extra: [], cloneFlagsArg: 0 }
  const sysAdmin = caps.has('CAP_SYS_ADMIN')

  const allowed = [...BASE_ALLOWED, ...arch.extra]
  const denied = [...ALWAYS_DENIED]
  for (const group of CAP_GATED) {
    if (group.caps.some(c => caps.has(c))) allowed.push(...group.names)
    else denied.push(...group.names)
  }

  const syscalls: OciSyscallRule[] = [{ names: allowed, action: 'SCMP_ACT_ALLOW' }]
  if (sysAdmin) {
    syscalls.push({ names: ['clone', 'clone3'], action: 'SCMP_ACT_ALLOW' })
  } else {
    syscalls.push({
      names: ['clone'],
      action: 'SCMP_ACT_ALLOW',
      args: [{ index: arch.cloneFlagsArg, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
    })
    // clone3 passes its flags in memory, out of seccomp's sight: ENOSYS makes
    // glibc and musl fall back to clone, whose flags the rule above checks.
    syscalls.push({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS })
  }
  for (const p of PERSONALITIES) {
    syscalls.push({ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: p, op: 'SCMP_CMP_EQ' }] })
  }
  syscalls.push({ names: denied, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM })

  const profile: OciSeccomp = { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: ENOSYS, syscalls }
  if (arch.architectures.length > 0) profile.architectures = arch.architectures
  return profile
}
