import type { BatchEntry, PlannedBatch } from './batch-plan.js'
import type { WriteOp } from './write-op.js'

// 400s that judge a request's items (a value, an index key, an item collection), not the caller or the table.
const ITEM_REJECTIONS = new Set(['ValidationException', 'ItemCollectionSizeLimitExceededException'])

/** True when DynamoDB refused a whole request because of what an item holds, so a smaller request may pass. */
export function isItemRejection (err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { name?: unknown, $metadata?: { httpStatusCode?: number } }
  return typeof e.name === 'string' && ITEM_REJECTIONS.has(e.name) && e.$metadata?.httpStatusCode === 400
}

/**
 * How to go on after a rejected request: a batch of several entries splits into two halves (sent one after the
 * other, the batch's keys still held, so no later op on a key overtakes); a lone entry is the culprit, and the
 * earlier ops it had overwritten in the batch are tried again as their own request.
 */
export type Isolation =
  | { kind: 'split', parts: [PlannedBatch, PlannedBatch] }
  | { kind: 'culprit', op: WriteOp, retry: PlannedBatch | undefined }

export function isolate (batch: PlannedBatch): Isolation {
  const entries = batch.entries
  if (entries.length > 1) {
    const mid = Math.ceil(entries.length / 2)
    return { kind: 'split', parts: [part(batch.kind, entries.slice(0, mid)), part(batch.kind, entries.slice(mid))] }
  }
  const { op, covers } = entries[0] as BatchEntry
  const earlier = covers.slice(0, -1)
  const last = earlier.at(-1)
  return { kind: 'culprit', op, retry: last === undefined ? undefined : part('batch', [{ op: last, covers: earlier }]) }
}

function part (kind: PlannedBatch['kind'], entries: BatchEntry[]): PlannedBatch {
  let bytes = 0
  for (const e of entries) bytes += e.op.size
  return { kind, entries, bytes }
}
