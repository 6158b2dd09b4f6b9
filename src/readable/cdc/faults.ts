import { isRetryableAwsError } from '../../aws/clients.js'
import { OpenCDCError } from '../../errors/index.js'
import type { ShardLoss, StartPoint } from './shard-tree.js'

export type StreamFault = 'expired' | 'trimmed' | 'missing' | 'retryable' | 'aborted' | 'fatal'

/** What a GetShardIterator / GetRecords error means for the shard reader. */
export function classifyStreamError (err: unknown): StreamFault {
  const name = (err as { name?: string } | null)?.name
  if (name === 'AbortError') return 'aborted'
  if (name === 'ExpiredIteratorException') return 'expired'
  if (name === 'TrimmedDataAccessException') return 'trimmed'
  if (name === 'ResourceNotFoundException') return 'missing'
  return isRetryableAwsError(err) ? 'retryable' : 'fatal'
}

/**
 * Where to start again after an iterator expired: after the last record read; with nothing read yet the
 * original start, except LATEST, which would skip what arrived meanwhile, so the horizon instead.
 */
export function restartPoint (start: StartPoint, lastRead: string | undefined): StartPoint {
  if (lastRead !== undefined) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastRead }
  return start.type === 'LATEST' ? { type: 'TRIM_HORIZON' } : start
}

// How to recover from a loss, and what to say instead when onTrimmed is already "resnapshot" (it acts at start-up).
const RECOVER = 'To recover, take a new snapshot: set onTrimmed: "resnapshot", or clear the checkpoint and start again.'
const RECOVER_BY_RESTART = 'onTrimmed is "resnapshot": start the source again with the same checkpoint and it takes a new snapshot first (a running source does not re-snapshot in place).'

/** A data-loss or stream-changed error as a running source with onTrimmed: "resnapshot" reports it. */
export function recoverByRestart (err: OpenCDCError): OpenCDCError {
  return new OpenCDCError(err.code, err.message.replace(RECOVER, RECOVER_BY_RESTART), err.details, { cause: err.cause })
}

export interface DataLossContext {
  table: string
  streamArn: string
  shardId: string
  sequenceNumber?: string | undefined
  reason: string
}

/** The error raised when stream records the checkpoint still needs are gone; says how to recover. */
export function dataLossError (ctx: DataLossContext, cause?: unknown): OpenCDCError {
  const where = ctx.sequenceNumber !== undefined ? `after sequence number ${ctx.sequenceNumber}` : 'from its start'
  return new OpenCDCError('ERR_DDB_STREAM_DATA_LOSS',
    `table ${ctx.table}: stream records of shard ${ctx.shardId} ${where} can no longer be read (${ctx.reason}); ` +
    'changes were lost because DynamoDB Streams keeps records for 24 hours. ' +
    RECOVER,
    { table: ctx.table, streamArn: ctx.streamArn, shardId: ctx.shardId, sequenceNumber: ctx.sequenceNumber, reason: ctx.reason },
    cause !== undefined ? { cause } : undefined)
}

export function lossReason (loss: ShardLoss): string {
  return loss.reason === 'vanished'
    ? 'the shard is no longer listed by DescribeStream (trimmed)'
    : 'its parent shard was created and trimmed while the reader was stopped'
}

/** The error raised when the checkpoint belongs to another stream than the table's current one. */
export function streamChangedError (table: string, stored: string, current: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_STREAM_CHANGED',
    `table ${table}: the checkpoint was taken on stream ${stored} but the table's stream is now ${current} ` +
    '(the stream was disabled and enabled again, or the table was recreated); changes in between are lost. ' +
    RECOVER,
    { table, storedStreamArn: stored, streamArn: current })
}
