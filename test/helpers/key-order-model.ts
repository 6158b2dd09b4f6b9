import type { PlannedBatch } from '../../src/writable/batch-plan.js'
import type { WriteOp } from '../../src/writable/write-op.js'

/**
 * An independent model of the table a batch plan writes to: it replays batches as they are sent and as
 * they complete and reports every broken rule (per-key stream order, one request per key per batch, no
 * key in two requests in flight, limits, exactly-once settling). Shares no code with the planner.
 */
export class KeyOrderModel {
  #byKey = new Map<string, WriteOp[]>()
  #cursor = new Map<string, number>()
  #inFlight = new Set<string>()
  #table = new Map<string, number>()
  #settled = new Set<number>()
  #total: number

  constructor (ops: WriteOp[], private readonly limits: { maxRequests: number, maxBytes: number }) {
    for (const o of ops) this.#byKey.set(o.keyId, [...(this.#byKey.get(o.keyId) ?? []), o])
    this.#total = ops.length
  }

  /** Checks a batch the moment it is handed out; returns what is wrong with it. */
  send (b: PlannedBatch): string[] {
    const problems: string[] = []
    const keys = b.entries.map((e) => e.op.keyId)
    if (keys.length === 0) problems.push('an empty batch')
    if (new Set(keys).size !== keys.length) problems.push(`a key twice in one batch: ${keys.join()}`)
    if (keys.length > this.limits.maxRequests) problems.push(`${keys.length} requests, above ${this.limits.maxRequests}`)
    const sum = b.entries.reduce((n, e) => n + e.op.size, 0)
    if (b.bytes !== sum) problems.push(`bytes ${b.bytes} but its requests hold ${sum}`)
    if (sum > this.limits.maxBytes && keys.length > 1) problems.push(`${sum} bytes in ${keys.length} requests, above ${this.limits.maxBytes}`)
    const updates = b.entries.filter((e) => e.op.kind === 'update').length
    if (b.kind === 'update' ? keys.length !== 1 || updates !== 1 : updates !== 0) problems.push(`a ${b.kind} holding ${updates} updates in ${keys.length} requests`)
    for (const e of b.entries) {
      const k = e.op.keyId
      if (this.#inFlight.has(k)) problems.push(`key ${k} in two requests in flight`)
      this.#inFlight.add(k)
      const list = this.#byKey.get(k) ?? []
      const at = this.#cursor.get(k) ?? 0
      const expected = list.slice(at, at + e.covers.length).map((o) => o.index)
      const got = e.covers.map((o) => o.index)
      if (got.join() !== expected.join()) problems.push(`key ${k} sent out of stream order: covers ${got.join()}, next due ${expected.join()}`)
      if (e.covers.at(-1) !== e.op) problems.push(`key ${k}: the op sent (${e.op.index}) is not the last it covers`)
      if (e.covers.length > 1 && e.covers.some((o) => o.kind === 'update')) problems.push(`key ${k}: an update merged with another write`)
      this.#cursor.set(k, at + e.covers.length)
    }
    return problems
  }

  /** Applies a completed batch to the model table. */
  complete (b: PlannedBatch): string[] {
    const problems: string[] = []
    for (const e of b.entries) {
      this.#inFlight.delete(e.op.keyId)
      const before = this.#table.get(e.op.keyId) ?? -1
      if (e.op.index < before) problems.push(`key ${e.op.keyId}: write ${e.op.index} lands after ${before}`)
      this.#table.set(e.op.keyId, e.op.index)
      for (const c of e.covers) {
        if (this.#settled.has(c.index)) problems.push(`record ${c.index} settled twice`)
        this.#settled.add(c.index)
      }
    }
    return problems
  }

  /** After the last batch: each key holds its last write and every record settled. */
  finish (): string[] {
    const problems: string[] = []
    if (this.#settled.size !== this.#total) problems.push(`${this.#settled.size} of ${this.#total} records settled`)
    for (const [k, list] of this.#byKey) {
      const last = list.at(-1)?.index
      if (this.#table.get(k) !== last) problems.push(`key ${k} ends at write ${this.#table.get(k)}, not its last (${last})`)
    }
    return problems
  }
}
