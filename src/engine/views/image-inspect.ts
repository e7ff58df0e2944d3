/**
 * `image inspect` in podman 4.3's shape (pkg/inspect ImageData): Go field
 * names for templates (`{{.ID}}`, `{{.Config.Cmd}}`, `{{.RootFS.Layers}}`,
 * `{{(index .History 0).CreatedBy}}`), JSON names and omitempty as podman's.
 */
import type { Engine } from '../engine.js'
import type { ImageRecord } from '../../image/store/images.js'
import type { ImageConfig as OciConfigFile } from '../../image/registry/image-config.js'
import { GoTime, goMap } from '../../format/template/index.js'
import { nilMap, nilSlice, stringMap, tagged } from './go-values.js'
import { repoDigests } from './images.js'

const timeOrNull = (iso: string | undefined) => {
  if (!iso) return null
  try {
    return GoTime.parse(iso)
  } catch {
    return null
  }
}

/** map[string]struct{} (ExposedPorts, Volumes): nil when absent. */
function setMap(m: Record<string, unknown> | undefined) {
  if (!m) return nilMap()
  return goMap(Object.fromEntries(Object.keys(m).map(k => [k, tagged('struct {}', {})])), undefined, 'map[string]struct {}')
}

export async function readImageConfigFile(engine: Engine, image: ImageRecord): Promise<OciConfigFile> {
  return JSON.parse((await engine.content.read(image.configDigest)).toString('utf8')) as OciConfigFile
}

export function inspectImageData(engine: Engine, image: ImageRecord, file: OciConfigFile) {
  const c = file.config ?? {}
  const top = [...image.layers].reverse().map(l => engine.layers.layerDir(l.chainId))
  const config = tagged(
    '*v1.ImageConfig',
    {
      User: c.User ?? '',
      ExposedPorts: setMap(c.ExposedPorts),
      Env: c.Env ?? nilSlice<string>(),
      Entrypoint: c.Entrypoint ?? nilSlice<string>(),
      Cmd: c.Cmd ?? nilSlice<string>(),
      Volumes: setMap(c.Volumes),
      WorkingDir: c.WorkingDir ?? '',
      Labels: stringMap(c.Labels),
      StopSignal: c.StopSignal ?? '',
      ArgsEscaped: (c as { ArgsEscaped?: boolean }).ArgsEscaped ?? false,
    },
    {
      User: ',omitempty', ExposedPorts: ',omitempty', Env: ',omitempty', Entrypoint: ',omitempty', Cmd: ',omitempty',
      Volumes: ',omitempty', WorkingDir: ',omitempty', Labels: ',omitempty', StopSignal: ',omitempty', ArgsEscaped: ',omitempty',
    },
  )
  const history = (file.history ?? []).map(h =>
    tagged(
      'v1.History',
      {
        Created: timeOrNull(h.created),
        CreatedBy: h.created_by ?? '',
        Author: h.author ?? '',
        Comment: h.comment ?? '',
        EmptyLayer: h.empty_layer ?? false,
      },
      { Created: 'created,omitempty', CreatedBy: 'created_by,omitempty', Author: 'author,omitempty', Comment: 'comment,omitempty', EmptyLayer: 'empty_layer,omitempty' },
    ),
  )
  return tagged(
    '*inspect.ImageData',
    {
      ID: image.id,
      Digest: image.indexDigest ?? image.manifestDigest,
      RepoTags: image.names.filter(n => !n.includes('@')), // a name from a pull by digest is no tag (podman)
      RepoDigests: repoDigests(image),
      Parent: '',
      Comment: (file.comment as string | undefined) ?? '',
      Created: timeOrNull(file.created),
      Config: config,
      Version: (file as { docker_version?: string }).docker_version ?? '',
      Author: file.author ?? '',
      Architecture: file.architecture,
      Os: file.os,
      Size: image.size,
      VirtualSize: image.size,
      GraphDriver: tagged('*define.DriverData', {
        Name: 'overlay',
        Data: goMap(
          {
            ...(top.length > 1 ? { LowerDir: top.slice(1).map(d => `${d}/diff`).join(':') } : {}),
            UpperDir: `${top[0] ?? ''}/diff`,
            WorkDir: `${top[0] ?? ''}/work`,
          },
          '',
          'map[string]string',
        ),
      }),
      RootFS: tagged('*inspect.RootFS', { Type: file.rootfs?.type ?? 'layers', Layers: file.rootfs?.diff_ids ?? [] }),
      Labels: stringMap(c.Labels),
      Annotations: goMap({}, '', 'map[string]string'),
      ManifestType: image.manifestMediaType,
      User: c.User ?? '',
      History: history,
      NamesHistory: [...image.names].reverse(),
      HealthCheck: null,
    },
    { ID: 'Id', HealthCheck: 'Healthcheck,omitempty' },
  )
}

export async function inspectImage(engine: Engine, image: ImageRecord) {
  return inspectImageData(engine, image, await readImageConfigFile(engine, image))
}
