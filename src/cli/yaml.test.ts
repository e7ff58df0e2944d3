import t from 'tap'
import { toYaml } from './yaml.js'

// Expected texts are podman 4.3.1's `info` output (ghodss/yaml), for the same values.
t.test('maps sorted, sequences at the key\'s indentation, scalars quoted as yaml.v2 quotes them', async t => {
  const doc = {
    host: {
      arch: 'amd64',
      cgroupControllers: [],
      conmon: { version: 'conmon version 2.1.6, commit: unknown', path: '/usr/bin/conmon' },
      distribution: { version: '12', distribution: 'debian', codename: 'bookworm' },
      idMappings: { uidmap: [{ container_id: 0, host_id: 1001, size: 1 }, { container_id: 1, host_id: 100000, size: 65536 }] },
      cpuUtilization: { idlePercent: 50.5 },
      ociRuntime: { version: 'runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev' },
      uptime: '1h 21m 9.00s (Approximately 0.04 days)',
      security: { rootless: true, capabilities: 'CAP_CHOWN,CAP_KILL' },
    },
    plugins: { authorization: null, log: ['k8s-file', 'none'] },
    store: { graphOptions: {}, graphStatus: { 'Native Overlay Diff': 'true', 'Backing Filesystem': 'extfs' } },
    version: { GitCommit: '', Built: 0, BuiltTime: 'Thu Jan  1 00:00:00 1970' },
  }
  t.equal(toYaml(doc), `host:
  arch: amd64
  cgroupControllers: []
  conmon:
    path: /usr/bin/conmon
    version: 'conmon version 2.1.6, commit: unknown'
  cpuUtilization:
    idlePercent: 50.5
  distribution:
    codename: bookworm
    distribution: debian
    version: "12"
  idMappings:
    uidmap:
    - container_id: 0
      host_id: 1001
      size: 1
    - container_id: 1
      host_id: 100000
      size: 65536
  ociRuntime:
    version: |-
      runc version 1.1.5+ds1
      commit: 1.1.5+ds1-1+deb12u1
      spec: 1.0.2-dev
  security:
    capabilities: CAP_CHOWN,CAP_KILL
    rootless: true
  uptime: 1h 21m 9.00s (Approximately 0.04 days)
plugins:
  authorization: null
  log:
  - k8s-file
  - none
store:
  graphOptions: {}
  graphStatus:
    Backing Filesystem: extfs
    Native Overlay Diff: "true"
version:
  Built: 0
  BuiltTime: Thu Jan  1 00:00:00 1970
  GitCommit: ""
`)
})

t.test('strings that would read as something else are double-quoted', async t => {
  t.equal(toYaml({ a: 'null', b: '1.5', c: 'yes', d: '-x', e: ': x', f: 'a #b', g: 'plain text' }),
    `a: "null"\nb: "1.5"\nc: "yes"\nd: -x\ne: ': x'\nf: 'a #b'\ng: plain text\n`)
})
