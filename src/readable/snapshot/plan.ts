import type { KeyJSON } from './position.js'
import { ownsSegment, type SnapshotWorker } from './worker.js'

/** Bytes of table per Scan segment: a segment is worth its extra requests once it has a full 1 MB page to read. */
export const BYTES_PER_SEGMENT = 1024 * 1024

/** TotalSegments for a table of this size: one per MiB, at least 1, at most the Scan concurrency. */
export function defaultSegments (tableSizeBytes: number | undefined, concurrency: number): number {
  const size = tableSizeBytes !== undefined && Number.isFinite(tableSizeBytes) && tableSizeBytes > 0 ? tableSizeBytes : 0
  return Math.max(1, Math.min(concurrency, Math.ceil(size / BYTES_PER_SEGMENT)))
}

/** DynamoDB ends a Scan page after 1 MB of items read. */
export const PAGE_BYTES = 1024 * 1024

/**
 * Records to buffer for pages of `pageRecords`: one page, within 16..50000. The Scans in flight (a page
 * each) land on top of it, so a stalled consumer holds at most one page per concurrent Scan plus one.
 */
export function highWaterMarkForPages (pageRecords: number): number {
  return Math.max(16, Math.min(50_000, Math.ceil(pageRecords)))
}

/** The starting buffer: pages at the table's average item size (1000 records when unknown; the first full page corrects it). */
export function defaultHighWaterMark (tableSizeBytes: number | undefined, itemCount: number | undefined): number {
  if (tableSizeBytes === undefined || itemCount === undefined || !(tableSizeBytes > 0) || !(itemCount > 0)) return 1_000
  return highWaterMarkForPages(PAGE_BYTES / (tableSizeBytes / itemCount))
}

/** A segment's saved progress: not started (null), resume after a key, or fully acknowledged. */
export type SegmentCheckpoint = null | { key: KeyJSON } | { done: true }

/** The snapshot section of the checkpoint document. */
export interface SnapshotCheckpoint {
  totalSegments: number
  /** True only when every snapshot record was acknowledged. */
  done: boolean
  segments: SegmentCheckpoint[]
  /** A sharded snapshot: the worker this checkpoint belongs to (it scans only its own segments). */
  worker?: SnapshotWorker
  /** When this worker's snapshot first started (ISO 8601): the stream must still reach back to it for the hand-off. */
  startedAt?: string
}

export interface SegmentPlan {
  segment: number
  /** KeyJSON to pass as ExclusiveStartKey, undefined to start at the beginning of the segment. */
  startKey?: KeyJSON
}

/** A fresh snapshot section: every segment not started. */
export function newSnapshotCheckpoint (totalSegments: number, worker?: SnapshotWorker, now = new Date()): SnapshotCheckpoint {
  const fresh: SnapshotCheckpoint = { totalSegments, done: false, segments: Array.from({ length: totalSegments }, () => null) }
  return worker === undefined ? fresh : { ...fresh, worker: { index: worker.index, count: worker.count }, startedAt: now.toISOString() }
}

/** Whether every segment this checkpoint's worker owns (every segment without one) is fully acknowledged. */
export function ownedSegmentsDone (state: SnapshotCheckpoint): boolean {
  return state.segments.every((s, i) => !ownsSegment(i, state.worker) || (s !== null && 'done' in s))
}

/** The segments still to scan and where each one starts. */
export function planSegments (state: SnapshotCheckpoint): SegmentPlan[] {
  if (state.done) return []
  const plans: SegmentPlan[] = []
  state.segments.forEach((seg, segment) => {
    if (!ownsSegment(segment, state.worker)) return
    if (seg === null) plans.push({ segment })
    else if ('key' in seg) plans.push({ segment, startKey: seg.key })
  })
  return plans
}
