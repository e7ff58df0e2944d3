// mount/umount bindings, used by a Node process running inside the namespace.
import t from 'tap'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { nodeWithTs, tempNamespace } from '../src/rootless/testing.js'
import { mount, umount } from './mount.js'

const mountModule = new URL('./mount.ts', import.meta.url).pathname

t.test('inside the namespace, Node mounts with the binding; the mount persists for the next invocation', async t => {
  const ns = await tempNamespace(t)
  const dir = join(ns.dataDir, 'mnt')
  const inNode = (code: string) => {
    const argv = [...ns.enter, ...nodeWithTs(`const m = await import(${JSON.stringify(mountModule)}); ${code}`)]
    return execa(argv[0]!, argv.slice(1), { reject: false })
  }
  const mounted = await inNode(
    `(await import('node:fs')).mkdirSync(${JSON.stringify(dir)}); m.mount('tmpfs', ${JSON.stringify(dir)}, 'tmpfs', m.MS_NOSUID | m.MS_NODEV, 'size=1m,mode=755');` +
      `(await import('node:fs')).writeFileSync(${JSON.stringify(join(dir, 'f'))}, 'on tmpfs')`,
  )
  t.equal(mounted.exitCode, 0, mounted.stderr)
  const seen = await execa(ns.enter[0]!, [...ns.enter.slice(1), 'sh', '-c', `grep " ${dir} " /proc/self/mounts; cat ${dir}/f`])
  t.match(seen.stdout, `tmpfs ${dir} tmpfs rw,nosuid,nodev`)
  t.match(seen.stdout, 'on tmpfs')
  t.notOk(existsSync(join(dir, 'f')), 'not on the host')

  const unmounted = await inNode(`m.umount(${JSON.stringify(dir)}, m.MNT_DETACH)`)
  t.equal(unmounted.exitCode, 0, unmounted.stderr)
  const gone = await execa(ns.enter[0]!, [...ns.enter.slice(1), 'sh', '-c', `grep -c " ${dir} " /proc/self/mounts`], { reject: false })
  t.equal(gone.stdout, '0')
})

t.test('outside the namespace: Node-shaped EPERM / EINVAL errors', async t => {
  t.throws(() => mount('tmpfs', '/tmp', 'tmpfs', 0), { code: 'EPERM', syscall: 'mount', path: '/tmp' })
  t.throws(() => umount('/nonexistent-tspod'), { code: 'ENOENT', syscall: 'umount2', path: '/nonexistent-tspod' })
})
