/**
 * Errors carry a stable `code` (match on it, never on the message) and the
 * exit status the CLI uses. Messages follow podman's wording where scripts
 * commonly grep for it ("no such container", "image not known", ...).
 */
export type ErrorCode =
  | 'invalid-argument' // the user's input is wrong
  | 'not-found' // no such container / image / blob / tag
  | 'already-exists' // name in use, ...
  | 'failed-precondition' // state forbids the operation (container running, image in use)
  | 'unauthorized' // registry said 401/403
  | 'unavailable' // registry unreachable, helper missing
  | 'data-loss' // digest mismatch, truncated blob, malformed document
  | 'unsupported' // media type, platform, schema1
  | 'permission-denied' // hostile layer, path outside root
  | 'cannot-execute' // exit 126
  | 'command-not-found' // exit 127
  | 'internal'

export class TspodError extends Error {
  readonly code: ErrorCode
  /** Process exit status the CLI returns for this error. */
  readonly exitCode: number
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'TspodError'
    this.code = code
    this.exitCode = options?.exitCode ?? (code === 'cannot-execute' ? 126 : code === 'command-not-found' ? 127 : 125)
  }
}

export class InvalidArgumentError extends TspodError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-argument', message, options)
  }
}

/** podman: "Error: NAME: image not known" / "no such image" */
export class NoSuchImageError extends TspodError {
  constructor(readonly ref: string) {
    super('not-found', `${ref}: image not known`)
  }
}

/** podman: "Error: no container with name or ID "x" found: no such container" */
export class NoSuchContainerError extends TspodError {
  constructor(readonly ref: string) {
    super('not-found', `no container with name or ID "${ref}" found: no such container`)
  }
}

export class NameInUseError extends TspodError {
  constructor(readonly containerName: string, readonly ownerId: string) {
    super(
      'already-exists',
      `creating container storage: the container name "${containerName}" is already in use by ${ownerId}. You have to remove that container to be able to reuse that name: that name is already in use`,
    )
  }
}

export function isTspodError(err: unknown, code?: ErrorCode): err is TspodError {
  return err instanceof TspodError && (code === undefined || err.code === code)
}

/** One line for stderr, without the "Error: " prefix. */
export function describeError(err: unknown): string {
  if (err instanceof TspodError) return err.message
  if (err instanceof Error) {
    const sys = err as NodeJS.ErrnoException
    return sys.code && !err.message.includes(sys.code) ? `${err.message} (${sys.code})` : err.message
  }
  return String(err)
}
