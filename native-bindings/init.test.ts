// tspod-init: the PID 1 of `tspod run --init` containers.
import t from 'tap'
import { execa } from 'execa'
import type { Readable } from 'node:stream'
import { nativeHelperPath } from '../src/rootless/helpers.js'

function lineSeen(stream: Readable, wanted: string): Promise<void> {
  return new Promise(resolve => {
    let text = ''
    const onData = (chunk: Buffer) => {
      text += chunk.toString()
      if (text.split('\n').includes(wanted)) {
        stream.off('data', onData)
        resolve()
      }
    }
    stream.on('data', onData)
  })
}

const init = nativeHelperPath('init')

t.test('it is a static executable (images may have no libc)', async t => {
  const r = await execa('file', ['-L', init], { reject: false })
  t.equal(r.exitCode, 0, 'file(1) is installed')
  t.match(r.stdout, /statically linked/)
})

t.test('exit status: the child code, 128+N for signal N, 127/126 for exec failures', async t => {
  t.equal((await execa(init, ['sh', '-c', 'exit 3'], { reject: false })).exitCode, 3)
  t.equal((await execa(init, ['--', 'true'], { reject: false })).exitCode, 0)
  t.equal((await execa(init, ['sh', '-c', 'kill -KILL $$'], { reject: false })).exitCode, 137)
  const missing = await execa(init, ['no-such-command-tspod'], { reject: false })
  t.equal(missing.exitCode, 127)
  t.match(missing.stderr, /tspod-init: exec no-such-command-tspod: No such file or directory/)
  t.equal((await execa(init, ['/etc'], { reject: false })).exitCode, 126)
  t.equal((await execa(init, [], { reject: false })).exitCode, 125, 'no command')
})

t.test('SIGTERM is forwarded to the child, whose status is returned', async t => {
  const child = execa(init, ['sh', '-c', 'trap "echo got TERM; exit 42" TERM; echo ready; while :; do sleep 0.05; done'], {
    reject: false,
  })
  await lineSeen(child.stdout, 'ready')
  child.kill('SIGTERM')
  const r = await child
  t.equal(r.exitCode, 42)
  t.match(r.stdout, /got TERM/)
})

t.test('other signals reach the whole process group of the child', async t => {
  // The grandchild (sleep) gets SIGUSR1 too and dies of it.
  const child = execa(
    init,
    [
      'sh',
      '-c',
      // "ready" once sleep has really been exec'd (before that, the forked shell would catch the signal).
      'trap "echo sh got USR1" USR1; sleep 30 & p=$!; until [ "$(cat /proc/$p/comm)" = sleep ]; do :; done; echo ready; wait $p; wait $p; echo "sleep status $?"',
    ],
    { reject: false },
  )
  await lineSeen(child.stdout, 'ready')
  child.kill('SIGUSR1')
  const r = await child
  t.match(r.stdout, /sh got USR1/)
  t.match(r.stdout, /sleep status 138/, 'sleep was killed by SIGUSR1 (10)')
  t.equal(r.exitCode, 0)
})

t.test('orphans are reparented to init and reaped (no zombies)', async t => {
  // The inner sh exits at once, orphaning `sleep 0.3`; init (a subreaper
  // outside a pid namespace) adopts it and must reap it when it exits.
  const script = [
    'sh -c "sleep 0.3 >/dev/null 2>&1 & echo \\$! > /dev/shm/tspod-init-test.$$"',
    'o=$(cat /dev/shm/tspod-init-test.$$); rm -f /dev/shm/tspod-init-test.$$',
    'sleep 0.1',
    'echo "orphan parent $(cut -d" " -f4 /proc/$o/stat)"',
    'sleep 0.6',
    'if [ -e /proc/$o ]; then echo "orphan state $(cut -d" " -f3 /proc/$o/stat)"; else echo "orphan reaped"; fi',
  ].join('; ')
  const child = execa(init, ['sh', '-c', script], { reject: false })
  const r = await child
  t.equal(r.exitCode, 0, r.stderr)
  t.match(r.stdout, `orphan parent ${child.pid}`, 'adopted by init')
  t.match(r.stdout, 'orphan reaped')
})

t.test('as PID 1 of a pid namespace: reaps, forwards signals sent from inside', async t => {
  const unshare = await execa('sh', ['-c', 'command -v unshare'], { reject: false })
  t.equal(unshare.exitCode, 0, 'unshare(1) (util-linux) is installed')
  const script = [
    'echo "pid $$ parent $PPID"',
    'sh -c "sleep 0.1 >/dev/null 2>&1 &"',
    'sleep 0.4',
    'echo "zombies $(cat /proc/[0-9]*/stat 2>/dev/null | grep -c \\") Z \\")"',
    'trap "echo forwarded; exit 5" TERM',
    'kill -TERM 1',
    'sleep 5 & wait',
  ].join('; ')
  const r = await execa('unshare', ['--user', '--map-root-user', '--pid', '--fork', '--mount-proc', init, 'sh', '-c', script], {
    reject: false,
  })
  t.match(r.stdout, 'pid 2 parent 1', 'init is PID 1')
  t.match(r.stdout, 'zombies 0')
  t.match(r.stdout, 'forwarded', 'a signal to PID 1 from inside the namespace is forwarded')
  t.equal(r.exitCode, 5)
})
