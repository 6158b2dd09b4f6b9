import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { sleep } from '../../aws/clients.js'
import { retry, type RetryPolicy } from '../../aws/retry.js'
import { withWireDecode } from '../../aws/wire-hook.js'
import { decodeGetRecords } from '../../aws/wire-decode.js'
import { OpenCDCError } from '../../errors/index.js'
import { classifyStreamError, restartPoint } from './faults.js'
import type { StartPoint } from './shard-tree.js'
import type { Metrics } from '../../metrics/index.js'

/** What a shard reader needs from the engine that owns it. */
export interface ReaderHost {
  readonly streams: DynamoDBStreamsClient
  readonly streamArn: string
  readonly signal: AbortSignal
  /** Retries of GetRecords and GetShardIterator (only faults classified 'retryable' are retried). */
  readonly retry: RetryPolicy
  readonly metrics: Metrics
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
    for (;;) {
      const page = await this.#call('GetRecords', async (signal) => {
        const limit = await host.acquire()
        host.metrics.request('GetRecords'); host.metrics.inFlight('GetRecords', 1)
        try {
          return { limit, out: await host.streams.send(withWireDecode(new GetRecordsCommand({ ShardIterator: this.#iterator, Limit: limit }), decodeGetRecords), { abortSignal: signal }) }
        } catch (err) {
          host.release(limit)
          throw err
        } finally {
          host.metrics.inFlight('GetRecords', -1)
        }
      })
      if (page === undefined) {
        // The iterator expired (15 minutes unused): take a new one after the last record read.
        this.#iterator = await this.#getIterator(restartPoint(this.start, this.#lastRead))
        continue
      }
      const { limit, out } = page
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
    const out = await this.#call('GetShardIterator', async (signal) => await host.streams.send(new GetShardIteratorCommand({
      StreamArn: host.streamArn,
      ShardId: this.shardId,
      ShardIteratorType: point.type,
      ...('sequenceNumber' in point ? { SequenceNumber: point.sequenceNumber } : {})
    }), { abortSignal: signal }))
    if (out?.ShardIterator === undefined) throw new OpenCDCError('ERR_DDB_STREAM_READ', `GetShardIterator returned no iterator for shard ${this.shardId}`, { shardId: this.shardId })
    return out.ShardIterator
  }

  /** One stream call under the retry policy; undefined when the iterator expired, a coded error for everything that is final. */
  async #call<T> (call: string, send: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const host = this.#host
    const policy = { ...host.retry, retryable: (err: unknown) => classifyStreamError(err) === 'retryable' }
    try {
      return await retry(policy, send, host.signal, { onRetry: (err) => { if (call === 'GetRecords') host.metrics.retried('GetRecords', err) } })
    } catch (err) {
      const fault = classifyStreamError(err)
      if (fault === 'expired' && call === 'GetRecords') return undefined
      const safe = this.#lastRead ?? ('sequenceNumber' in this.start ? this.start.sequenceNumber : undefined)
      if (fault === 'trimmed') throw host.lost(this.shardId, safe, `${call}: TrimmedDataAccessException`, err)
      if (fault === 'missing') throw host.lost(this.shardId, safe, `${call}: the shard does not exist (ResourceNotFoundException)`, err)
      if (fault === 'aborted' || fault === 'expired') throw err
      throw new OpenCDCError('ERR_DDB_STREAM_READ',
        `${call} on shard ${this.shardId}${safe !== undefined ? ` (after sequence number ${safe})` : ''} failed${fault === 'retryable' ? ` after ${policy.retries + 1} attempts` : ''}: ${(err as Error)?.message ?? String(err)}`,
        { shardId: this.shardId, sequenceNumber: safe, call }, { cause: err })
    }
  }
}
