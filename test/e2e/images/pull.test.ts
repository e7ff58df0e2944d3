// `tspod pull` of every fixture from a real registry, as the unprivileged
// user, and what ends up in the store: listings, inspect fields, and the
// unpacked layers on disk (ownership through the subordinate id map, special
// bits, hard links, whiteouts and opaque directories as overlayfs reads them).
import t from 'tap'
import { execa } from 'execa'
import { existsSync, lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  APP_UID,
  BUSYBOX_FACTS,
  hostArchitecture,
  LAYERS_FACTS,
  MULTIARCH_PLATFORMS,
  NOBODY,
  PLATFORM_FILE,
  PLATFORM_LABEL,
  pushFixture,
  pushFixtures,
} from '../../harness/fixtures.js'
import { withRegistry } from '../../harness/registry.js'
import { makeStoreEnv, TSPOD_CLI } from '../../harness/tspod.js'
import { requireTools } from '../../harness/tools.js'
import { assertStoreConsistent, inspectImage, layerDirs, ok, readImagesJson, statMerged, subordinateStarts } from '../../harness/store-checks.js'

const reg = await withRegistry(t)
const fx = await pushFixtures(reg, ['busybox', 'layers', 'multiarch', 'multiarch-docker'])
const idOf = (name: keyof typeof fx, i = 0) => fx[name].built.images[i]!.configDigest.slice('sha256:'.length)
const host = reg.host

/** Rows of the `images` table, split on its column gaps. */
function tableRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter(l => l !== '')
    .map(l => l.split(/\s{2,}/))
}

t.test('busybox: pull, then images and image inspect', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const id = idOf('busybox')
  const image = fx.busybox.built.images[0]!

  const pull = await ok(t, env, ['pull', `${host}/busybox`])
  t.equal(pull.stdout, `${id}\n`, 'stdout is the image ID alone')
  t.match(pull.stderr, `Trying to pull ${host}/busybox:latest...`, 'normalised to the latest tag')
  t.match(pull.stderr, `Copying blob ${image.layers[0]!.digest}`, 'progress names the layer blob')
  t.match(pull.stderr, `Copying config ${image.configDigest}`, 'and the config')
  t.match(pull.stderr, 'Writing manifest to image destination')

  const table = tableRows((await ok(t, env, ['images'])).stdout)
  t.same(table[0], ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], 'podman columns')
  t.equal(table.length, 2, 'one image')
  t.same(table[1]!.slice(0, 3), [`${host}/busybox`, 'latest', id.slice(0, 12)], 'name, tag and short ID')
  t.match(table[1]![4], /^\d+(\.\d+)? [kMG]?B$/, 'human size')

  t.equal((await ok(t, env, ['images', '-q'])).stdout, `${id.slice(0, 12)}\n`, 'images -q')
  t.equal((await ok(t, env, ['images', '-q', '--no-trunc'])).stdout, `sha256:${id}\n`, 'images -q --no-trunc')
  t.equal((await ok(t, env, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).stdout, `${host}/busybox:latest\n`, 'Go template')
  t.equal((await ok(t, env, ['images', '--format', '{{.ID}} {{.Digest}}'])).stdout, `${id.slice(0, 12)} ${fx.busybox.digest}\n`, 'ID and digest fields')

  const json = JSON.parse((await ok(t, env, ['images', '--format', 'json'])).stdout) as Record<string, unknown>[]
  t.equal(json.length, 1)
  t.equal(json[0]!.Id, id)
  t.same(json[0]!.Names, [`${host}/busybox:latest`])
  t.same(json[0]!.RepoDigests, [`${host}/busybox@${fx.busybox.digest}`])
  t.equal(json[0]!.Digest, fx.busybox.digest)

  const inspected = await inspectImage(t, env, `${host}/busybox:latest`)
  t.equal(inspected.Id, id)
  t.same(inspected.RepoTags, [`${host}/busybox:latest`])
  t.same(inspected.RepoDigests, [`${host}/busybox@${fx.busybox.digest}`])
  t.same(inspected.RootFS, { Type: 'layers', Layers: image.layers.map(l => l.diffId) }, 'RootFS.Layers are the config diff_ids')
  t.same(inspected.RootFS.Layers, (image.config as unknown as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids)
  t.same(inspected.Config.Cmd, BUSYBOX_FACTS.config.cmd)
  t.same(inspected.Config.Env, BUSYBOX_FACTS.config.env)
  t.equal(inspected.Architecture, hostArchitecture())
  t.equal(inspected.Os, 'linux')
  t.equal(inspected.Size, json[0]!.Size, 'the same size in images and inspect')
  t.ok(inspected.Size > image.layers[0]!.size, 'size counts the uncompressed layer')

  // The same image by short name, by ID prefix, by full ID with sha256:.
  for (const name of ['busybox', 'busybox:latest', id.slice(0, 6), `sha256:${id}`, fx.busybox.digestReference]) {
    const r = await ok(t, env, ['image', 'inspect', '--format', '{{.Id}}', name])
    t.equal(r.stdout, `${id}\n`, `image inspect ${name}`)
  }
  const templ = await ok(t, env, ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}} {{index .RepoTags 0}}', 'busybox'])
  t.equal(templ.stdout, `linux/${hostArchitecture()} ${host}/busybox:latest\n`, 'inspect --format template')

  // Pulling what is already there: -q prints the ID and nothing else.
  const again = await ok(t, env, ['pull', '-q', fx.busybox.reference])
  t.equal(again.stdout, `${id}\n`)
  t.equal(again.stderr, '', '-q: nothing on stderr')
  t.equal(readImagesJson(env).length, 1, 'still one image record')
  await assertStoreConsistent(t, env, 'after two pulls')
})

