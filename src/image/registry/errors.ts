/**
 * Registry HTTP errors → TspodError codes, with the text podman prints.
 * A registry explains itself in a JSON body, `{"errors":[{"code":"MANIFEST_UNKNOWN",
 * "message":"manifest unknown"}]}`; containers/image prints each as
 * "manifest unknown: manifest unknown" (the code's words, then the message).
 */
import { type ErrorCode, TspodError } from '../../engine/errors.js'
import { readBody, type HttpResponse } from './transport.js'

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  416: 'Requested Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** The TspodError code for an HTTP status. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'unauthorized'
  if (status === 404) return 'not-found'
  if (status === 429 || status >= 500) return 'unavailable'
  return 'internal'
}

/** The registry's own explanation of an error response, one line. */
export function describeErrorBody(status: number, body: Buffer): string {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown; detail?: unknown }[] }
    const parts = (doc.errors ?? [])
      .filter(e => typeof e?.code === 'string' || typeof e?.message === 'string')
      .map(e => {
        const code = typeof e.code === 'string' ? e.code.toLowerCase().replace(/_/g, ' ') : ''
        const message = typeof e.message === 'string' ? e.message : ''
        return code && message ? `${code}: ${message}` : code || message
      })
    if (parts.length > 0) return parts.join('; ')
  } catch {
    // not JSON: fall through to the status line
  }
  return `StatusCode: ${status}, ${STATUS_TEXT[status] ?? 'unexpected status'}`
}

/** Build the error for an unexpected response (reads at most 64 KiB of its body). */
export async function responseError(res: HttpResponse, context: string): Promise<TspodError> {
  let body: Buffer = Buffer.alloc(0)
  try {
    body = await readBody(res, 64 * 1024)
  } catch {
    // an unreadable body still leaves the status to report
  }
  return new TspodError(codeForStatus(res.status), `${context}: ${describeErrorBody(res.status, body)}`)
}
