/**
 * A real registry for tests: Debian's docker-registry (CNCF distribution 2.8)
 * on 127.0.0.1 at a free port, its storage in a temp dir, optionally behind
 * HTTP Basic (htpasswd, bcrypt) or bearer-token auth (token-server.ts).
 *
 *   const reg = await withRegistry(t, { auth: 'token' })   // stopped at teardown
 *   reg.host  // '127.0.0.1:PORT'
 *
 * Readiness is the registry's own "listening on ADDR" log line followed by a
 * successful GET /v2/ (no fixed sleeps). The process gets a parent-death
 * signal (setpriv --pdeathsig) so a crashed test process never leaks it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  sharedSigningKey,
  startTokenServer,
  type TokenServer,
  type TokenSigning,
  type TokenUser,
} from './token-server.js'
import { freePort, makeTempDir, removeDir, requireTools, run } from './tools.js'

export type AuthMode = 'none' | 'basic' | 'token'

export interface Credentials {
  username: string
  password: string
}

/** A registry account. `actions` only matters with token auth (htpasswd grants everything). */
export interface RegistryUser extends Credentials {
  actions: string[]
}

/** What pushing or configuring a client needs to know about a registry. */
export interface RegistryTarget {
  host: string
  credentials?: Credentials
}

export interface RegistryOptions {
  /** Default 'none'. */
  auth?: AuthMode
  /** Accounts for 'basic' and 'token'. Default: DEFAULT_USERS. The first one is `credentials`. */
  users?: RegistryUser[]
  /** Token auth: grant `pull` to anonymous requests. Default false (anonymous gets no access). */
  anonymousPull?: boolean
  /** Token auth: name the signing key by 'kid' (libtrust key id) or 'x5c' (certificate). Default 'kid'. */
  tokenSigning?: TokenSigning
  /** Token auth: token lifetime. Default 300 s. */
  tokenTtlSeconds?: number
}

export interface RegistryHandle extends RegistryTarget {
  readonly auth: AuthMode
  /** '127.0.0.1:PORT' — the reference prefix: `${host}/busybox:latest`. */
  readonly host: string
  /** 'http://127.0.0.1:PORT' */
  readonly url: string
  readonly port: number
  /** docker-registry's process id. */
  readonly pid: number
  /** The full-access account (users[0]); undefined when auth is 'none'. */
  readonly credentials?: Credentials
  readonly users: readonly RegistryUser[]
  /** The token server, when auth is 'token' (realm, service, requests log, mint()). */
  readonly token?: TokenServer
  /** The registry's combined stdout/stderr. */
  readonly logPath: string
  /** Storage root (`docker/registry/v2/…` lives below it). */
  readonly dataDir: string
  /** Where a blob's bytes live in dataDir (for the corruption helpers). */
  blobPath(digest: string): string
  readLog(): Promise<string>
  /** Idempotent: ends the registry (and token server) and removes its temp dir. */
  stop(): Promise<void>
}

/** Anything with tap's `teardown` (a tap Test). */
export interface TeardownHost {
  teardown(fn: () => unknown): void
  /** tap's Test has it: false once an assertion failed. */
  passing?(): boolean
}

export const DEFAULT_USERS: readonly RegistryUser[] = [
  { username: 'tspod', password: 'tspod-secret', actions: ['pull', 'push', 'delete'] },
  { username: 'reader', password: 'reader-secret', actions: ['pull'] },
]

export const TOKEN_SERVICE = 'tspod-test-registry'
export const TOKEN_ISSUER = 'tspod-test-token-issuer'

const live = new Set<ChildProcess>()
let exitHookInstalled = false
function killAllOnExit(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
}

function registryConfig(o: { port: number; dataDir: string; auth: string }): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(o.dataDir)} }`,
    '  delete: { enabled: true }',
    '  maintenance:',
    '    uploadpurging: { enabled: false }',
    'http:',
    `  addr: 127.0.0.1:${o.port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    o.auth,
    '',
  ].join('\n')
}

export function blobPathIn(dataDir: string, digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest)
  if (!m) throw new Error(`not a sha256 digest: ${digest}`)
  const hex = m[1]!
  return join(dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data')
}

interface Started {
  child: ChildProcess
  port: number
}

