import t from 'tap'
import { buildSpec, MASKED_PATHS, READONLY_PATHS, type BuildSpecInput, type HostFacts, type RunOptions } from './build.js'
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES } from './caps.js'
import { parseEntrypointFlag } from './command.js'
import { parseEnvArgs, parseEnvFile } from './env.js'
import { parseNetworkMode } from './network.js'
import type { ImageConfig, OciMount, OciSpec, ResolvedUser } from './types.js'

const ID = '0b7a3b6c6e1178f1d6f0782d36c144dcfcdf7fb9b62f71d8b52b961a56464569'
const SHORT = '0b7a3b6c6e11'
const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
const host: HostFacts = {
  env: { HOME: '/home/dev', FOO: 'from-host', FOO_BAR: 'fb', https_proxy: 'http://proxy:3128' },
  rlimits: { nofile: { soft: 1024, hard: 20000 }, nproc: { soft: 96364, hard: 96364 } },
  hostname: 'vm',
}
const root: ResolvedUser = { uid: 0, gid: 0, additionalGids: [], home: '/root' }
const nobody: ResolvedUser = { uid: 65534, gid: 65534, additionalGids: [65534], home: '/home' }
const busybox: ImageConfig = { Cmd: ['/bin/sh'] }

function build(options?: RunOptions, over: Partial<BuildSpecInput> = {}): OciSpec {
  return buildSpec({ id: ID, image: busybox, rootfs: '/store/overlay/x/merged', user: root, host, options, ...over })
}
const mount = (s: OciSpec, dest: string): OciMount | undefined => s.mounts.find(m => m.destination === dest)
const invalid = (message: string | RegExp) => ({ code: 'invalid-argument', message })

t.test('defaults match rootless podman 4 (podman create busybox)', async t => {
  const s = build()
  t.equal(s.ociVersion, '1.0.2-dev')
  t.same(s.process.user, { uid: 0, gid: 0, umask: 0o022 })
  t.same(s.process.args, ['/bin/sh'])
  t.strictSame(s.process.env, [PATH, 'TERM=xterm', 'container=podman', 'https_proxy=http://proxy:3128', 'HOME=/root', `HOSTNAME=${SHORT}`])
  t.equal(s.process.cwd, '/')
  t.equal(s.process.terminal, undefined)
  t.equal(s.process.noNewPrivileges, undefined)
  t.strictSame(s.process.capabilities, {
    bounding: [...DEFAULT_CAPABILITIES],
    effective: [...DEFAULT_CAPABILITIES],
    permitted: [...DEFAULT_CAPABILITIES],
  })
  t.strictSame(s.process.rlimits, [
    { type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 },
    { type: 'RLIMIT_NPROC', hard: 96364, soft: 96364 },
  ])
  t.strictSame(s.root, { path: '/store/overlay/x/merged' })
  t.equal(s.hostname, SHORT)
  t.strictSame(s.mounts, [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ])
  t.strictSame(s.linux.namespaces, [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }])
  t.strictSame(s.linux.sysctl, { 'net.ipv4.ping_group_range': '0 0' })
  t.strictSame(s.linux.maskedPaths, [
    '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats',
    '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/fs/selinux', '/sys/dev/block',
  ])
  t.strictSame(s.linux.readonlyPaths, ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'])
  // Rootless: no userns in the spec, no cgroup path, no limits, no device list.
  t.equal(s.linux.uidMappings, undefined)
  t.equal(s.linux.cgroupsPath, undefined)
  t.equal(s.linux.resources, undefined)
  t.equal(s.linux.devices, undefined)
  t.equal(s.linux.rootfsPropagation, undefined)
  t.equal(s.linux.seccomp?.defaultAction, 'SCMP_ACT_ERRNO')
  t.equal(s.linux.seccomp?.defaultErrnoRet, 38)
  t.strictSame(s.annotations, {
    'io.container.manager': 'tspod',
    'org.opencontainers.image.stopSignal': '15',
    'io.podman.annotations.init': 'FALSE',
    'io.podman.annotations.privileged': 'FALSE',
  })
  t.same(JSON.parse(JSON.stringify(s)), s, 'JSON-serialisable as is')
})

