/**
 * After images are removed: delete the layers and blobs no remaining image
 * refers to, and the debris of interrupted pulls. Runs under the image lock so
 * a concurrent pull cannot commit a layer that is being collected (a pull takes
 * the same lock before it writes its record, and re-checks its layers then).
 */
import type { Engine } from '../engine.js'
import { withLock } from '../../util/lock.js'
import { removeTrees } from '../remove-tree.js'
import type { Digest } from '../../image/digest.js'

export async function collectGarbage(engine: Engine): Promise<{ layers: number; blobs: number }> {
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
    const deadBlobs = (await engine.content.list()).filter(d => !liveBlobs.has(d))
    for (const digest of deadBlobs) await engine.content.delete(digest as Digest)
    return { layers: deadLayers.length, blobs: deadBlobs.length }
  })
}
