import { OpenCDCError } from '../errors/index.js'
import type { SnapshotCheckpoint } from '../readable/snapshot/plan.js'

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
