import type { OpenCDCRecord } from '../model/record.js'
import type { BatchPlanner } from './batch-plan.js'
import type { WriteOp } from './write-op.js'

/** What converting one record needs from the destination. */
export interface FeedHost {
  /** The record as a write, or undefined when it was dead-lettered; throws when the round must stop at it. */
  convert: (record: OpenCDCRecord) => WriteOp | undefined | Promise<WriteOp | undefined>
}

/**
 * A round's records, converted into the planner a chunk at a time, so the first request leaves after
 * one batch's worth of conversion and the rest is converted while requests are in flight (at one
 * request in flight, converting the whole round first left DynamoDB idle for that long every round).
 */
export class RoundFeed {
  #records: OpenCDCRecord[]
  #next = 0
  #planner: BatchPlanner
  #host: FeedHost
  /** The error of the record the round stopped at: the records before it are still written. */
  invalid: Error | undefined

  constructor (records: OpenCDCRecord[], planner: BatchPlanner, host: FeedHost) {
    this.#records = records
    this.#planner = planner
    this.#host = host
  }

  /** Every record is in the planner (or dead-lettered), or the round stopped at an invalid one. */
  get done (): boolean {
    return this.invalid !== undefined || this.#next >= this.#records.length
  }

  /** Converts records until the planner holds `pending` ops or `count` records were converted. */
  async fill (pending: number, count = Infinity): Promise<void> {
    const planner = this.#planner
    const end = Math.min(this.#records.length, this.#next + count)
    while (!this.done && this.#next < end && planner.pending < pending) {
      const record = this.#records[this.#next++] as OpenCDCRecord
      let op: WriteOp | undefined
      try {
        const converted = this.#host.convert(record)
        // Only a table seen for the first time or a dead letter awaits: the common case stays synchronous.
        op = converted instanceof Promise ? await converted : converted
      } catch (err) {
        this.invalid = err as Error
        return
      }
      if (op !== undefined) planner.push(op)
    }
  }
}
