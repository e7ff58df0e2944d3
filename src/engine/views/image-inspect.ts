/** `image inspect` in podman's shape (libpod's ImageData). */
import type { Engine } from '../engine.js'
import type { ImageRecord } from '../../image/store/images.js'
import type { ImageConfig as OciConfigFile } from '../../image/registry/image-config.js'
import { goMap } from '../../format/template/index.js'

export async function inspectImage(engine: Engine, image: ImageRecord) {
  const config = JSON.parse((await engine.content.read(image.configDigest)).toString('utf8')) as OciConfigFile
  const c = config.config ?? {}
  const layers = [...image.layers].reverse().map(l => engine.layers.diffDir(l.chainId))
  return {
    Id: image.id,
    Digest: image.indexDigest ?? image.manifestDigest,
    RepoTags: image.names,
    RepoDigests: image.repoDigests,
    Parent: '',
    Comment: (config.comment as string | undefined) ?? '',
    Created: config.created ?? '',
    Config: {
      ...(c.User ? { User: c.User } : {}),
      ...(c.ExposedPorts ? { ExposedPorts: goMap({ ...c.ExposedPorts }) } : {}),
      Env: c.Env ?? [],
      ...(c.Entrypoint ? { Entrypoint: c.Entrypoint } : {}),
      Cmd: c.Cmd ?? [],
      ...(c.Volumes ? { Volumes: goMap({ ...c.Volumes }) } : {}),
      WorkingDir: c.WorkingDir ?? '',
      Labels: goMap({ ...(c.Labels ?? {}) }),
      ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    },
    Version: '',
    Author: config.author ?? '',
    Architecture: config.architecture,
    Os: config.os,
    ...(config.variant ? { Variant: config.variant } : {}),
    Size: image.size,
    VirtualSize: image.size,
    GraphDriver: {
      Name: 'overlay',
      Data: goMap({
        ...(layers.length > 1 ? { LowerDir: layers.slice(1).join(':') } : {}),
        UpperDir: layers[0] ?? '',
        WorkDir: '',
      }),
    },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Labels: goMap({ ...(c.Labels ?? {}) }),
    Annotations: goMap({}),
    ManifestType: image.manifestMediaType,
    User: c.User ?? '',
    History: config.history ?? [],
    NamesHistory: image.names,
  }
}
