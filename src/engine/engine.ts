/**
 * The engine: what the CLI and library users drive. It owns the stores under
 * the graph root and hands out one service per resource (images, containers).
 * There is no daemon: an Engine is a view of files on disk, and every change
 * goes through a file lock, so any number of engines can be open at once.
 */
import { mkdirSync } from 'node:fs'
import { ensureRunRoot, resolveStorePaths, type PathOverrides, type StorePaths } from './paths.js'
import { LocalContentStore } from '../image/store/content.js'
import { LayerStore } from '../image/store/layers.js'
import { ImageStore } from '../image/store/images.js'
import { ImageService } from './images/service.js'
import { ContainerStore } from './containers/store.js'
import { ContainerService } from './containers/service.js'
import { loadIdMaps } from '../rootless/idmap.js'
import type { UserNamespace } from '../rootless/userns.js'
import type { PendingShim } from './containers/shim-launcher.js'
import type { StorageDriverName } from '../storage/driver.js'
import type { StorageSelection } from '../storage/select.js'
import { log } from '../util/log.js'
import { trace } from '../util/trace.js'

export interface EngineOptions extends PathOverrides {
  /** A shim the caller started ahead of time (see PendingShim); the next start uses it. */
  pendingShim?: PendingShim
  /** `--storage-driver` (or STORAGE_DRIVER): the driver for new containers; detected when unset. */
  storageDriver?: string
}

export class Engine {
  readonly content: LocalContentStore
  readonly layers: LayerStore
  readonly imageStore: ImageStore
  readonly images: ImageService
  readonly containerStore: ContainerStore
  readonly containers: ContainerService

  private pendingShim?: PendingShim
  private readonly requestedStorageDriver?: string
  private storage?: Promise<StorageSelection>

  constructor(
    readonly paths: StorePaths,
    options: EngineOptions = {},
  ) {
    this.pendingShim = options.pendingShim
    this.requestedStorageDriver = options.storageDriver
    this.content = new LocalContentStore(paths.root)
    this.layers = new LayerStore(paths.root)
    this.imageStore = new ImageStore(paths.root)
    this.images = new ImageService(this)
    this.containerStore = new ContainerStore(paths.root)
    this.containers = new ContainerService(this)
  }

  private ns?: Promise<UserNamespace>

  /** tspod's user namespace for this user: held by the pause process in the run root. */
  userNamespace(): Promise<UserNamespace> {
    this.ns ??= loadIdMaps().then(maps => ({ pauseDir: this.paths.runRoot, maps }))
    return this.ns
  }

  /**
   * The storage driver new containers get, chosen once per engine; a fallback
   * prints its warning line once.
   */
  storageSelection(): Promise<StorageSelection> {
    this.storage ??= import('../storage/select.js').then(async ({ selectStorageDriver }) => {
      trace('cli: choosing the storage driver')
      const selection = await selectStorageDriver({
        requested: this.requestedStorageDriver,
        paths: this.paths,
        ns: () => this.userNamespace(),
      })
      if (selection.warning) log.warnOnce(selection.warning)
      trace(`cli: storage driver ${selection.driver}`)
      return selection
    })
    return this.storage
  }

  async storageDriver(): Promise<StorageDriverName> {
    return (await this.storageSelection()).driver
  }

  /** The shim started ahead of time, once. */
  takePendingShim(): PendingShim | undefined {
    const shim = this.pendingShim
    this.pendingShim = undefined
    return shim
  }

  async close(): Promise<void> {
    this.takePendingShim()?.cancel()
    await this.images.close()
  }
}

export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  const paths = resolveStorePaths(options)
  mkdirSync(paths.root, { recursive: true, mode: 0o700 })
  ensureRunRoot(paths.runRoot)
  return new Engine(paths, options)
}
