/**
 * tspod as a library: the same engine the CLI drives.
 *
 *   import { openEngine } from 'tspod'
 *   const engine = await openEngine()
 *   await engine.images.pull('127.0.0.1:5000/busybox')
 *   const c = await engine.containers.create({ image: 'busybox', command: ['echo', 'hi'] })
 *   await engine.containers.start(c.id)
 *   const code = await engine.containers.wait(c.id)
 *   await engine.close()
 */
export { Engine, openEngine, type EngineOptions } from './engine/engine.js'
export { TspodError, NoSuchContainerError, NoSuchImageError, NameInUseError, type ErrorCode } from './engine/errors.js'
export type { StorePaths } from './engine/paths.js'
export type { ImageRecord, ImageLayer } from './image/store/images.js'
export type { PullOptions, PullReport, PullEvent } from './engine/images/pull.js'
export type { RemoveImagesOptions, RemoveImageReport } from './engine/images/service.js'
export type { ContainerRecord, ContainerState, ContainerStatus, RestartPolicy } from './engine/containers/record.js'
export type { CreateOptions, PullPolicy } from './engine/containers/create.js'
export type { StartOptions, StartReport } from './engine/containers/start.js'
export type { ExecOptions } from './engine/containers/exec.js'
export type { ContainerEntry, TargetReport } from './engine/containers/service.js'
export { parseDockerReference, ImageReference } from './image/reference.js'
export { compileTemplate } from './format/template/index.js'
