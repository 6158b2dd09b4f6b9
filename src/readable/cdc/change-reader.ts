import type { DynamoDBStreamsClient, _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { AckLedger } from '../../checkpoint/ledger.js'
import { manyListeners, sleep, streamAbortController } from '../../aws/clients.js'
import { DEFAULT_CDC_RETRIES, retry, retryPolicy, type RetryPolicy } from '../../aws/retry.js'
import { abortError, isOpenCDCError, OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { toOpenCDC } from './convert.js'
import { filterStreamEvent } from './filtered.js'
import { listShards } from './discovery.js'
import { dataLossError, lossReason } from './faults.js'
import { pollDelay } from './polling.js'
import { compareSequenceNumbers, decodeCdcPosition } from './position.js'
import { ShardReader, type ReaderHost } from './shard-reader.js'
import { ShardTree } from './shard-tree.js'
import { Spool } from './spool.js'
import { noMetrics, type Metrics } from '../../metrics/index.js'
import type { CdcCheckpoint, ChangeReaderEvents, ChangeReaderOptions } from './reader-options.js'

export type { CdcCheckpoint, ChangeReaderEvents, ChangeReaderOptions, StreamDeadLetterHandler } from './reader-options.js'

interface Entry { shardId: string, readAt: number, event: StreamEvent }

// A CDC position's identity in the ledger: sequence numbers are unique within a shard.
const ledgerId = (shardId: string, sequenceNumber: string): string => `${shardId}\n${sequenceNumber}`

const PAGE = 1000

/**
 * Reads every shard of a stream in lineage order. anchor() takes the start iterators (LATEST on a fresh
 * start) and starts reading into a spool; startEmitting() then hands spooled and later records downstream,
 * in read order per shard, with backpressure. Nothing here knows about Readable.
 */
export class ChangeReader implements ReaderHost {
  readonly streams: DynamoDBStreamsClient
  readonly streamArn: string
  readonly retry: RetryPolicy
  readonly metrics: Metrics
  #opts: ChangeReaderOptions
  #on: ChangeReaderEvents
  #abort = streamAbortController()
  #signal: AbortSignal
  #tree: ShardTree
  #ledger = new AckLedger<string>(() => { this.#on.progress() })
  #queue: Entry[] = []
  #spool: Spool<Entry>
  #emitting = false
  #flowing = false
  #pumping = false
  #deadLettering = false
  #refilling = false
  #reserved = 0
  #inFlight = 0
  #waiters = new Set<() => void>()
  #discovering: Promise<void> | undefined
  #rediscover = false
  #failed = false
  #closed = false
  // Shards whose last page had records: more are expected at once (the stall detector's "shards with data").
  #withData = new Set<string>()
  // Records settled and pages read while emitting (with `emitted`, the stall detector's movement).
  #moves = 0
  emitted = 0

  constructor (opts: ChangeReaderOptions, on: ChangeReaderEvents) {
    this.metrics = opts.metrics ?? noMetrics
    this.#opts = opts
    this.#on = on
    this.streams = opts.streams
    this.streamArn = opts.streamArn
    this.retry = retryPolicy({ retries: opts.maxRetries ?? DEFAULT_CDC_RETRIES })
    this.#tree = new ShardTree({ startFrom: opts.startFrom, progress: opts.progress })
    this.#spool = new Spool<Entry>(opts.spool)
    this.#signal = opts.signal === undefined ? this.#abort.signal : manyListeners(AbortSignal.any([opts.signal, this.#abort.signal]))
  }

  get signal (): AbortSignal { return this.#signal }

  /** Records read and not yet handed downstream (queue and spool). */
  get buffered (): number { return this.#queue.length + this.#spool.size }

  /** Grows whenever anything moves downstream: a record pushed, settled, or a page read while emitting. */
  get moved (): number { return this.emitted + this.#moves }

  /** What is pending (records buffered, emitted and not acknowledged, shards with data), for the stall detector. */
  stallWork (): { buffered: number, unacked: number, shards: string[] } {
    return { buffered: this.buffered, unacked: this.#opts.trackAcks === false ? 0 : Math.max(0, this.#ledger.unacked - this.buffered), shards: [...this.#withData].sort() }
  }

  /** Spool statistics, for tests and logs. */
  get spilled (): number { return this.#spool.spilled }

  /** First discovery and the start iterators of every readable shard; readers then run, spooling what they read. */
  async anchor (): Promise<void> {
    const started = await this.#discover()
    await Promise.all(started.map(async (r) => { await r.open() }))
    for (const r of started) this.#run(r)
    this.#on.progress()
    void this.#discoveryLoop()
  }

  /** From now on records go downstream: first everything spooled since anchor(), then live. */
  startEmitting (): void {
    this.#emitting = true
    this.#flowing = true
    this.#pump()
  }

  /** The consumer wants more (a Readable's _read). */
  resume (): void {
    this.#flowing = true
    this.#pump()
  }

  /** Acknowledges an emitted record; the checkpoint moves over the contiguous acknowledged prefix per shard. */
  ack (record: Pick<OpenCDCRecord, 'position'>): void {
    const { shardId, sequenceNumber } = decodeCdcPosition(record.position)
    if (this.#opts.trackAcks === false) return
    this.#settle(shardId, sequenceNumber)
  }

  #settle (shardId: string, sequenceNumber: string): void {
    if (!this.#ledger.ack(ledgerId(shardId, sequenceNumber))) {
      const frontier = this.#ledger.frontier(shardId)
      if (frontier !== undefined && compareSequenceNumbers(sequenceNumber, frontier) <= 0) return
      throw new OpenCDCError('ERR_DDB_INVALID_ACK', `ack for shard ${shardId} sequence number ${sequenceNumber}, which this source has not emitted or already acknowledged`, { shardId, sequenceNumber })
    }
    this.#moves++
    this.#wake()
  }

  /** The CDC section of the checkpoint as of now. */
  checkpoint (): CdcCheckpoint {
    return {
      streamArn: this.streamArn,
      shards: this.#tree.progress((id) => this.#ledger.frontier(id), (id) => this.#ledger.pending(id))
    }
  }

  /** Stops every reader and timer at once; in-flight calls and sleeps are aborted. */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#abort.abort(abortError())
    this.#wake()
    await this.#spool.close()
  }

  #fail (err: unknown): void {
    if (this.#failed || this.#closed) return
    if ((err as Error)?.name === 'AbortError' && this.#signal.aborted) return
    this.#failed = true
    this.#abort.abort(abortError(err))
    this.#wake()
    this.#on.error(err instanceof Error ? err : new Error(String(err)))
  }

  async #discover (): Promise<ShardReader[]> {
    const listing = await retry(this.retry, async (signal) => await listShards(this.streams, this.streamArn, signal), this.signal)
    const { added, lost } = this.#tree.update(listing)
    const loss = lost[0]
    if (loss !== undefined) {
      throw dataLossError({ table: this.#opts.table, streamArn: this.streamArn, shardId: loss.shardId, sequenceNumber: loss.sequenceNumber, reason: lossReason(loss) })
    }
    const started = this.#tree.take().map(({ shardId, start }) => new ShardReader(this, shardId, start))
    this.#countShards()
    if (added.length > 0) this.#on.progress()
    return started
  }

  async #discoveryLoop (): Promise<void> {
    try {
      for (;;) {
        await sleep(this.#opts.discoveryPollingPeriod, this.signal)
        await this.#discoverNow()
      }
    } catch (err) {
      this.#fail(err)
    }
  }

  // One discovery at a time; a request during one runs another right after (a finished shard's children).
  async #discoverNow (): Promise<void> {
    if (this.#discovering !== undefined) {
      this.#rediscover = true
      return await this.#discovering
    }
    this.#discovering = (async () => {
      do {
        this.#rediscover = false
        for (const r of await this.#discover()) this.#run(r)
      } while (this.#rediscover)
    })().finally(() => { this.#discovering = undefined })
    return await this.#discovering
  }

  #run (reader: ShardReader): void {
    reader.run().catch((err) => { this.#fail(err) })
  }

  // ReaderHost

  async acquire (): Promise<number> {
    const cap = this.#opts.maxBufferedRecords
    for (;;) {
      if (this.signal.aborted) throw this.signal.reason
      const room = cap - this.#queue.length - this.#reserved - (this.#emitting ? this.#spool.size : 0)
      // While the consumer is full, prefetch at most one page so the next one is ready when it asks.
      const unackedEmitted = this.#ledger.unacked - this.buffered
      const open = !this.#emitting || (room >= Math.min(PAGE, cap) && unackedEmitted < (this.#opts.maxUnacked ?? Infinity) &&
        (this.#flowing || this.#queue.length + this.#reserved === 0))
      if (this.#inFlight < this.#opts.concurrency && open) {
        const limit = this.#emitting ? Math.max(1, Math.min(PAGE, room)) : PAGE
        this.#inFlight++
        this.#reserved += limit
        return limit
      }
      if (this.#emitting && unackedEmitted >= (this.#opts.maxUnacked ?? Infinity)) this.#on.ackBound?.()
      await new Promise<void>((resolve) => { this.#waiters.add(resolve) })
    }
  }

  release (limit: number): void {
    this.#inFlight--
    this.#reserved -= limit
    this.#wake()
  }

  async deliver (shardId: string, read: StreamEvent[], readAt: number): Promise<void> {
    const cutoff = this.#tree.cutoff(shardId)
    // A resumed LATEST start: history older than the first run's anchor is in the snapshot, not replayed.
    const events = cutoff === undefined ? read : read.filter((e) => (e.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Infinity) >= cutoff)
    if (events.length === 0) return
    const entries: Entry[] = []
    for (const event of events) {
      const sequenceNumber = event.dynamodb?.SequenceNumber
      if (sequenceNumber === undefined) {
        throw new OpenCDCError('ERR_DDB_INVALID_STREAM_RECORD', `stream record of shard ${shardId} (table ${this.#opts.table}, event ${event.eventID ?? '?'}) has no SequenceNumber`, { shardId, eventId: event.eventID })
      }
      if (this.#opts.trackAcks !== false) this.#ledger.track(shardId, sequenceNumber, ledgerId(shardId, sequenceNumber))
      entries.push({ shardId, readAt, event })
    }
    const created = events[events.length - 1]?.dynamodb?.ApproximateCreationDateTime
    if (created !== undefined) this.metrics.lag(this.#opts.table, shardId, Math.max(0, (Date.now() - created.getTime()) / 1000))
    this.metrics.read(this.#opts.table, 'cdc', events.length)
    this.#withData.add(shardId)
    if (this.#emitting) this.#moves++
    const first = entries[0]?.event.dynamodb?.SequenceNumber
    if (first !== undefined && this.#tree.markRead(shardId, first)) this.#on.progress()
    if (!this.#emitting || this.#spool.size > 0 || this.#refilling) await this.#spool.append(entries)
    else this.#queue.push(...entries)
    // Convert and push after the reader has sent its next GetRecords, so the two overlap.
    setImmediate(() => { this.#pump() })
  }

  delay (shardId: string, emptyPolls: number): number {
    if (emptyPolls > 0) this.#withData.delete(shardId)
    return pollDelay(this.#opts.polling, emptyPolls, this.#tree.isClosing(shardId))
  }

  finished (shardId: string): void {
    this.#tree.finish(shardId)
    this.#withData.delete(shardId)
    this.#countShards()
    this.#on.progress()
    this.#discoverNow().catch((err) => { this.#fail(err) })
  }

  #countShards (): void {
    this.metrics.shards(this.#opts.table, this.#tree.unfinished(), this.#tree.reading().length)
  }

  lost (shardId: string, sequenceNumber: string | undefined, reason: string, cause: unknown): Error {
    return dataLossError({ table: this.#opts.table, streamArn: this.streamArn, shardId, sequenceNumber, reason }, cause)
  }

  #wake (): void {
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const w of waiters) w()
  }

  #pump (): void {
    if (this.#pumping || this.#deadLettering || !this.#emitting || this.#failed || this.#closed) return
    this.#pumping = true
    try {
      while (this.#flowing) {
        const entry = this.#queue.shift()
        if (entry === undefined) {
          if (this.#spool.size > 0) void this.#refill()
          break
        }
        let record: OpenCDCRecord
        try {
          const ctx = { table: this.#opts.table, shardId: entry.shardId, readAt: entry.readAt }
          const event = this.#opts.changeFilter === undefined ? entry.event : filterStreamEvent(entry.event, this.#opts.changeFilter, ctx)
          if (event === undefined) {
            // Out of the filter before and after: nothing goes downstream, but the checkpoint moves past it.
            this.#skip(entry)
            continue
          }
          record = toOpenCDC(event, ctx)
        } catch (err) {
          if (this.#opts.onInvalidRecord !== 'dead-letter' || !isOpenCDCError(err, 'ERR_DDB_INVALID_STREAM_RECORD')) throw err
          void this.#deadLetter(entry, err)
          break
        }
        this.emitted++
        if (!this.#on.push(record)) this.#flowing = false
      }
    } catch (err) {
      this.#fail(err)
    } finally {
      this.#pumping = false
    }
    this.#wake()
  }

  // Nothing after the record is pushed, and its position is not settled, until the handler has returned.
  async #deadLetter (entry: Entry, err: OpenCDCError): Promise<void> {
    this.#deadLettering = true
    try {
      const handler = this.#opts.deadLetter
      if (handler === undefined) throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'onInvalidRecord: "dead-letter" needs a deadLetter function', { option: 'deadLetter' })
      await handler(entry.event, err)
    } catch (cause) {
      this.#deadLettering = false
      this.#fail(new OpenCDCError('ERR_DDB_DEAD_LETTER', `the dead letter for an undecodable record failed (${(cause as Error)?.message ?? String(cause)}); not moving past it: ${err.message}`, err.details, { cause }))
      return
    }
    this.#deadLettering = false
    if (this.#failed || this.#closed) return
    this.#on.warn?.(err)
    this.#skip(entry)
    this.#pump()
  }

  // A record that is not emitted (dead-lettered, filtered out) is settled as if acknowledged.
  #skip (entry: Entry): void {
    const sequenceNumber = entry.event.dynamodb?.SequenceNumber
    if (this.#opts.trackAcks !== false && sequenceNumber !== undefined) this.#settle(entry.shardId, sequenceNumber)
  }

  async #refill (): Promise<void> {
    if (this.#refilling) return
    this.#refilling = true
    try {
      const entries = await this.#spool.shift(Math.max(1, Math.min(PAGE, this.#opts.maxBufferedRecords)))
      this.#queue.push(...entries)
    } catch (err) {
      this.#fail(err)
    } finally {
      this.#refilling = false
    }
    this.#pump()
  }
}
