/**
 * `start`: build the OCI bundle for this start (the user is resolved again
 * against the image and the container's own changes), then hand the
 * container to a new shim and wait for its report.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Engine } from '../engine.js'
import { TspodError } from '../errors.js'
import type { ContainerRecord } from './record.js'
import { containerPaths, runtimeStateRoot } from './paths.js'
import { hostFacts } from './host-facts.js'
import { launchShim } from './shim-launcher.js'
import { settleRestartingShim } from './stop.js'
import { LayeredReader } from '../../image/store/layered-reader.js'
import type { RootfsSpec } from '../../storage/driver.js'
import { containerViewDirs } from '../../storage/view.js'
import { buildSpec, resolveUser, resolveWorkdir } from '../../runtime/spec/index.js'
import { findRuntime, runtimeFiles, runtimeRunArgv } from '../../runtime/driver/runtime.js'
import { overlayMountOptions } from '../../storage/overlay.js'
import type { ShimConfig } from '../../shim/config.js'
import { existsSync, rmSync } from 'node:fs'
import { nativeHelperPath } from '../../rootless/helpers.js'
import { withLock } from '../../util/lock.js'
import { isSameProcessAlive } from '../../util/proc.js'
import { trace } from '../../util/trace.js'

export interface StartOptions {
  /** An attached CLI will connect right after the start (run without -d, start -a). */
  attach?: boolean
}

export interface StartReport {
  id: string
  pid: number
  /** Already running: nothing was done (podman's start is idempotent). */
  alreadyRunning: boolean
}

/**
 * Whether tspod-shimlaunch can do the first run's work itself: native overlay
 * only (the others need the shim's code), no tty (the console socket is the
 * shim's), no directory to make in the root first, and no runtime state left
 * by a shim that died (the shim cleans that up).
 */
function canPrelaunch(cfg: ShimConfig): boolean {
  return (
    (cfg.rootfs.driver ?? 'overlay') === 'overlay' &&
    !cfg.tty &&
    cfg.createDirs.length === 0 &&
    !existsSync(join(cfg.runtime.stateRoot, cfg.containerId))
  )
}

export async function startContainer(engine: Engine, record: ContainerRecord, options: StartOptions = {}): Promise<StartReport> {
  const cp = containerPaths(engine.paths, record.id)
  // Concurrent starts of one container queue here; the shim takes the state lock itself.
  return withLock(join(cp.dir, 'start.lock'), async () => {
    // A shim waiting to restart the container would start it a second time.
    await settleRestartingShim(engine, record)
    const state = engine.containerStore.state(record.id)
    if ((state.status === 'running' || state.status === 'stopping') && isSameProcessAlive(state.shimPid, state.shimStartTicks)) {
      return { id: record.id, pid: state.pid ?? 0, alreadyRunning: true }
    }
    const ns = await engine.userNamespace()
    const runtime = findRuntime(record.runtime || undefined)
    const layerDirs = record.layers.map(c => engine.layers.diffDir(c as `sha256:${string}`))
    for (const [i, chain] of record.layers.entries()) {
      if (!engine.layers.has(chain as `sha256:${string}`)) {
        throw new TspodError('failed-precondition', `layer ${i} (${chain}) of image ${record.imageName} is missing from the store: pull the image again`)
      }
    }
    const rootfs: RootfsSpec = {
      driver: record.storageDriver ?? 'overlay',
      lowerDirs: layerDirs,
      upperDir: cp.upperDir,
      workDir: cp.workDir,
      copyDir: cp.copyDir,
      target: cp.rootfs,
    }
    const reader = new LayeredReader(containerViewDirs(rootfs))
    const facts = hostFacts(ns.maps)
    const user = await resolveUser({ user: record.user, readFile: p => reader.readFile(p), gidRanges: facts.gidRanges })
    const spec = buildSpec({
      id: record.id,
      image: record.imageConfig,
      rootfs: cp.rootfs,
      user,
      options: { ...record.runOptions, ...(record.init ? { initPath: nativeHelperPath('init') } : {}) },
      host: facts,
    })
    await mkdir(cp.bundleDir, { recursive: true, mode: 0o700 })
    await writeFile(join(cp.bundleDir, 'config.json'), JSON.stringify(spec))
    const workdir = resolveWorkdir(record.runOptions.workdir, record.imageConfig.WorkingDir)
    await engine.containerStore.updateState(record.id, s => ({ ...s, stoppedByUser: false, error: undefined }))

    // An image WORKDIR that is not there is made by the shim, inside the mounted root.
    const createDirs =
      workdir.createIfMissing && !(await reader.isDirectory(workdir.cwd)) ? [{ path: workdir.cwd, uid: user.uid, gid: user.gid }] : []
    const shimConfig: ShimConfig = {
      containerId: record.id,
      graphRoot: engine.paths.root,
      runRoot: engine.paths.runRoot,
      bundleDir: cp.bundleDir,
      runtime: { name: runtime.name, path: runtime.path, stateRoot: runtimeStateRoot(engine.paths) },
      rootfs,
      createDirs,
      logPath: cp.logPath,
      socketPath: cp.socketPath,
      pidFile: cp.shimPidFile,
      tty: record.tty,
      stdin: record.interactive,
      expectAttach: options.attach ?? false,
      restartPolicy: record.restartPolicy,
      autoRemove: record.autoRemove,
    }
    const pending = engine.takePendingShim()
    if (pending && canPrelaunch(shimConfig)) {
      // The shim's Node start-up and the runtime's work overlap from here.
      rmSync(runtimeFiles(cp.bundleDir).pidFile, { force: true })
      pending.launch({ ...overlayMountOptions(rootfs), target: rootfs.target }, runtimeRunArgv(shimConfig.runtime, cp.bundleDir, record.id))
      shimConfig.prelaunched = true
    }
    trace('cli: launching shim')
    const report = await launchShim(ns, shimConfig, cp.shimLog, pending)
    trace('cli: shim reported')
    if (report.type === 'error') {
      throw new TspodError(
        report.exitCode === 127 ? 'command-not-found' : report.exitCode === 126 ? 'cannot-execute' : 'internal',
        report.message,
        { exitCode: report.exitCode },
      )
    }
    return { id: record.id, pid: report.pid, alreadyRunning: false }
  })
}
