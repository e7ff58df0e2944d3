/** Is fuse-overlayfs usable: the program on the PATH and /dev/fuse open to this user. */
import t from 'tap'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkFuseOverlayfs } from './fuse-check.js'

const dir = mkdtempSync(join(tmpdir(), 'tspod-fuse-check-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const program = join(dir, 'fuse-overlayfs')
writeFileSync(program, '#!/bin/sh\n')
chmodSync(program, 0o755)
const device = join(dir, 'fuse')
writeFileSync(device, '')

t.test('installed and the device usable', async t => {
  chmodSync(device, 0o600)
  t.same(checkFuseOverlayfs({ PATH: dir }, device), { ok: true, program })
})

t.test('what is missing, and the fix', async t => {
  t.same(checkFuseOverlayfs({ PATH: join(dir, 'empty') }, device), {
    ok: false,
    reason: 'fuse-overlayfs is not installed',
    fix: 'install fuse-overlayfs (apt-get install fuse-overlayfs)',
  })
  t.same(checkFuseOverlayfs({ PATH: dir }, join(dir, 'no-such-device')), {
    ok: false,
    reason: `${join(dir, 'no-such-device')} does not exist`,
    fix: 'load the fuse kernel module (modprobe fuse)',
  })
  chmodSync(device, 0o400)
  t.same(checkFuseOverlayfs({ PATH: dir }, device), {
    ok: false,
    reason: `${device} is not readable and writable by this user`,
    fix: `let users open it (chmod 666 ${device})`,
  })
})

t.test('this machine: fuse-overlayfs installed, /dev/fuse usable (tspod tests need it: .ci/run chmods it 666)', async t => {
  const r = checkFuseOverlayfs()
  t.same(r, { ok: true, program: '/usr/bin/fuse-overlayfs' })
})
