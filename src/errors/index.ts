import type { ErrorCode } from './catalogue.js'

export { ERRORS, errorInfo, isErrorCode, type ErrorCode, type ErrorInfo } from './catalogue.js'

/** Every error this package raises on purpose carries a stable `code` from the catalogue (src/errors/catalogue.ts) and optional details. */
export class OpenCDCError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C
  readonly details: Record<string, unknown> | undefined

  constructor (code: C, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options)
    scrubAwsError(options?.cause)
    this.name = 'OpenCDCError'
    this.code = code
    this.details = details
  }
}

export function isOpenCDCError<C extends ErrorCode = ErrorCode> (err: unknown, code?: C): err is OpenCDCError<C> {
  return err instanceof OpenCDCError && (code === undefined || err.code === code)
}

/** The error streams are destroyed with when the caller aborts them, like undici's. */
export function abortError (reason?: unknown): Error {
  const err = new Error('The operation was aborted', { cause: reason }) as Error & { code: string }
  err.name = 'AbortError'
  err.code = 'ABORT_ERR'
  return err
}

/**
 * Drops the raw HTTP message behind an AWS SDK error's hidden `$response` (status and headers stay): it links
 * to the signed request, whose headers hold the session token and the access key id, visible to
 * `inspect(err, { showHidden: true })` and to loggers that walk every property. Follows `cause`.
 */
export function scrubAwsError (err: unknown): void {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const response = Object.getOwnPropertyDescriptor(e, '$response')?.value as { body?: unknown } | undefined
    // $response itself is read-only; the HttpResponse it holds is a plain object.
    if (typeof response === 'object' && response !== null && typeof response.body === 'object' && response.body !== null) {
      try { response.body = undefined } catch {}
    }
  }
}
