import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { backoffDelay, sleep } from '../../aws.js'
import { OpenCDCError } from '../../errors.js'
import { classifyStreamError, restartPoint } from './faults.js'
import type { StartPoint } from './shard-tree.js'

/** What a shard reader needs from the engine that owns it. */
export interface ReaderHost {
  readonly streams: DynamoDBStreamsClient
  readonly streamArn: string
  readonly signal: AbortSignal
  readonly maxRetries: number
  /** Waits for an in-flight slot and buffer room; returns the page size reserved. */
  acquire: () => Promise<number>
  /** Returns the slot and the reservation taken by acquire. */
  release: (limit: number) => void
  /** Takes a page of records, in order, before the next GetRecords. */
  deliver: (shardId: string, events: StreamEvent[], readAt: number) => Promise<void>
  /** How long to wait after `emptyPolls` empty pages in a row. */
  delay: (shardId: string, emptyPolls: number) => number
  /** The shard was read to its true end. */
  finished: (shardId: string) => void
  /** The error for records of this shard that can no longer be read. */
  lost: (shardId: string, sequenceNumber: string | undefined, reason: string, cause: unknown) => Error
}

/** Reads one shard from its start point to its end (a null NextShardIterator), or until aborted. */
export class ShardReader {
  readonly shardId: string
  readonly start: StartPoint
  #host: ReaderHost
  #iterator: string | undefined
  #lastRead: string | undefined

  constructor (host: ReaderHost, shardId: string, start: StartPoint) {
    this.#host = host
    this.shardId = shardId
    this.start = start
  }

  get lastRead (): string | undefined { return this.#lastRead }

  /** Takes the first iterator; for LATEST this fixes the point from which every later change is read. */
  async open (): Promise<void> {
    this.#iterator ??= await this.#getIterator(this.start)
  }

  async run (): Promise<void> {
    await this.open()
    const host = this.#host
    let empty = 0
    let attempt = 0
    for (;;) {
      const limit = await host.acquire()
      let out
      try {
        out = await host.streams.send(new GetRecordsCommand({ ShardIterator: this.#iterator, Limit: limit }), { abortSignal: host.signal })
      } catch (err) {
        host.release(limit)
        const fault = classifyStreamError(err)
        if (fault === 'expired') {
          this.#iterator = await this.#getIterator(restartPoint(this.start, this.#lastRead))
          continue
        }
        await this.#retryOrThrow(err, fault, ++attempt, 'GetRecords')
        continue
      }
      attempt = 0
      const events = out.Records ?? []
      try {
        if (events.length > 0) {
          await host.deliver(this.shardId, events, Date.now())
          this.#lastRead = events[events.length - 1]?.dynamodb?.SequenceNumber ?? this.#lastRead
        }
      } finally {
        host.release(limit)
      }
      if (out.NextShardIterator === undefined || out.NextShardIterator === null) {
        host.finished(this.shardId)
        return
      }
      this.#iterator = out.NextShardIterator
      empty = events.length > 0 ? 0 : empty + 1
      const wait = host.delay(this.shardId, empty)
      if (wait > 0) await sleep(wait, host.signal)
    }
  }

  async #getIterator (point: StartPoint): Promise<string> {
    const host = this.#host
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await host.streams.send(new GetShardIteratorCommand({
          StreamArn: host.streamArn,
          ShardId: this.shardId,
          ShardIteratorType: point.type,
          ...('sequenceNumber' in point ? { SequenceNumber: point.sequenceNumber } : {})
        }), { abortSignal: host.signal })
        if (out.ShardIterator === undefined) throw new OpenCDCError('ERR_DDB_STREAM_READ', `GetShardIterator returned no iterator for shard ${this.shardId}`, { shardId: this.shardId })
        return out.ShardIterator
      } catch (err) {
        await this.#retryOrThrow(err, classifyStreamError(err), attempt, 'GetShardIterator')
      }
    }
  }

  async #retryOrThrow (err: unknown, fault: ReturnType<typeof classifyStreamError>, attempt: number, call: string): Promise<void> {
    const host = this.#host
    const safe = this.#lastRead ?? ('sequenceNumber' in this.start ? this.start.sequenceNumber : undefined)
    if (fault === 'trimmed') throw host.lost(this.shardId, safe, `${call}: TrimmedDataAccessException`, err)
    if (fault === 'missing') throw host.lost(this.shardId, safe, `${call}: the shard does not exist (ResourceNotFoundException)`, err)
    if (fault === 'retryable' && attempt <= host.maxRetries) {
      await sleep(backoffDelay(attempt, 100, 10_000), host.signal)
      return
    }
    if (fault === 'aborted' || fault === 'expired') throw err
    throw new OpenCDCError('ERR_DDB_STREAM_READ',
      `${call} on shard ${this.shardId}${safe !== undefined ? ` (after sequence number ${safe})` : ''} failed${fault === 'retryable' ? ` after ${attempt} attempts` : ''}: ${(err as Error)?.message ?? String(err)}`,
      { shardId: this.shardId, sequenceNumber: safe, call }, { cause: err })
  }
}
