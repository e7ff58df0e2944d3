/**
 * Integration: a spec from buildSpec, run for real by runc inside an
 * `unshare -Urm` user namespace (one id mapped: the caller is root there).
 * Checks what the container sees: argv/PID 1, hostname, masked and read-only
 * /proc paths, the capability set, seccomp, devices, loopback networking.
 * runc, unshare and /bin/busybox are required: a missing one fails the test.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { execa } from 'execa'
import t from 'tap'
import { buildSpec, MASKED_PATHS, type HostFacts, type Limit, type RunOptions } from './build.js'
import { DEFAULT_CAPABILITIES, capabilityMask } from './caps.js'
import { resolveUser } from './user.js'

async function requireTool(name: string): Promise<string> {
  if (name.startsWith('/')) {
    await access(name, constants.X_OK).catch(() => {
      throw new Error(`${name} is missing: this test needs it (Debian package busybox-static)`)
    })
    return name
  }
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin:/usr/sbin:/sbin').split(delimiter)) {
    const p = join(dir, name)
    if (await access(p, constants.X_OK).then(() => true, () => false)) return p
  }
  throw new Error(`${name} not found in PATH: this test needs it`)
}

/** "Max open files  1024  20000  files" → soft/hard. */
async function ownLimits(): Promise<{ nofile: Limit; nproc: Limit }> {
  const text = await readFile('/proc/self/limits', 'utf8')
  const get = (label: string): Limit => {
    const line = text.split('\n').find(l => l.startsWith(label))
    const fields = line?.slice(label.length).trim().split(/\s+/) ?? []
    const num = (s: string | undefined) => (s === 'unlimited' ? Infinity : Number(s))
    return { soft: num(fields[0]), hard: num(fields[1]) }
  }
  return { nofile: get('Max open files'), nproc: get('Max processes') }
}

const SCRIPT = `
echo "pid=$$"
echo "hostname=$(hostname)"
for p in ${MASKED_PATHS.join(' ')}; do
  if [ -d $p ]; then echo "masked $p directory entries=$(ls -A $p | wc -l)"
  elif [ -e $p ]; then echo "masked $p $(stat -c %F $p) bytes=$(wc -c < $p)"
  else echo "masked $p absent"; fi
done
grep -E '^(CapEff|CapBnd|Seccomp):' /proc/self/status
echo x 2>&1 > /proc/sys/kernel/domainname | sed 's/^/procsys=/'
echo "procsys-mount=$(awk '$5 == "/proc/sys" { print $6 }' /proc/self/mountinfo | cut -d, -f1)"
unshare -U true 2>&1 | sed 's/^/unshare-out=/'
echo "devnull=$(stat -c %F /dev/null)"
echo "netdevs=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' ')"
echo "lo=$(cat /sys/class/net/lo/operstate)"
echo "cwd=$(pwd) home=$HOME term=$TERM container=$container"
`

t.test('runc runs a spec from buildSpec', async t => {
  const runc = await requireTool('runc')
  const unshare = await requireTool('unshare')
  const busybox = await requireTool('/bin/busybox')

  const tmp = await mkdtemp(join(tmpdir(), 'tspod-spec-'))
  t.teardown(() => rm(tmp, { recursive: true, force: true }))
  const rootfs = join(tmp, 'rootfs')
  for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root']) await mkdir(join(rootfs, d), { recursive: true })
  await copyFile(busybox, join(rootfs, 'bin/busybox'))
  await chmod(join(rootfs, 'bin/busybox'), 0o755)
  // What `busybox --install -s` does, with relative links: its own links
  // would point at the host binary's real path (/usr/bin/busybox here).
  const applets = (await execa(busybox, ['--list'])).stdout.split('\n').filter(a => a && a !== 'busybox')
  await Promise.all(applets.map(a => symlink('busybox', join(rootfs, 'bin', a))))
  await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
  await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\n')

  const single = [{ containerID: 0, size: 1 }]
  const host: HostFacts = { env: {}, rlimits: await ownLimits(), uidRanges: single, gidRanges: single }
  const user = await resolveUser({
    user: '',
    readFile: p => readFile(join(rootfs, p)).catch(() => undefined),
    gidRanges: single,
  })
  t.strictSame(user, { uid: 0, gid: 0, additionalGids: [], home: '/root' })

  const run = async (name: string, options: RunOptions) => {
    const id = randomBytes(32).toString('hex')
    const bundle = join(tmp, name)
    await mkdir(bundle)
    const spec = buildSpec({ id, image: { Cmd: ['/bin/sh', '-c', SCRIPT] }, rootfs, user, options, host })
    await writeFile(join(bundle, 'config.json'), JSON.stringify(spec, null, 2))
    const r = await execa(unshare, ['-Urm', runc, '--root', join(tmp, 'state'), 'run', '--bundle', bundle, id], { reject: false })
    t.equal(r.exitCode, 0, `runc run exits 0 (${name}); stderr: ${r.stderr}`)
    const out = new Map<string, string>()
    for (const line of r.stdout.split('\n')) {
      const m = /^([\w-]+)[=:]\s*(.*)$/.exec(line)
      if (m) out.set(m[1] as string, m[2] as string)
    }
    return { id, out, stdout: r.stdout }
  }

  const { id, out, stdout } = await run('default', { network: { mode: 'none' } })
  t.comment(stdout)
  t.equal(out.get('pid'), '1', 'the command is PID 1')
  t.equal(out.get('hostname'), id.slice(0, 12))
  // A masked file becomes /dev/null, a masked directory an empty read-only
  // tmpfs; paths this kernel lacks (often /proc/kcore) stay absent.
  for (const p of MASKED_PATHS) {
    const onHost = await stat(p).catch(() => undefined)
    const want = !onHost ? 'absent' : onHost.isDirectory() ? 'directory entries=0' : 'character special file bytes=0'
    const line = stdout.split('\n').find(l => l.startsWith(`masked ${p} `))
    t.equal(line?.slice(`masked ${p} `.length).trim(), want, `${p} masked`)
  }
  t.equal(out.get('CapEff'), capabilityMask(DEFAULT_CAPABILITIES).toString(16).padStart(16, '0'), 'CapEff is the default set')
  t.equal(out.get('CapBnd'), out.get('CapEff'))
  t.equal(out.get('Seccomp'), '2', 'a seccomp filter is active')
  t.match(out.get('procsys') ?? '', /Read-only file system/, '/proc/sys is read-only')
  t.equal(out.get('procsys-mount'), 'ro')
  t.match(out.get('unshare-out') ?? '', /Operation not permitted/, 'seccomp refuses unshare(CLONE_NEWUSER)')
  t.equal(out.get('devnull'), 'character special file', 'runc bind-mounted /dev/null')
  t.equal(out.get('netdevs'), 'lo ', 'network none: loopback only')
  t.equal(out.get('lo'), 'unknown', 'loopback is up (operstate "unknown")')
  t.equal(out.get('cwd'), '/ home=/root term=xterm container=podman')

  // The control: without seccomp the same unshare works, so the check above
  // is about the profile and not about the namespace setup.
  const unconfined = await run('unconfined', { network: { mode: 'none' }, seccomp: 'unconfined' })
  t.equal(unconfined.out.get('Seccomp'), '0')
  t.equal(unconfined.out.get('unshare-out'), undefined, `unshare works unconfined: ${unconfined.stdout}`)
})