t.test('capabilities', async t => {
  const caps = (o: RunOptions, user: ResolvedUser = root) => build(o, { user }).process.capabilities
  const without = (...drop: string[]) => DEFAULT_CAPABILITIES.filter(c => !drop.includes(c))
  const cases: [string, RunOptions, string[]][] = [
    ['add without prefix, lower case', { capAdd: ['net_admin'] }, [...DEFAULT_CAPABILITIES, 'CAP_NET_ADMIN'].sort()],
    ['add with prefix', { capAdd: ['CAP_SYS_ADMIN'] }, [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'].sort()],
    ['add one already present', { capAdd: ['chown'] }, [...DEFAULT_CAPABILITIES]],
    ['drop', { capDrop: ['CHOWN', 'cap_kill'] }, without('CAP_CHOWN', 'CAP_KILL')],
    ['drop one not present', { capDrop: ['NET_RAW'] }, [...DEFAULT_CAPABILITIES]],
    ['add ALL', { capAdd: ['all'] }, [...ALL_CAPABILITIES].sort()],
    ['add ALL, drop two', { capAdd: ['ALL'], capDrop: ['NET_RAW', 'KILL'] }, ALL_CAPABILITIES.filter(c => c !== 'CAP_NET_RAW' && c !== 'CAP_KILL').sort()],
    ['drop ALL', { capDrop: ['ALL'] }, []],
    ['drop ALL, add one', { capDrop: ['ALL'], capAdd: ['NET_BIND_SERVICE'] }, ['CAP_NET_BIND_SERVICE']],
  ]
  for (const [name, o, want] of cases) {
    const c = caps(o)
    t.strictSame(c, { bounding: want, effective: want, permitted: want }, name)
  }
  t.throws(() => caps({ capAdd: ['NET_FOO'] }), invalid('"CAP_NET_FOO": unknown capability'))
  t.throws(() => caps({ capAdd: ['KILL'], capDrop: ['kill'] }), invalid('capability "CAP_KILL" cannot be dropped and added'))
  t.throws(() => caps({ capAdd: ['ALL'], capDrop: ['ALL'] }), invalid('adding all caps and removing all caps not allowed'))

  // podman -u nobody --cap-add NET_ADMIN --cap-drop chown: only the added cap
  // is effective for a non-root user, and ambient so it survives execve.
  t.strictSame(caps({ capAdd: ['NET_ADMIN'], capDrop: ['chown'] }, nobody), {
    bounding: [...without('CAP_CHOWN'), 'CAP_NET_ADMIN'].sort(),
    effective: ['CAP_NET_ADMIN'],
    inheritable: ['CAP_NET_ADMIN'],
    permitted: ['CAP_NET_ADMIN'],
    ambient: ['CAP_NET_ADMIN'],
  })
  t.strictSame(caps({}, nobody), { bounding: [...DEFAULT_CAPABILITIES] }, 'non-root, nothing added: no effective caps')
  t.strictSame(caps({ capDrop: ['all'] }, nobody), { bounding: [] })
  // A bounding set smaller than asked: caps runc cannot grant are left out.
  const limited = build({ capAdd: ['SYS_ADMIN'] }, { host: { ...host, boundingSet: [...DEFAULT_CAPABILITIES] } })
  t.strictSame(limited.process.capabilities?.bounding, [...DEFAULT_CAPABILITIES])
})

t.test('privileged', async t => {
  const devices = ['/dev/null', '/dev/fuse', '/dev/ptmx', '/dev/tty', '/dev/tty0', '/dev/net/tun', '/dev/kvm']
  const s = build({ privileged: true }, { host: { ...host, devices } })
  const all = [...ALL_CAPABILITIES].sort()
  t.strictSame(s.process.capabilities, { bounding: all, effective: all, permitted: all })
  t.equal(s.linux.maskedPaths, undefined)
  t.equal(s.linux.readonlyPaths, undefined)
  t.equal(s.linux.seccomp, undefined, 'seccomp unconfined')
  t.strictSame(mount(s, '/sys'), { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'rw'] })
  t.same(mount(s, '/sys/fs/cgroup')?.options?.at(-1), 'rw')
  const devMounts = s.mounts.filter(m => m.type === 'bind' && m.source?.startsWith('/dev/'))
  t.strictSame(devMounts.map(m => m.destination).sort(), ['/dev/fuse', '/dev/kvm', '/dev/net/tun', '/dev/null'], 'host devices except ptmx and ttys')
  t.strictSame(devMounts[0]?.options, ['slave', 'nosuid', 'noexec', 'rw', 'rbind'])
  t.equal(s.linux.rootfsPropagation, 'rslave', 'slave device mounts make the rootfs rslave')
  t.equal(s.annotations?.['io.podman.annotations.privileged'], 'TRUE')
  t.ok(s.mounts.findIndex(m => m.destination === '/dev') < s.mounts.findIndex(m => m.destination === '/dev/fuse'), '/dev before its devices')

  const h = build({ privileged: true, network: { mode: 'host' } })
  t.strictSame(mount(h, '/sys'), { destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'rw', 'rbind'] })
  t.equal(mount(h, '/sys/fs/cgroup'), undefined)

  const nonRoot = build({ privileged: true }, { user: nobody })
  t.strictSame(nonRoot.process.capabilities, { bounding: all }, 'privileged non-root: bounding only, as podman')

  const profile = { defaultAction: 'SCMP_ACT_ALLOW' as const }
  t.strictSame(build({ privileged: true, seccomp: profile }).linux.seccomp, profile, 'an explicit profile is kept')
})

