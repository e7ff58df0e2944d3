/** `version` in podman's shape: `{{.Client.Version}}`, `{{.Client.OsArch}}`. */
import { arch } from 'node:os'
import { API_VERSION, BUILT, VERSION } from '../../version.js'

/** Node's arch names as Go spells them. */
export function goArch(nodeArch: string): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch
}

export function versionInfo() {
  return {
    Client: {
      APIVersion: API_VERSION,
      Version: VERSION,
      GoVersion: process.version,
      GitCommit: '',
      BuiltTime: new Date(BUILT * 1000).toString(),
      Built: BUILT,
      OsArch: `linux/${goArch(arch())}`,
      Os: 'linux',
    },
  }
}
