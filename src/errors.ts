/** Every error this package raises on purpose carries a stable `code` (ERR_DDB_*) and optional details. */
export class OpenCDCError extends Error {
  readonly code: string
  readonly details: Record<string, unknown> | undefined

  constructor (code: string, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OpenCDCError'
    this.code = code
    this.details = details
  }
}

export function isOpenCDCError (err: unknown, code?: string): err is OpenCDCError {
  return err instanceof OpenCDCError && (code === undefined || err.code === code)
}

/** The error streams are destroyed with when the caller aborts them, like undici's. */
export function abortError (reason?: unknown): Error {
  const err = new Error('The operation was aborted', { cause: reason }) as Error & { code: string }
  err.name = 'AbortError'
  err.code = 'ABORT_ERR'
  return err
}
