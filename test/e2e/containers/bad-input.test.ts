// What `run` and `create` must refuse: one `Error: …` line, exit 125, and
// nothing left behind — `ps -a` as before, no new entry under the store's
// containers/ or anywhere in the run root (no bundle, no shim log, no shim).
import t from 'tap'
import { join } from 'node:path'
import { assertOneLineError, listTree, ok, runDetached, storeWith, tspod, waitFor, withImages } from './helpers.js'

const images = await withImages(t)
const env = await storeWith(t, images, [images.busybox, images.layers])
const busybox = images.busybox.reference

// A container that exists, so "unchanged" means something and its name is taken.
await runDetached(t, env, ['--name', 'taken', busybox, 'sleep', '600'])

async function snapshot() {
  return {
    ps: (JSON.parse((await tspod(env, ['ps', '-a', '--format', 'json'])).stdout) as { Id: string; Names: string[]; State: string }[]).map(c => `${c.Id} ${c.Names.join()} ${c.State}`),
    containers: listTree(join(env.root, 'containers')),
    runroot: listTree(env.runroot),
    shims: await shimCount(),
  }
}

/** Shims of this store (started ahead of time by run/create, or running a container). */
async function shimCount(): Promise<number> {
  const { readdirSync, readFileSync } = await import('node:fs')
  let n = 0
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const log = readFileSync(`/proc/${pid}/environ`, 'utf8')
      if (cmd.includes('shim.cjs') && log.includes(env.runtimeDir)) n++
    } catch {}
  }
  return n
}

const CASES: [string, string[], RegExp][] = [
  ['no such image', ['run', '--rm', `${images.reg.host}/no-such-image`, 'true'], /no-such-image.*manifest unknown/],
  ['no such image, --pull=never', ['run', '--pull=never', `${images.reg.host}/no-such-image`, 'true'], /image not known/],
  ['duplicate name', ['run', '--name', 'taken', busybox, 'true'], /the container name "taken" is already in use/],
  ['duplicate name (create)', ['create', '--name', 'taken', busybox], /the container name "taken" is already in use/],
  ['invalid name', ['run', '--name', 'bad/name', busybox, 'true'], /names must match|invalid/],
  ['bad -u (unknown user)', ['run', '--rm', '-u', 'nosuchuser', busybox, 'true'], /unable to find user nosuchuser/],
  ['bad -u (unknown group)', ['run', '--rm', '-u', '0:nosuchgroup', busybox, 'true'], /unable to find group nosuchgroup/],
  ['bad -u (not in the image)', ['create', '-u', 'app', busybox], /unable to find user app/],
  ['bad --restart', ['run', '--restart', 'sometimes', busybox, 'true'], /invalid restart policy/],
  ['bad --restart count', ['run', '--restart', 'on-failure:x', busybox, 'true'], /restart count "x"/],
  ['unknown flag', ['run', '--no-such-flag', busybox, 'true'], /unknown flag: --no-such-flag/],
  ['--rm with --restart always', ['run', '--rm', '--restart', 'always', busybox, 'true'], /--rm option conflicts with --restart/],
  ['bad --pull', ['run', '--pull', 'sometimes', busybox, 'true'], /pull policy/],
  ['missing image argument', ['run'], /requires at least 1 arg|IMAGE|not enough/i],
]

for (const [what, args, pattern] of CASES) {
  t.test(what, async t => {
    const before = await snapshot()
    const r = await tspod(env, args)
    assertOneLineError(t, r, pattern, what)
    // A shim started ahead of time exits once the CLI lets it go: give it a moment.
    await waitFor('the shims to be as before', async () => (await shimCount()) === before.shims, 5000).catch(() => {})
    t.same(await snapshot(), before, `${what}: ps -a, containers/, the run root and the shims as before`)
  })
}

t.test('the container that was there is untouched', async t => {
  t.match((await ok(t, env, ['ps', '--format', '{{.Names}}'])).stdout, /^taken$/m)
  await ok(t, env, ['rm', '-f', '-t', '0', 'taken'])
})
