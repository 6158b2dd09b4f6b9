import { OpenCDCError } from '../../errors/index.js'

/** How long DynamoDB Streams keeps a record (fixed by AWS, not configurable). */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000
/** Time the CDC reader needs to reach the oldest records once started: a trimmed record is a lost change. */
export const RETENTION_MARGIN_MS = 60 * 60 * 1000

export interface RetentionCheck {
  /** Milliseconds left before the stream stops reaching back to the start (minus the margin). */
  remainingMs: number
}

/**
 * Throws ERR_DDB_STREAM_RETENTION_GAP when a change made at `startedAt` may already be trimmed from the
 * stream by `now` (24 h retention minus a margin): starting CDC then would silently skip changes.
 */
export function checkStreamRetention (startedAt: Date, now: Date, marginMs = RETENTION_MARGIN_MS): RetentionCheck {
  const start = startedAt.getTime()
  if (!Number.isFinite(start)) throw new OpenCDCError('ERR_DDB_STREAM_RETENTION_GAP', 'the snapshot start time is unknown, so nothing shows that the stream still holds every change since', {})
  const remainingMs = start + STREAM_RETENTION_MS - marginMs - now.getTime()
  if (remainingMs <= 0) {
    const hours = ((now.getTime() - start) / 3_600_000).toFixed(1)
    throw new OpenCDCError('ERR_DDB_STREAM_RETENTION_GAP',
      `the snapshot started at ${startedAt.toISOString()}, ${hours} h ago: DynamoDB Streams keeps records 24 h, so changes made since may already be trimmed (margin ${marginMs / 60_000} min); run the snapshot again with a fresh start`,
      { startedAt: startedAt.toISOString(), now: now.toISOString(), retentionMs: STREAM_RETENTION_MS, marginMs })
  }
  return { remainingMs }
}
