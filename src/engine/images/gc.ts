/**
 * After images are removed: delete the layers and blobs no remaining image
 * refers to, and the debris of interrupted pulls. It runs only when no pull
 * is under way (pulls hold the layer lock shared until their image is
 * recorded), and under the image lock so no record changes meanwhile.
 */
import type { Engine } from '../engine.js'
import { tryAcquireLock, withLock } from '../../util/lock.js'
import { removeTrees } from '../remove-tree.js'
import type { Digest } from '../../image/digest.js'

export async function collectGarbage(engine: Engine): Promise<{ layers: number; blobs: number }> {
  // A pull in progress holds the layer lock shared: its layers are not in any
  // image record yet. Collect another time rather than wait for it.
  const layersLock = await tryAcquireLock(engine.layers.lockFile)
  if (!layersLock) return { layers: 0, blobs: 0 }
  try {
    return await collect(engine)
  } finally {
    await layersLock.release()
  }
}

/**
 * What killed pulls leave behind — staging directories, partial downloads in
 * ingest/ — removed once no pull is running (a pull holds the layer lock
 * shared from before it writes anything). Never waits: with a pull under way
 * the next call cleans up.
 */
export async function removeDebris(engine: Engine): Promise<void> {
  const layersLock = await tryAcquireLock(engine.layers.lockFile)
  if (!layersLock) return
  try {
    const trees = await engine.layers.debris()
    if (trees.length > 0) await removeTrees(() => engine.userNamespace(), trees)
    await engine.content.clearIngest()
  } finally {
    await layersLock.release()
  }
}

function collect(engine: Engine): Promise<{ layers: number; blobs: number }> {
  return withLock(engine.imageStore.lockFile, async () => {
    const images = engine.imageStore.list()
    const liveLayers = new Set<string>(images.flatMap(i => i.layers.map(l => l.chainId)))
    const liveBlobs = new Set<string>(
      images.flatMap(i => [
        i.configDigest,
        i.manifestDigest,
        ...(i.indexDigest ? [i.indexDigest] : []),
        ...i.layers.map(l => l.digest),
      ]),
    )
    const deadLayers = (await engine.layers.list()).filter(l => !liveLayers.has(l.chainId))
    const trees = [...deadLayers.map(l => engine.layers.layerDir(l.chainId)), ...(await engine.layers.debris())]
    if (trees.length > 0) await removeTrees(() => engine.userNamespace(), trees)
    await engine.content.clearIngest()
    const deadBlobs = (await engine.content.list()).filter(d => !liveBlobs.has(d))
    for (const digest of deadBlobs) await engine.content.delete(digest as Digest)
    return { layers: deadLayers.length, blobs: deadBlobs.length }
  })
}
