import type { WriteOp } from './write-op.js'

/** BatchWriteItem limits. */
export const MAX_BATCH_REQUESTS = 25
export const MAX_BATCH_BYTES = 16 * 1024 * 1024

/** One request of a batch: the op that is sent and every op it settles (earlier ones on the same key it overwrites). */
export interface BatchEntry {
  op: WriteOp
  covers: WriteOp[]
}

/** A BatchWriteItem of puts/deletes, or a single UpdateItem (patch mode). */
export interface PlannedBatch {
  kind: 'batch' | 'update'
  entries: BatchEntry[]
  bytes: number
}

export interface PlanLimits {
  maxRequests?: number
  maxBytes?: number
}

/**
 * Pure batch planner. Ops leave in stream order per key: a key in flight blocks every later op on it,
 * a batch holds a key at most once (a later put/delete replaces an earlier one and settles it), and an
 * update never merges with a put/delete of the same key.
 */
export class BatchPlanner {
  // Ops in arrival order; an op handed out leaves a hole, and the head skips holes, so a batch costs
  // about its own size rather than a pass over the whole round.
  #queue: Array<WriteOp | undefined> = []
  #head = 0
  #pending = 0
  #inFlight = new Set<string>()
  #maxRequests: number
  #maxBytes: number

  constructor (limits: PlanLimits = {}) {
    this.#maxRequests = Math.min(limits.maxRequests ?? MAX_BATCH_REQUESTS, MAX_BATCH_REQUESTS)
    this.#maxBytes = Math.min(limits.maxBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES)
    if (!(this.#maxRequests >= 1)) throw new RangeError('maxRequests must be at least 1')
  }

  push (op: WriteOp): void {
    this.#queue.push(op)
    this.#pending++
  }

  /** Ops not yet handed out. */
  get pending (): number {
    return this.#pending
  }

  /** Keys of batches handed out and not yet released. */
  get keysInFlight (): number {
    return this.#inFlight.size
  }

  /** The next batch that may go out now, or undefined when every pending op waits for a key in flight. */
  next (maxRequests = this.#maxRequests): PlannedBatch | undefined {
    const limit = Math.max(1, Math.min(maxRequests, this.#maxRequests))
    const queue = this.#queue
    const inFlight = this.#inFlight
    // Keys an earlier op of this pass left behind: a later op on them must wait too, to keep per-key order.
    const blocked = new Set<string>()
    const chosen = new Map<string, BatchEntry>()
    const taken: number[] = []
    let bytes = 0
    for (let i = this.#head; i < queue.length; i++) {
      const op = queue[i]
      if (op === undefined || inFlight.has(op.keyId) || blocked.has(op.keyId)) continue
      if (op.kind === 'update') {
        if (chosen.size === 0) {
          this.#take([i], [op.keyId])
          return { kind: 'update', entries: [{ op, covers: [op] }], bytes: op.size }
        }
        blocked.add(op.keyId)
        continue
      }
      const prior = chosen.get(op.keyId)
      const grown = bytes - (prior?.op.size ?? 0) + op.size
      if ((prior === undefined && chosen.size >= limit) || (grown > this.#maxBytes && bytes > 0)) {
        blocked.add(op.keyId)
        if (chosen.size >= limit) break
        continue
      }
      bytes = grown
      chosen.set(op.keyId, { op, covers: prior === undefined ? [op] : [...prior.covers, op] })
      taken.push(i)
    }
    if (chosen.size === 0) return undefined
    this.#take(taken, chosen.keys())
    return { kind: 'batch', entries: [...chosen.values()], bytes }
  }

  /** Frees the batch's keys so later ops on them may go. */
  release (batch: PlannedBatch): void {
    for (const entry of batch.entries) this.#inFlight.delete(entry.op.keyId)
  }

  /** Removes and returns every op not handed out (for error reports and dead-lettering). */
  drain (): WriteOp[] {
    const rest = this.#queue.slice(this.#head).filter((op): op is WriteOp => op !== undefined)
    this.#queue = []
    this.#head = 0
    this.#pending = 0
    return rest
  }

  #take (indexes: number[], keys: Iterable<string>): void {
    for (const k of keys) this.#inFlight.add(k)
    for (const i of indexes) this.#queue[i] = undefined
    this.#pending -= indexes.length
    while (this.#head < this.#queue.length && this.#queue[this.#head] === undefined) this.#head++
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head)
      this.#head = 0
    }
  }
}
