import { OpenCDCError } from '../errors.js'
import type { KeyJSON } from './position.js'

/** Bytes of table per Scan segment: a segment is worth its extra requests once it has a full 1 MB page to read. */
export const BYTES_PER_SEGMENT = 1024 * 1024

/** TotalSegments for a table of this size: one per MiB, at least 1, at most the Scan concurrency. */
export function defaultSegments (tableSizeBytes: number | undefined, concurrency: number): number {
  const size = tableSizeBytes !== undefined && Number.isFinite(tableSizeBytes) && tableSizeBytes > 0 ? tableSizeBytes : 0
  return Math.max(1, Math.min(concurrency, Math.ceil(size / BYTES_PER_SEGMENT)))
}

/**
 * Records to buffer: about 256 KiB per concurrent Scan at the table's average item size, within 16..5000
 * (1000 when unknown). Each Scan in flight brings up to a 1 MB page of its own, so the buffer only has to
 * cover a Scan's latency: 1,000 and 14,000 records snapshot equally fast here, and the smaller holds far less.
 */
export function defaultHighWaterMark (tableSizeBytes: number | undefined, itemCount: number | undefined, concurrency: number): number {
  if (tableSizeBytes === undefined || itemCount === undefined || !(tableSizeBytes > 0) || !(itemCount > 0)) return 1_000
  return Math.max(16, Math.min(5_000, Math.round(concurrency * 262_144 / (tableSizeBytes / itemCount))))
}

/** A segment's saved progress: not started (null), resume after a key, or fully acknowledged. */
export type SegmentCheckpoint = null | { key: KeyJSON } | { done: true }

/** The snapshot section of the checkpoint document. */
export interface SnapshotCheckpoint {
  totalSegments: number
  /** True only when every snapshot record was acknowledged. */
  done: boolean
  segments: SegmentCheckpoint[]
}

/**
 * The checkpoint document. The snapshot owns `snapshot`; the CDC phase owns `streamArn` and `shards`;
 * unknown sections are kept as they are.
 */
export interface SourceCheckpoint {
  v: 1
  table: string
  snapshot?: SnapshotCheckpoint
  streamArn?: string
  shards?: Record<string, unknown>
  [section: string]: unknown
}

export interface SegmentPlan {
  segment: number
  /** KeyJSON to pass as ExclusiveStartKey, undefined to start at the beginning of the segment. */
  startKey?: KeyJSON
}

function corrupt (source: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_CHECKPOINT_CORRUPT', `checkpoint ${source}: ${rule}; remove it to start over`, { checkpoint: source })
}

/** Checks a loaded checkpoint document: its version, its table, and the shape of its snapshot section. */
export function checkCheckpoint (doc: unknown, table: string, source: string): SourceCheckpoint {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw corrupt(source, 'is not a JSON object')
  const d = doc as Partial<SourceCheckpoint>
  if (d.v !== 1) throw corrupt(source, `has version ${JSON.stringify(d.v)}, expected 1`)
  if (d.table !== table) {
    throw new OpenCDCError('ERR_DDB_CHECKPOINT_MISMATCH', `checkpoint ${source} belongs to table ${JSON.stringify(d.table)}, not ${JSON.stringify(table)}`, { checkpoint: source })
  }
  const s = d.snapshot
  if (s !== undefined) {
    if (typeof s !== 'object' || s === null) throw corrupt(source, 'snapshot is not an object')
    if (!Number.isInteger(s.totalSegments) || s.totalSegments < 1 || s.totalSegments > 1_000_000) throw corrupt(source, 'snapshot.totalSegments is not an integer from 1 to 1000000')
    if (typeof s.done !== 'boolean') throw corrupt(source, 'snapshot.done is not a boolean')
    if (!Array.isArray(s.segments) || s.segments.length !== s.totalSegments) throw corrupt(source, 'snapshot.segments does not hold one entry per segment')
    s.segments.forEach((seg, i) => {
      const ok = seg === null || (typeof seg === 'object' && ((seg as { done?: unknown }).done === true || (typeof (seg as { key?: unknown }).key === 'object' && (seg as { key?: unknown }).key !== null)))
      if (!ok) throw corrupt(source, `snapshot.segments[${i}] is neither null, {"key":…} nor {"done":true}`)
    })
  }
  return d as SourceCheckpoint
}

/** A fresh snapshot section: every segment not started. */
export function newSnapshotCheckpoint (totalSegments: number): SnapshotCheckpoint {
  return { totalSegments, done: false, segments: Array.from({ length: totalSegments }, () => null) }
}

/** The segments still to scan and where each one starts. */
export function planSegments (state: SnapshotCheckpoint): SegmentPlan[] {
  if (state.done) return []
  const plans: SegmentPlan[] = []
  state.segments.forEach((seg, segment) => {
    if (seg === null) plans.push({ segment })
    else if ('key' in seg) plans.push({ segment, startKey: seg.key })
  })
  return plans
}