t.test('layers: 4 layers unpacked as the image says, owners mapped through the subordinate range', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const id = idOf('layers')
  const built = fx.layers.built.images[0]!

  const pull = await ok(t, env, ['pull', '-q', fx.layers.reference])
  t.equal(pull.stdout, `${id}\n`, '-q prints only the ID')
  t.equal(pull.stderr, '', '-q prints no progress')

  const image = await inspectImage(t, env, fx.layers.reference)
  const c = LAYERS_FACTS.config
  t.same(image.RootFS.Layers, built.layers.map(l => l.diffId), 'RootFS.Layers = config diff_ids')
  t.equal(image.RootFS.Layers.length, LAYERS_FACTS.layerCount)
  t.equal(image.Config.User, c.user)
  t.equal(image.Config.WorkingDir, c.workingDir)
  t.same(image.Config.Env, c.env)
  t.same(image.Config.Entrypoint, c.entrypoint)
  t.same(image.Config.Cmd, c.cmd)
  t.same(image.Config.Labels, c.labels)
  t.same(image.Labels, c.labels)
  t.equal(image.Config.StopSignal, c.stopSignal)
  t.same(Object.keys(image.Config.ExposedPorts as object).sort(), c.exposedPorts)
  t.same(Object.keys(image.Config.Volumes as object).sort(), c.volumes)

  const dirs = layerDirs(image)
  t.equal(dirs.length, 4, 'one directory per layer')
  for (const d of dirs) t.ok(existsSync(d), `${d} exists`)

  // On the host: container id N > 0 is subordinate id start + N - 1.
  const sub = subordinateStarts()
  const appFile = join(dirs[3]!, 'app/hello.txt')
  t.equal(lstatSync(appFile).uid, sub.uid + APP_UID - 1, `a file owned by ${APP_UID} in the image is owned by subuid_start+${APP_UID - 1} on the host`)
  t.equal(lstatSync(appFile).gid, sub.gid + APP_UID - 1, 'and its group likewise')
  const nobody = join(dirs[1]!, 'srv/nobody-file')
  t.equal(lstatSync(nobody).uid, sub.uid + NOBODY - 1, '65534 maps to the end of the range')
  const rootOwned = join(dirs[1]!, 'srv/suid')
  t.equal(lstatSync(rootOwned).uid, process.getuid!(), 'container root is the user')
  t.equal(lstatSync(rootOwned).mode & 0o7777, 0o4755, 'setuid bit kept on disk')
  const [a, b] = [lstatSync(join(dirs[1]!, 'srv/hardlink-a')), lstatSync(join(dirs[1]!, 'srv/hardlink-b'))]
  t.equal(a.ino, b.ino, 'hard links share an inode')
  t.equal(a.nlink, 2)
  const wh = lstatSync(join(dirs[2]!, 'srv/to-be-deleted'))
  t.ok(wh.isCharacterDevice() && wh.rdev === 0, '.wh.to-be-deleted became a 0/0 character device (overlay whiteout)')
  t.notOk(existsSync(join(dirs[2]!, 'srv/.wh.to-be-deleted')), 'the .wh. file itself is not kept')
  t.notOk(existsSync(join(dirs[2]!, 'srv/opaque/.wh..wh..opq')), 'the opaque marker file is not kept')

  // Inside the namespace the ids are the image's own.
  const st = await ok(t, env, ['unshare', 'stat', '-c', '%u:%g %a', appFile, nobody, rootOwned])
  t.equal(st.stdout, `${APP_UID}:${APP_UID} 644\n${NOBODY}:${NOBODY} 600\n0:0 4755\n`, 'tspod unshare stat shows the image ids')

  // The merged view, through a real overlay mount as a container gets it.
  const merged = await statMerged(t, env, image, [...LAYERS_FACTS.entries.map(e => e.path), ...LAYERS_FACTS.absent])
  for (const f of LAYERS_FACTS.entries) {
    const e = merged.get(f.path)
    if (!e) {
      t.fail(`${f.path} exists in the merged view`)
      continue
    }
    t.equal(e.type, f.type, `${f.path} is a ${f.type}`)
    if (f.uid !== undefined) t.equal(e.uid, f.uid, `${f.path} uid ${f.uid}`)
    if (f.gid !== undefined) t.equal(e.gid, f.gid, `${f.path} gid ${f.gid}`)
    if (f.mode !== undefined) t.equal(e.mode.toString(8), f.mode.toString(8), `${f.path} mode ${f.mode.toString(8)}`)
    if (f.content !== undefined) t.equal(e.content, f.content, `${f.path} content`)
    if (f.target !== undefined) t.equal(e.target, f.target, `${f.path} -> ${f.target}`)
    if (f.mtime !== undefined) t.equal(e.mtime, f.mtime, `${f.path} mtime`)
    if (f.hardlinkOf !== undefined) t.equal(e.ino, merged.get(f.hardlinkOf)?.ino, `${f.path} is a hard link of ${f.hardlinkOf}`)
  }
  for (const p of LAYERS_FACTS.absent) t.equal(merged.get(p), undefined, `${p} is gone (whiteout / opaque directory)`)

  await assertStoreConsistent(t, env, 'after pulling layers')

  // Files of subordinate owners: the user cannot delete them, root of the namespace can.
  const top = dirs[3]!
  const rm = await ok(t, env, ['unshare', 'rm', '-rf', top])
  t.equal(rm.stdout, '')
  t.notOk(existsSync(top), 'tspod unshare rm -rf removed a layer with files owned by subordinate ids')
})