/** Starts docker-registry and resolves once it serves /v2/; retries when it loses the port race. */
async function launch(dir: string, dataDir: string, logPath: string, authYaml: string): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const configPath = join(dir, 'config.yml')
    await writeFile(configPath, registryConfig({ port, dataDir, auth: authYaml }))
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'docker-registry', 'serve', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    live.add(child)
    const log = createWriteStream(logPath, { flags: 'a' })
    log.on('error', () => {})
    child.on('exit', () => live.delete(child))
    child.on('close', () => log.end())
    const outcome = await new Promise<string>(resolve => {
      let seen = ''
      const onData = (chunk: Buffer) => {
        log.write(chunk)
        seen = (seen + chunk.toString()).slice(-8192)
        if (seen.includes(`listening on 127.0.0.1:${port}`)) resolve('ready')
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      child.on('error', err => resolve(`could not start docker-registry: ${err.message}`))
      child.on('exit', (code, signal) =>
        resolve(/address already in use/.test(seen) ? 'port-taken' : `docker-registry exited (${signal ?? code}):\n${seen.slice(-2000)}`),
      )
    })
    if (outcome === 'ready') {
      await waitForV2(`http://127.0.0.1:${port}`, child)
      return { child, port }
    }
    if (outcome !== 'port-taken') throw new Error(outcome)
    if (attempt >= 5) throw new Error('no free port for docker-registry after 5 attempts')
  }
}

/** One confirming request after the log line; a few retries cover a slow accept loop. */
async function waitForV2(url: string, child: ChildProcess): Promise<void> {
  let lastError: unknown
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('docker-registry exited while starting')
    try {
      const res = await fetch(`${url}/v2/`)
      await res.arrayBuffer()
      if (res.status === 200 || res.status === 401) return
      lastError = new Error(`GET /v2/ answered ${res.status}`)
    } catch (err) {
      lastError = err
    }
    await new Promise(resolve => setImmediate(resolve))
  }
  throw new Error(`docker-registry at ${url} never answered /v2/: ${String(lastError)}`)
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryHandle> {
  const auth = options.auth ?? 'none'
  requireTools('setpriv', 'docker-registry', ...(auth === 'basic' ? ['htpasswd'] : auth === 'token' ? ['openssl'] : []))
  killAllOnExit()
  const users = auth === 'none' ? [] : (options.users ?? DEFAULT_USERS.map(u => ({ ...u, actions: [...u.actions] })))
  if (auth !== 'none' && users.length === 0) throw new Error(`auth '${auth}' needs at least one user`)
  const dir = await makeTempDir('registry')
  const dataDir = join(dir, 'data')
  const logPath = join(dir, 'registry.log')
  let token: TokenServer | undefined
  let child: ChildProcess | undefined
  try {
    await mkdir(dataDir)
    let authYaml = ''
    if (auth === 'basic') {
      const htpasswd = join(dir, 'htpasswd')
      // A missing file makes distribution invent a user of its own: create it first.
      await writeFile(htpasswd, '')
      for (const u of users) await run('htpasswd', ['-B', '-b', htpasswd, u.username, u.password])
      authYaml = ['auth:', '  htpasswd:', '    realm: tspod-test-registry', `    path: ${JSON.stringify(htpasswd)}`].join('\n')
    } else if (auth === 'token') {
      const key = await sharedSigningKey()
      const bundle = join(dir, 'token-cert.pem')
      await writeFile(bundle, key.certPem)
      token = await startTokenServer({
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        users: users as TokenUser[],
        anonymousPull: options.anonymousPull ?? false,
        signing: options.tokenSigning ?? 'kid',
        key,
        ttlSeconds: options.tokenTtlSeconds ?? 300,
      })
      authYaml = [
        'auth:',
        '  token:',
        `    realm: ${token.realm}`,
        `    service: ${TOKEN_SERVICE}`,
        `    issuer: ${TOKEN_ISSUER}`,
        `    rootcertbundle: ${JSON.stringify(bundle)}`,
      ].join('\n')
    }
    const started = await launch(dir, dataDir, logPath, authYaml)
    child = started.child
    const port = started.port
    const running = child
    let stopping: Promise<void> | undefined
    const stop = () => {
      stopping ??= (async () => {
        await terminate(running)
        await token?.close()
        await removeDir(dir)
      })()
      return stopping
    }
    return {
      auth,
      host: `127.0.0.1:${port}`,
      url: `http://127.0.0.1:${port}`,
      port,
      pid: running.pid!,
      credentials: users[0] ? { username: users[0].username, password: users[0].password } : undefined,
      users,
      token,
      logPath,
      dataDir,
      blobPath: digest => blobPathIn(dataDir, digest),
      readLog: () => readFile(logPath, 'utf8'),
      stop,
    }
  } catch (err) {
    if (child) await terminate(child)
    await token?.close()
    await removeDir(dir)
    throw err
  }
}

/** SIGTERM, then SIGKILL if it has not gone within 5 s; resolves once it has exited. */
export async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** startRegistry + stop() registered with `t.teardown` (runs even when the test fails). */
export async function withRegistry(t: TeardownHost, options: RegistryOptions = {}): Promise<RegistryHandle> {
  const registry = await startRegistry(options)
  t.teardown(async () => {
    // The log goes with the temp dir: show its end when the test failed.
    if (t.passing?.() === false) {
      const log = await registry.readLog().catch(() => '')
      process.stderr.write(`--- docker-registry ${registry.host} (${registry.auth}) log, last lines:\n${log.split('\n').slice(-25).join('\n')}\n`)
    }
    await registry.stop()
  })
  return registry
}
