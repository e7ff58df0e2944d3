/** What the bench scripts use of the test harness, in one module (loaded through import-ts.mjs). */
export { startRegistry, type RegistryHandle } from '../../test/harness/registry.js'
export { pushFixture } from '../../test/harness/fixtures.js'
export { makeStoreEnv, runTspod, TSPOD_CLI, type StoreEnv } from '../../test/harness/tspod.js'
export { makePodmanEnv, runPodman, type PodmanEnv } from '../../test/harness/podman.js'
export { pushBigImage } from './big-image.js'