t.test('multiarch: the host platform by default, --platform picks another', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const hostPlatform = MULTIARCH_PLATFORMS.find(p => p.platform.architecture === hostArchitecture())!
  const arm = MULTIARCH_PLATFORMS.find(p => p.platform.architecture === 'arm64')!
  t.ok(hostPlatform, `the fixture has the host architecture ${hostArchitecture()}`)
  const indexOf = (label: string) => MULTIARCH_PLATFORMS.findIndex(p => p.label === label)

  const pulled = (await ok(t, env, ['pull', '-q', fx.multiarch.reference])).stdout.trim()
  t.equal(pulled, idOf('multiarch', indexOf(hostPlatform.label)), 'the host platform manifest')
  let image = await inspectImage(t, env, fx.multiarch.reference)
  t.equal(image.Labels[PLATFORM_LABEL], hostPlatform.label)
  t.equal(image.Architecture, hostPlatform.platform.architecture)
  t.equal(readFileSync(join(layerDirs(image)[1]!, PLATFORM_FILE), 'utf8'), hostPlatform.content, `${PLATFORM_FILE} of the host platform`)
  t.equal(image.Digest, fx.multiarch.digest, 'Digest is the index digest')
  const manifestDigest = fx.multiarch.built.images[indexOf(hostPlatform.label)]!.digest
  t.same(image.RepoDigests.sort(), [`${fx.multiarch.host}/multiarch@${fx.multiarch.digest}`, `${fx.multiarch.host}/multiarch@${manifestDigest}`].sort(), 'known by the index and the manifest digest')

  const armId = (await ok(t, env, ['pull', '-q', '--platform', 'linux/arm64', fx.multiarch.reference])).stdout.trim()
  t.equal(armId, idOf('multiarch', indexOf(arm.label)), '--platform linux/arm64: the arm64 manifest')
  image = await inspectImage(t, env, fx.multiarch.reference)
  t.equal(image.Id, armId, 'the name moved to the arm64 image')
  t.equal(image.Architecture, 'arm64')
  t.equal(image.Labels[PLATFORM_LABEL], arm.label)
  t.equal(readFileSync(join(layerDirs(image)[1]!, PLATFORM_FILE), 'utf8'), arm.content)
  const rows = (await ok(t, env, ['images', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter(Boolean).sort()
  t.same(rows, [`${armId.slice(0, 12)} ${host}/multiarch:latest`, `${pulled.slice(0, 12)} <none>:<none>`].sort(), 'the host image kept, without its name')

  // A Docker manifest list works the same way.
  const docker = (await ok(t, env, ['pull', '-q', fx['multiarch-docker'].reference])).stdout.trim()
  const dockerImage = await inspectImage(t, env, docker)
  t.equal(dockerImage.Labels[PLATFORM_LABEL], hostPlatform.label, 'manifest list: the host platform')
  t.ok(dockerImage.RepoDigests.includes(`${host}/multiarch-docker@${fx['multiarch-docker'].digest}`), 'known by the manifest list digest')
  await assertStoreConsistent(t, env, 'after the multiarch pulls')
})

t.test('pull by digest, and by tag+digest (the digest wins)', async t => {
  const env = await makeStoreEnv(t, { registries: [reg] })
  const id = idOf('busybox')
  t.equal((await ok(t, env, ['pull', '-q', fx.busybox.digestReference])).stdout, `${id}\n`)
  const image = await inspectImage(t, env, fx.busybox.digestReference)
  t.same(image.RepoTags, [], 'no tag')
  t.same(image.RepoDigests, [fx.busybox.digestReference])
  t.equal(
    (await ok(t, env, ['images', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}'])).stdout,
    `${host}/busybox <none> ${fx.busybox.digest}\n`,
    'listed under its repository with tag <none> (not as a dangling image)',
  )

  // busybox:other is really the layers image; asking for busybox:latest@<its digest> gets it.
  const other = await pushFixture(reg, 'layers', { repo: 'busybox', tag: 'other' })
  const both = `${host}/busybox:latest@${other.digest}`
  t.equal((await ok(t, env, ['pull', '-q', both])).stdout, `${idOf('layers')}\n`, 'tag+digest pulls the digest')
  const layers = await inspectImage(t, env, `${host}/busybox@${other.digest}`)
  t.equal(layers.Id, idOf('layers'))
  t.notOk(layers.RepoTags.includes(`${host}/busybox:latest`), 'the tag of a tag+digest reference is not recorded on another image')
  t.same(layers.RepoDigests, [`${host}/busybox@${other.digest}`])

  // Then by tag: the image gets its name, and is listed once, by that name.
  await ok(t, env, ['pull', '-q', fx.busybox.reference])
  const rows = (await ok(t, env, ['images', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter(Boolean).sort()
  t.same(rows, [`${id.slice(0, 12)} ${host}/busybox:latest`, `${idOf('layers').slice(0, 12)} ${host}/busybox:<none>`].sort())
  await assertStoreConsistent(t, env, 'after the digest pulls')
})

t.test('progress: bars on a terminal, plain lines otherwise, nothing with -q', async t => {
  requireTools('script')
  const env = await makeStoreEnv(t, { registries: [reg] })
  const image = fx.layers.built.images[0]!
  // On a terminal (script(1) gives the CLI a pty): a bar per blob, then the ID.
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`
  const onTty = (args: string[]) => {
    const vars = Object.entries({ ...env.env, TERM: 'xterm' }).map(([k, v]) => `${k}=${v}`)
    const command = ['env', '-i', ...vars, process.execPath, TSPOD_CLI, ...env.globalArgs, ...args].map(quote).join(' ')
    return execa('script', ['-qfec', command, '/dev/null'], { reject: false, stdin: 'ignore', timeout: 60_000 })
  }
  const tty = await onTty(['pull', fx.layers.reference])
  t.equal(tty.exitCode, 0, `pull on a terminal succeeds:\n${tty.stdout}`)
  const screen = String(tty.stdout)
  for (const l of image.layers) t.match(screen, `Copying blob ${l.digest.slice(7, 19)}`, `a bar for layer ${l.digest.slice(7, 19)}`)
  t.match(screen, /Copying config [0-9a-f]{12}/, 'and for the config')
  t.match(screen, 'Writing manifest to image destination')
  t.match(screen, new RegExp(`${image.configDigest.slice(7)}\\r?\\n?$`), 'the ID last')
  t.notMatch(screen, /TypeError|at .*\.mjs/, 'no crash')
  const cached = await onTty(['pull', fx.layers.reference])
  t.equal(cached.exitCode, 0)
  t.match(String(cached.stdout), 'skipped: already exists', 'cached blobs say so')

  // Not a terminal: one line per blob.
  await ok(t, env, ['rmi', fx.layers.reference])
  const plain = await ok(t, env, ['pull', fx.layers.reference])
  t.same(
    plain.stderr.split('\n').filter(l => l.startsWith('Copying blob ')).sort(),
    image.layers.map(l => `Copying blob ${l.digest}`).sort(),
    'plain lines, one per layer blob',
  )
  t.notMatch(plain.stderr, /\x1b\[/, 'no terminal escapes')
})
