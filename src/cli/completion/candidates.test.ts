import t from 'tap'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { containerCandidates, graphRoot, imageCandidates } from './candidates.js'

function store(t: { teardown: (fn: () => void) => void }): string {
  const root = mkdtempSync(join(tmpdir(), 'tspod-candidates-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  return root
}

function container(root: string, name: string, status: string | undefined, id = name.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a')): string {
  const dir = join(root, 'containers', id)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'container.json'), JSON.stringify({ id, name }))
  if (status) writeFileSync(join(dir, 'state.json'), JSON.stringify({ status, restartCount: 0 }))
  return id
}

t.test('containers by state; no state file means created', async t => {
  const root = store(t)
  container(root, 'web', 'running', 'a'.repeat(64))
  container(root, 'job', 'exited', 'b'.repeat(64))
  container(root, 'new', undefined, 'c'.repeat(64))
  container(root, 'halting', 'stopping', 'd'.repeat(64))
  t.same(containerCandidates(root, 'all'), ['halting', 'job', 'new', 'web'])
  t.same(containerCandidates(root, 'running'), ['halting', 'web'])
  t.same(containerCandidates(root, 'stopped'), ['job', 'new'])
})

t.test('IDs once the word looks like one', async t => {
  const root = store(t)
  container(root, 'web', 'running', 'ab'.repeat(32))
  t.same(containerCandidates(root, 'all', ''), ['web'])
  t.same(containerCandidates(root, 'all', 'we'), ['web'])
  t.same(containerCandidates(root, 'all', 'aba'), ['abababababab', 'web'])
})

t.test('missing, partial and foreign files are skipped', async t => {
  const root = store(t)
  t.same(containerCandidates(root, 'all'), [], 'no containers directory')
  t.same(imageCandidates(root), [], 'no images.json')
  container(root, 'ok', 'exited', 'e'.repeat(64))
  mkdirSync(join(root, 'containers', 'f'.repeat(64)))
  writeFileSync(join(root, 'containers', 'f'.repeat(64), 'container.json'), '{"name": "hal')
  mkdirSync(join(root, 'containers', 'not-an-id'))
  writeFileSync(join(root, 'containers', 'containers.lock'), '')
  t.same(containerCandidates(root, 'all'), ['ok'])
  writeFileSync(join(root, 'images.json'), '{"version": 1, "images": [')
  t.same(imageCandidates(root), [], 'half-written images.json')
})

t.test('images: every name, IDs once typed', async t => {
  const root = store(t)
  const id = 'c0ffee'.padEnd(64, '1')
  writeFileSync(join(root, 'images.json'), JSON.stringify({ version: 1, images: [
    { id, names: ['docker.io/library/busybox:latest', 'localhost/b:1'] },
    { id: '2'.repeat(64), names: [] },
  ] }))
  t.same(imageCandidates(root), ['docker.io/library/busybox:latest', 'localhost/b:1'])
  t.same(imageCandidates(root, 'c0f'), ['c0ffee111111', 'docker.io/library/busybox:latest', 'localhost/b:1'])
})

t.test('graph root: --root, then TSPOD_ROOT, then XDG_DATA_HOME', async t => {
  t.equal(graphRoot('/x/y', { TSPOD_ROOT: '/z' }), '/x/y')
  t.equal(graphRoot(undefined, { TSPOD_ROOT: '/z' }), '/z')
  t.equal(graphRoot(undefined, { XDG_DATA_HOME: '/d' }), '/d/tspod')
})
