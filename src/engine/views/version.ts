/**
 * `version` in podman's shape (libpod/define Version inside
 * entities.SystemVersionReport): `{{.Client.Version}}`, `{{.Client.OsArch}}`;
 * `--format json` is `{"Client":{…}}` on one line (Server omitted: no service).
 */
import { arch } from 'node:os'
import { API_VERSION, BUILT, VERSION } from '../../version.js'
import { tagged } from './go-values.js'

/** Node's arch names as Go spells them. */
export function goArch(nodeArch: string): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch
}

/** Go's time.Time.Format(time.ANSIC) of a Unix time, in local time: "Thu Jan  1 00:00:00 1970". */
export function ansic(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()]
  const p = (n: number) => String(n).padStart(2, '0')
  return `${day} ${month} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`
}

/** define.Version (no JSON tags: the Go names are the keys); a pointer in SystemVersionReport, a value in Info. */
export function versionData(typeName = '*define.Version') {
  return tagged(typeName, {
    APIVersion: API_VERSION,
    Version: VERSION,
    GoVersion: process.version,
    GitCommit: '',
    BuiltTime: ansic(BUILT),
    Built: BUILT,
    OsArch: `linux/${goArch(arch())}`,
    Os: 'linux',
  })
}

/** entities.SystemVersionReport. */
export function versionInfo() {
  return tagged('entities.SystemVersionReport', { Client: versionData(), Server: null }, { Client: ',omitempty', Server: ',omitempty' })
}

/** podman's default `version` template (one client, no server). */
export const VERSION_TEMPLATE = `{{with .Client -}}
Client:\\ttspod
Version:\\t{{.Version}}
API Version:\\t{{.APIVersion}}
Node Version:\\t{{.GoVersion}}
{{if .GitCommit -}}Git Commit:\\t{{.GitCommit}}\\n{{end -}}
Built:\\t{{.BuiltTime}}
OS/Arch:\\t{{.OsArch}}
{{- end}}
`