t.test('read-only rootfs', async t => {
  const s = build({ readOnly: true })
  t.strictSame(s.root, { path: '/store/overlay/x/merged', readonly: true })
  for (const d of ['/run', '/tmp', '/var/tmp']) {
    t.strictSame(mount(s, d), { destination: d, type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'] }, d)
  }
  const bare = build({ readOnly: true, readOnlyTmpfs: false })
  t.equal(mount(bare, '/tmp'), undefined)
  t.equal(mount(build({ readOnlyTmpfs: true }), '/tmp'), undefined, 'only with --read-only')
})

t.test('tty', async t => {
  const s = build({ tty: true })
  t.equal(s.process.terminal, true)
  t.ok(s.process.env.includes('TERM=xterm'))
  // podman sets TERM=xterm (containers.conf env) with or without -t.
  t.ok(build().process.env.includes('TERM=xterm'))
  t.ok(build({ env: [['TERM', 'dumb']] }).process.env.includes('TERM=dumb'))
})

t.test('entrypoint and command, podman rules', async t => {
  const ep: ImageConfig = { Entrypoint: ['/entry', '-v'], Cmd: ['serve', '--port=1'] }
  const cases: [string, ImageConfig, RunOptions, string[]][] = [
    ['image ENTRYPOINT + CMD', ep, {}, ['/entry', '-v', 'serve', '--port=1']],
    ['run IMAGE args replaces CMD', ep, { command: ['check'] }, ['/entry', '-v', 'check']],
    ['--entrypoint resets CMD', ep, { entrypoint: parseEntrypointFlag('/other') }, ['/other']],
    ['--entrypoint + args', ep, { entrypoint: parseEntrypointFlag('/other'), command: ['a'] }, ['/other', 'a']],
    ['--entrypoint JSON form', ep, { entrypoint: parseEntrypointFlag('["/bin/echo","x"]'), command: ['y'] }, ['/bin/echo', 'x', 'y']],
    ['--entrypoint plain string is one element', ep, { entrypoint: parseEntrypointFlag('/bin/echo x') }, ['/bin/echo x']],
    ["--entrypoint '' + args", ep, { entrypoint: parseEntrypointFlag(''), command: ['echo', 'a'] }, ['echo', 'a']],
    ["--entrypoint '[]' keeps image CMD", ep, { entrypoint: parseEntrypointFlag('[]') }, ['serve', '--port=1']],
    ['CMD only', { Cmd: ['/bin/sh'] }, {}, ['/bin/sh']],
    ['CMD only, args', { Cmd: ['/bin/sh'] }, { command: ['ls', '-l'] }, ['ls', '-l']],
    ['ENTRYPOINT only', { Entrypoint: ['/e'] }, {}, ['/e']],
    ['null Cmd/Entrypoint, args', { Entrypoint: null, Cmd: null }, { command: ['true'] }, ['true']],
  ]
  for (const [name, image, o, want] of cases) t.strictSame(build(o, { image }).process.args, want, name)
  const noCmd = invalid('no command or entrypoint provided, and no CMD or ENTRYPOINT from image')
  t.throws(() => build({}, { image: {} }), noCmd)
  t.throws(() => build({ entrypoint: parseEntrypointFlag('') }, { image: ep }), noCmd, "--entrypoint '' drops the image CMD too")
  t.strictSame(parseEntrypointFlag('"x"'), ['"x"'], 'JSON that is not an array of strings stays one element')
  t.strictSame(parseEntrypointFlag('[1]'), ['[1]'])
})

t.test('init', async t => {
  const s = build({ initPath: '/usr/libexec/tspod/catatonit', command: ['echo', 'hi'] })
  t.strictSame(s.process.args, ['/run/tspod-init', '--', 'echo', 'hi'])
  t.strictSame(mount(s, '/run/tspod-init'), { destination: '/run/tspod-init', type: 'bind', source: '/usr/libexec/tspod/catatonit', options: ['bind', 'ro', 'rprivate'] })
  t.equal(s.annotations?.['io.podman.annotations.init'], 'TRUE')
  t.throws(() => build({ initPath: 'catatonit' }), invalid(/must be absolute/))
})

t.test('environment', async t => {
  const image: ImageConfig = { Cmd: ['x'], Env: ['PATH=/opt/bin:/bin', 'LANG=C.UTF-8', 'A=image'] }
  const s = build(
    {
      envFile: parseEnvFile('A=file\nB=file\n', host.env ?? {}, 'f.env'),
      env: parseEnvArgs(['B=flag', 'FOO', 'NOT_ON_HOST', 'HOME=/custom'], host.env ?? {}),
    },
    { image },
  )
  t.strictSame(s.process.env, [
    'PATH=/opt/bin:/bin',
    'TERM=xterm',
    'container=podman',
    'LANG=C.UTF-8',
    'A=file',
    'https_proxy=http://proxy:3128',
    'B=flag',
    'FOO=from-host',
    'HOME=/custom',
    `HOSTNAME=${SHORT}`,
  ], 'image < env-file < -e; -e K copies the host; HOME set by the user stays')
  const noProxy = build({ httpProxy: false })
  t.notOk(noProxy.process.env.some(e => e.startsWith('https_proxy=')))
  const envHost = build({ envHost: true, httpProxy: false })
  t.ok(envHost.process.env.includes('FOO_BAR=fb'))
  t.ok(envHost.process.env.includes('HOME=/home/dev'), '--env-host brings the host HOME')
  t.ok(build({ env: [['HOSTNAME', 'mine']] }).process.env.includes('HOSTNAME=mine'))
  t.notOk(build({}, { user: { uid: 1000, gid: 0, additionalGids: [0] } }).process.env.some(e => e.startsWith('HOME=')), 'no passwd entry: no HOME')
  t.ok(build({ env: [['EMPTY', '']] }).process.env.includes('EMPTY='), 'empty values keep their =')
})

t.test('workdir', async t => {
  t.equal(build({}, { image: { Cmd: ['x'], WorkingDir: '/app' } }).process.cwd, '/app')
  t.equal(build({}, { image: { Cmd: ['x'], WorkingDir: 'rel' } }).process.cwd, '/rel')
  t.equal(build({ workdir: '/tmp' }, { image: { Cmd: ['x'], WorkingDir: '/app' } }).process.cwd, '/tmp')
  t.throws(() => build({ workdir: 'tmp' }), invalid('workdir "tmp" is not an absolute path'))
})

t.test('network modes', async t => {
  const none = build({ network: parseNetworkMode('none') })
  t.strictSame(none.linux.namespaces.find(n => n.type === 'network'), { type: 'network' })

  const h = build({ network: parseNetworkMode('host') })
  t.notOk(h.linux.namespaces.some(n => n.type === 'network'))
  t.strictSame(h.linux.namespaces.map(n => n.type), ['pid', 'ipc', 'uts', 'mount'])
  t.strictSame(mount(h, '/sys'), { destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind'] })
  t.equal(mount(h, '/sys/fs/cgroup'), undefined)
  t.equal(h.linux.sysctl, undefined, 'no net.* sysctl in the host netns')
  t.strictSame(h.linux.maskedPaths, [...MASKED_PATHS, '/sys/kernel'])
  t.equal(h.hostname, 'vm', 'host network: the host name')
  t.ok(h.process.env.includes('HOSTNAME=vm'))
  t.equal(build({ network: { mode: 'host' }, hostname: 'box' }).hostname, 'box')

  const ns = build({ network: parseNetworkMode('ns:/run/user/1001/netns/x') })
  t.strictSame(ns.linux.namespaces[1], { type: 'network', path: '/run/user/1001/netns/x' })
  t.equal(mount(ns, '/sys')?.type, 'sysfs')

  t.strictSame(parseNetworkMode(undefined), { mode: 'none' }, 'none is the default for now')
  t.throws(() => parseNetworkMode('container:abc'), { code: 'unsupported', message: 'network mode "container:" is not supported yet' })
  t.throws(() => parseNetworkMode('bridge'), { code: 'unsupported' })
  t.throws(() => parseNetworkMode('ns:relative'), { code: 'invalid-argument' })
})

t.test('security options', async t => {
  t.equal(build({ noNewPrivileges: true }).process.noNewPrivileges, true)
  t.equal(build({ seccomp: 'unconfined' }).linux.seccomp, undefined)
  t.ok(build({ seccomp: 'unconfined' }).linux.maskedPaths, 'unconfined seccomp keeps masked paths')
})

t.test('user and groups', async t => {
  const s = build({}, { user: nobody })
  t.same(s.process.user, { uid: 65534, gid: 65534, umask: 0o022, additionalGids: [65534] })
  t.ok(s.process.env.includes('HOME=/home'))
  t.throws(() => build({}, { user: { uid: 70000, gid: 0, additionalGids: [] } }), invalid(/user 70000 is not mapped/))
  t.throws(() => build({}, { user: { uid: 0, gid: 70000, additionalGids: [] } }), invalid(/group 70000 is not mapped/))
  // A single-id user namespace (unshare -r): gid 5 does not exist there.
  const single = build({}, { host: { ...host, uidRanges: [{ containerID: 0, size: 1 }], gidRanges: [{ containerID: 0, size: 1 }] } })
  t.strictSame(mount(single, '/dev/pts')?.options, ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'])
})

t.test('hostname, annotations, stop signal, cgroupns, umask', async t => {
  t.equal(build({ hostname: 'web' }).hostname, 'web')
  t.throws(() => build({ hostname: 'x'.repeat(65) }), invalid(/invalid hostname/))
  const s = build({ annotations: { 'org.example': 'v', 'io.container.manager': 'me' } })
  t.equal(s.annotations?.['org.example'], 'v')
  t.equal(s.annotations?.['io.container.manager'], 'tspod', 'reserved keys are ours')
  t.equal(build({}, { image: { Cmd: ['x'], StopSignal: 'SIGQUIT' } }).annotations?.['org.opencontainers.image.stopSignal'], '3')
  t.equal(build({ stopSignal: 'kill' }, { image: { Cmd: ['x'], StopSignal: 'SIGQUIT' } }).annotations?.['org.opencontainers.image.stopSignal'], '9')
  t.throws(() => build({ stopSignal: 'SIGNOPE' }), invalid('invalid signal: SIGNOPE'))
  t.strictSame(build({ cgroupns: 'private' }).linux.namespaces.at(-1), { type: 'cgroup' })
  t.equal(build({ umask: 0o077 }).process.user.umask, 0o077)
  t.throws(() => build({}, { id: 'abc' }), invalid(/invalid container id/))
  t.throws(() => build({}, { rootfs: 'rel' }), invalid(/must be absolute/))
})

t.test('rlimits', async t => {
  const unlimited = build({}, { host: { ...host, rlimits: { nofile: { soft: 1024, hard: Infinity }, nproc: { soft: 10, hard: 4000 } } } })
  t.strictSame(unlimited.process.rlimits, [
    { type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 },
    { type: 'RLIMIT_NPROC', hard: 4000, soft: 4000 },
  ])
  const custom = build({ ulimits: [{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }, { type: 'RLIMIT_CORE', soft: 0, hard: 0 }] })
  t.strictSame(custom.process.rlimits, [
    { type: 'RLIMIT_NOFILE', soft: 100, hard: 200 },
    { type: 'RLIMIT_CORE', soft: 0, hard: 0 },
    { type: 'RLIMIT_NPROC', hard: 96364, soft: 96364 },
  ])
  t.throws(() => build({ ulimits: [{ type: 'RLIMIT_NOFILE', soft: 300, hard: 200 }] }), invalid(/invalid ulimit/))
})

t.test('extra mounts', async t => {
  const s = build({
    mounts: [
      { type: 'bind', source: '/home/dev/data', destination: '/data', readonly: true },
      { type: 'bind', source: '/home/dev/src', destination: '/src/', options: ['nosuid', 'nodev', 'rslave'] },
      { type: 'tmpfs', destination: '/dev/shm', size: 1024 * 1024, mode: 0o1777 },
      { type: 'tmpfs', destination: '/scratch', options: ['exec', 'notmpcopyup'] },
      { type: 'bind', source: '/host/deep', destination: '/a/b/c' },
    ],
  })
  t.strictSame(mount(s, '/data'), { destination: '/data', type: 'bind', source: '/home/dev/data', options: ['ro', 'rprivate', 'rbind'] })
  t.strictSame(mount(s, '/src'), { destination: '/src', type: 'bind', source: '/home/dev/src', options: ['nosuid', 'nodev', 'rslave', 'rw', 'rbind'] })
  t.strictSame(mount(s, '/dev/shm'), { destination: '/dev/shm', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'noexec', 'nosuid', 'nodev', 'size=1048576', 'mode=1777', 'tmpcopyup'] }, 'a user mount replaces the default')
  t.equal(s.mounts.filter(m => m.destination === '/dev/shm').length, 1)
  t.strictSame(mount(s, '/scratch')?.options, ['exec', 'rw', 'rprivate', 'nosuid', 'nodev'])
  t.equal(s.linux.rootfsPropagation, 'rslave')
  const depths = s.mounts.map(m => m.destination.split('/').filter(Boolean).length)
  t.strictSame(depths, [...depths].sort((a, b) => a - b), 'parents before children')
  t.throws(() => build({ mounts: [{ type: 'tmpfs', destination: 'tmp' }] }), invalid('invalid container path "tmp", must be an absolute path'))
  t.throws(() => build({ mounts: [{ type: 'bind', source: 'rel', destination: '/x' }] }), invalid(/invalid host path/))
  t.throws(() => build({ mounts: [{ type: 'bind', source: '/x', destination: '/x', readonly: true, options: ['rw'] }] }), invalid(/conflicting/))
})

t.test('the constants are podman 4.3 lists', async t => {
  t.equal(DEFAULT_CAPABILITIES.length, 11)
  t.equal(ALL_CAPABILITIES.length, 41)
  t.equal(MASKED_PATHS.length, 11)
  t.equal(READONLY_PATHS.length, 6)
})
