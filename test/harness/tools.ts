/**
 * Running the independent host tools the harness relies on (docker-registry,
 * skopeo, umoci, GNU tar, openssl, htpasswd, newuidmap). A missing tool is an
 * error naming the tool and its Debian package, so the test using it FAILS
 * with a message that says what to install (never a silent skip).
 */
import { execa, type Options } from 'execa'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Debian package providing each tool the harness runs. */
const PACKAGE_OF: Record<string, string> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  umoci: 'umoci',
  tar: 'tar',
  openssl: 'openssl',
  htpasswd: 'apache2-utils',
  newuidmap: 'uidmap',
  newgidmap: 'uidmap',
  unshare: 'util-linux',
  setpriv: 'util-linux',
  podman: 'podman',
  busybox: 'busybox-static',
  curl: 'curl',
}

export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`required tool '${tool}' is not installed (Debian package: ${PACKAGE_OF[tool] ?? tool})`)
    this.name = 'MissingToolError'
  }
}

export interface RunResult {
  stdout: string
  stderr: string
}

/**
 * Run `tool args…` to completion; throws with the command line, exit status
 * and stderr when it fails, or MissingToolError when it is not installed.
 */
export async function run(tool: string, args: readonly string[], options: Options = {}): Promise<RunResult> {
  try {
    const result = await execa(tool, args, { stdin: 'ignore', ...options, reject: false })
    if (result.failed) {
      const why = result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exit status ${result.exitCode}`
      throw new Error(`${tool} ${args.join(' ')}: ${why}\n${String(result.stderr ?? '').trim()}`)
    }
    return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') }
  } catch (err) {
    if (isEnoent(err)) throw new MissingToolError(tool)
    throw err
  }
}

export function isEnoent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT'
}

/** A temp dir under os.tmpdir(); the caller removes it. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `tspod-${prefix}-`))
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 })
}

/**
 * A TCP port that was free a moment ago. Servers that cannot be handed an
 * open socket (docker-registry) may lose the race for it: callers retry.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

const located = new Map<string, string | null>()
/** Absolute path of `tool` on PATH, or null. */
export function which(tool: string): string | null {
  if (located.has(tool)) return located.get(tool)!
  let found: string | null = null
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (!dir) continue
    try {
      accessSync(join(dir, tool), constants.X_OK)
      found = join(dir, tool)
      break
    } catch {
      // not in this directory
    }
  }
  located.set(tool, found)
  return found
}

/** Throws MissingToolError unless every tool is on PATH. */
export function requireTools(...tools: string[]): void {
  for (const tool of tools) if (!which(tool)) throw new MissingToolError(tool)
}
