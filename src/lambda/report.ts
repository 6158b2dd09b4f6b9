import { OpenCDCError } from '../errors/index.js'
import type { LambdaContextLike, LambdaStreamRecord, StreamBatchResponse } from './event.js'

/** How an invocation ended: every record before `firstNotDone` is durably written (or dead-lettered); none from it on counts as done. */
export interface BatchOutcome {
  /** Index of the first record not done; the batch's length when all are done. */
  firstNotDone: number
  /** Why that record is not done (a write or conversion error, or the deadline). */
  error?: Error
}

/** Lowest of the indexes given (records that failed, the first record not taken); `length` when there are none. */
export function firstNotDone (length: number, ...indexes: Array<number | undefined>): number {
  let first = length
  for (const i of indexes) if (i !== undefined && i < first) first = i
  return first
}

/** True when the invocation has less than marginMs left; without a context (a local call) never. */
export function nearDeadline (context: LambdaContextLike | undefined, marginMs: number): boolean {
  if (context === undefined || typeof context.getRemainingTimeInMillis !== 'function') return false
  return context.getRemainingTimeInMillis() < marginMs
}

/** Milliseconds until the point where writes still in flight are aborted (half the margin before the end); Infinity without a context. */
export function msUntilAbort (context: LambdaContextLike | undefined, marginMs: number): number {
  if (context === undefined || typeof context.getRemainingTimeInMillis !== 'function') return Infinity
  return Math.max(0, context.getRemainingTimeInMillis() - marginMs / 2)
}

function failedError (records: readonly LambdaStreamRecord[], outcome: BatchOutcome, rule: string): OpenCDCError {
  const record = records[outcome.firstNotDone]
  const seq = record?.dynamodb?.SequenceNumber
  const cause = outcome.error
  return new OpenCDCError('ERR_DDB_LAMBDA_BATCH_FAILED',
    `record ${outcome.firstNotDone + 1} of ${records.length} (sequence number ${seq ?? '?'}, ${record?.eventSourceARN ?? 'no eventSourceARN'}) and the ${records.length - outcome.firstNotDone - 1} after it were not written: ${rule}${cause !== undefined ? `: ${cause.message}` : ''}`,
    { index: outcome.firstNotDone, sequenceNumber: seq, eventSourceArn: record?.eventSourceARN }, { cause })
}

/**
 * The handler's answer. All done: no failures. Otherwise, with ReportBatchItemFailures, the FIRST record
 * not done, by sequence number — Lambda checkpoints before it and retries from it, so per-key order holds;
 * naming later ones too would change nothing (Lambda takes the lowest). Without it, or when that record
 * has no sequence number to name, throw: Lambda then retries the whole batch.
 */
export function batchResponse (records: readonly LambdaStreamRecord[], outcome: BatchOutcome, reportBatchItemFailures: boolean): StreamBatchResponse {
  if (outcome.firstNotDone >= records.length) return { batchItemFailures: [] }
  if (!reportBatchItemFailures) throw failedError(records, outcome, 'reportBatchItemFailures is off, so the whole batch is retried')
  const seq = records[outcome.firstNotDone]?.dynamodb?.SequenceNumber
  if (typeof seq !== 'string' || seq === '') throw failedError(records, outcome, 'it has no SequenceNumber to report, so the whole batch is retried')
  return { batchItemFailures: [{ itemIdentifier: seq }] }
}
