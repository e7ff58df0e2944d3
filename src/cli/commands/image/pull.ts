import { Command, Option } from 'clipanion'
import { statSync } from 'node:fs'
import { TspodCommand } from '../../base.js'
import { PullProgressPrinter } from '../../progress.js'
import { parseCredentialsFlag } from '../../../image/auth-file.js'
import { tlsVerifyFlag } from '../../flags.js'
import { TspodError } from '../../../engine/errors.js'

export class PullCommand extends TspodCommand {
  static paths = [['pull'], ['image', 'pull']]
  static usage = Command.Usage({
    category: 'Images',
    description: 'Pull an image from a registry',
    details: `
      Downloads the image's manifest, config and layers into the user's store, verifying every blob against its digest, and unpacks the layers inside the rootless user namespace. A short name is resolved through registries.conf (aliases, then unqualified-search-registries). Registries on loopback addresses speak plain HTTP.
    `,
    examples: [
      ['Pull an image from a local registry', '$0 pull 127.0.0.1:5000/busybox'],
      ['Pull only the ID, quietly', '$0 pull -q docker.io/library/alpine:3.19'],
      ['Pull another platform', '$0 pull --platform linux/arm64 alpine'],
    ],
  })

  quiet = Option.Boolean('-q,--quiet', false, { description: 'Suppress output information when pulling images' })
  platform = Option.String('--platform', { description: 'Specify the platform for selecting the image (os/arch[/variant])' })
  tlsVerify = Option.String('--tls-verify', { tolerateBoolean: true, description: 'Require HTTPS and verify certificates when contacting registries' })
  creds = Option.String('--creds', { description: 'Use `USERNAME[:PASSWORD]` for accessing the registry' })
  authfile = Option.String('--authfile', { description: 'Path of the authentication file' })
  image = Option.String({ name: 'IMAGE' })

  async run(): Promise<number> {
    if (this.authfile) {
      // podman (auth.CheckAuthFile): a file named on the command line must exist.
      try {
        statSync(this.authfile)
      } catch (err) {
        throw new TspodError('invalid-argument', `checking authfile: stat ${this.authfile}: ${errnoText(err)}`)
      }
      process.env.REGISTRY_AUTH_FILE = this.authfile
    }
    const engine = await this.engine()
    const progress = new PullProgressPrinter(this.context.stderr, this.quiet)
    try {
      const report = await engine.images.pull(this.image, {
        platform: this.platform,
        tlsVerify: tlsVerifyFlag(this.tlsVerify),
        credentials: this.creds !== undefined ? parseCredentialsFlag(this.creds) : undefined,
        onProgress: progress.handle,
      })
      this.out(`${report.image.id}\n`)
      return 0
    } finally {
      progress.stop()
    }
  }
}

/** Go's text for the common errnos (what podman prints after a path). */
function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file or directory'
  if (code === 'EACCES') return 'permission denied'
  if (code === 'ENOTDIR') return 'not a directory'
  return (err as Error).message
}
