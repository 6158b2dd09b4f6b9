import { Writable } from 'node:stream'
import { once } from 'node:events'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createDynamoDBClient, streamAbortController } from '../aws/clients.js'
import { takeSignal } from '../options/signal.js'
import { abortError } from '../errors/index.js'
import { retry, retryPolicy, type RetryPolicy } from '../aws/retry.js'
import type { OpenCDCRecord } from '../model/record.js'
import { BatchPlanner, type BatchEntry } from './batch-plan.js'
import { ConcurrencyController, type RequestSample } from './concurrency.js'
import { writeFailedError } from './failure.js'
import { describeKeySchema, type KeySchema } from './key-schema.js'
import { resolveDestinationOptions, type DestinationInput, type DestinationOptions } from './options.js'
import { RateLimiter, planRate } from './rate-limit.js'
import { sendIsolating, writePolicy, type SendContext, type SendFailure } from './send.js'
import { toWriteOp, type WriteOp } from './write-op.js'
import { RoundFeed } from './round-feed.js'
import { metricsFor, type Metrics } from '../metrics/index.js'
import { countingMetrics, watchStalls } from '../metrics/stall-watch.js'

// Records converted between looks at the requests in flight (~0.3 ms of CPU at ~10 µs a record).
const CONVERT_AHEAD = 32

export interface DestinationStats {
  /** Records settled as written (superseded records included). */
  written: number
  /** DynamoDB write requests sent, retries included. */
  requests: number
  /** Requests allowed in flight now (the adaptive limit). */
  concurrency: number
  /** Most requests ever in flight at once. */
  peakInFlight: number
  deadLettered: number
}

/**
 * Object-mode Writable of OpenCDC records into one DynamoDB table. A write's callback fires only once
 * its record is durably written: each _writev round is planned into batches, sent concurrently, and
 * acknowledged as a whole, while the next round gathers in the stream's buffer (highWaterMark). A round is
 * converted to writes a chunk at a time while its first requests are out (RoundFeed).
 */
export class DynamoDBDestination extends Writable {
  #opts: DestinationOptions
  #client: DynamoDBClient
  #metrics: Metrics
  #ownClient: boolean
  // Key schemas of the tables written so far (a routed destination learns its tables as records arrive).
  #schemas = new Map<string, KeySchema>()
  #describing = new Map<string, Promise<KeySchema>>()
  #abort = streamAbortController()
  #limiter: RateLimiter
  #concurrency: ConcurrencyController
  #retry: RetryPolicy
  #index = 0
  #sending = { count: 0 }
  #stats: DestinationStats = { written: 0, requests: 0, concurrency: 1, peakInFlight: 0, deadLettered: 0 }

  constructor (input: DestinationInput) {
    // Everything that can throw runs before super(), so a failed construction leaves no stream behind.
    const { signal, rest } = takeSignal(input, 'DynamoDB destination')
    const opts = resolveDestinationOptions(rest)
    const client = (opts.client as DynamoDBClient | undefined) ?? createDynamoDBClient({
      region: opts.region,
      endpoint: opts.endpoint,
      accessKeyId: opts.accessKeyId,
      secretAccessKey: opts.secretAccessKey,
      sessionToken: opts.sessionToken,
      profile: opts.profile,
      assumeRoleArn: opts.assumeRoleArn,
      assumeRoleExternalId: opts.assumeRoleExternalId,
      assumeRoleSessionName: opts.assumeRoleSessionName,
      maxSockets: opts.maxSockets,
      maxAttempts: opts.maxAttempts
    })
    super({ objectMode: true, highWaterMark: opts.highWaterMark, ...(signal !== undefined ? { signal } : {}) })
    this.#opts = opts
    this.#ownClient = opts.client === undefined
    this.#client = client
    this.#limiter = new RateLimiter(planRate(opts.ratePerSecond, opts.rateBurst, opts.batchSize), opts.batchSize)
    this.#concurrency = new ConcurrencyController({ max: opts.concurrency, adaptive: opts.adaptiveConcurrency })
    this.#retry = writePolicy(opts)
    const counting = countingMetrics(metricsFor(opts.metrics))
    this.#metrics = counting.metrics
    // Records given to write() and not settled (writableLength counts them until their callback) are the pending work.
    watchStalls(this, {
      component: `destination (table ${opts.route.text})`,
      timeoutMs: opts.stallTimeout,
      sample: () => ({
        moved: this.#stats.written + this.#stats.deadLettered,
        work: { phase: 'write', waiting: this.destroyed ? 0 : this.writableLength, unacked: 0, inFlight: counting.inFlight(), shards: [], segments: [] }
      })
    })
  }

  get stats (): DestinationStats {
    return { ...this.#stats, concurrency: this.#concurrency.limit }
  }

  /** The table's primary key, once the stream is constructed (a destination of one table name). */
  get keySchema (): KeySchema | undefined {
    return this.#opts.route.single === undefined ? undefined : this.#schemas.get(this.#opts.route.single)
  }

  /** The primary key of every table written to (or known from the route) so far. */
  get keySchemas (): ReadonlyMap<string, KeySchema> {
    return this.#schemas
  }

  override _construct (callback: (error?: Error | null) => void): void {
    // Tables known up front (a name, a map's values) are described now, so a missing one fails before any write.
    Promise.all(this.#opts.route.known.map(async (table) => await this.#schemaOf(table))).then(() => callback(),
      (err: Error) => { callback(this.#abort.signal.aborted ? null : err) }) // cancelled by destroy(): not a failure
  }

  // Throttling, 5xx and resets are retried like any write; a missing table fails at once.
  async #schemaOf (table: string): Promise<KeySchema> {
    const known = this.#schemas.get(table)
    if (known !== undefined) return known
    let pending = this.#describing.get(table)
    if (pending === undefined) {
      pending = retry(retryPolicy({ retries: this.#opts.maxRetries }), (signal) => describeKeySchema(this.#client, table, signal), this.#abort.signal)
      this.#describing.set(table, pending)
    }
    try {
      const schema = await pending
      this.#schemas.set(table, schema)
      return schema
    } finally {
      this.#describing.delete(table)
    }
  }

  // Node defers _destroy until _construct ends: abort the start-up DescribeTable now, not after its retries.
  override destroy (error?: Error): this {
    if (!this.destroyed) this.#abort.abort(abortError(error))
    return super.destroy(error)
  }

  override _write (record: OpenCDCRecord, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#settle(this.#round([record]), callback)
  }

  override _writev (chunks: Array<{ chunk: OpenCDCRecord }>, callback: (error?: Error | null) => void): void {
    this.#settle(this.#round(chunks.map((c) => c.chunk)), callback)
  }

  override _final (callback: (error?: Error | null) => void): void {
    // Every round has settled before _final runs, so nothing is pending here.
    this.#limiter.stop().then(() => callback(), callback)
  }

  // In-flight requests were aborted by destroy() above.
  override _destroy (error: Error | null, callback: (error?: Error | null) => void): void {
    this.#limiter.stop().finally(() => {
      if (this.#ownClient) this.#client.destroy()
      callback(error)
    })
  }

  #settle (work: Promise<void>, callback: (error?: Error | null) => void): void {
    work.then(() => callback(), (err: Error) => callback(this.destroyed ? null : err))
  }

  async #round (records: OpenCDCRecord[]): Promise<void> {
    const planner = new BatchPlanner({ maxRequests: this.#limiter.maxWeight })
    const feed = new RoundFeed(records, planner, { convert: (record) => this.#convert(record) })
    // Records before an invalid one are still written, so the error loses nothing that came earlier.
    const { failures, notAttempted } = await this.#drive(planner, feed)
    if (failures.length > 0) {
      if (this.#opts.deadLetter === undefined) throw writeFailedError(failedTables(failures, this.#opts.route.text), failures, notAttempted)
      for (const f of failures) await this.#deadLetter(f.entries.flatMap((e) => e.covers.map((op) => op.record)), f.error)
    }
    if (feed.invalid !== undefined) throw feed.invalid
  }

  // Synchronous unless the record names a table not described yet or has to be dead-lettered.
  #convert (record: OpenCDCRecord): WriteOp | undefined | Promise<WriteOp | undefined> {
    const index = this.#index++
    let table: string
    try {
      table = this.#opts.route.tableOf(record, index)
    } catch (err) {
      return this.#rejected(record, err as Error)
    }
    const schema = this.#schemas.get(table)
    // A table that cannot be described is the destination's failure, not the record's: never dead-lettered.
    if (schema === undefined) return this.#schemaOf(table).then((s) => this.#toOp(record, index, s, table))
    return this.#toOp(record, index, schema, table)
  }

  #toOp (record: OpenCDCRecord, index: number, schema: KeySchema, table: string): WriteOp | undefined | Promise<undefined> {
    try {
      return toWriteOp(record, index, schema, this.#opts.updateMode, table)
    } catch (err) {
      return this.#rejected(record, err as Error)
    }
  }

  #rejected (record: OpenCDCRecord, err: Error): Promise<undefined> {
    if (this.#opts.deadLetter === undefined) throw err
    return this.#deadLetter([record], err).then(() => undefined)
  }

  async #drive (planner: BatchPlanner, feed: RoundFeed): Promise<{ failures: SendFailure[], notAttempted: WriteOp[] }> {
    const failures: SendFailure[] = []
    const running = new Set<Promise<void>>()
    let fatal: Error | undefined
    const ctx = this.#context()
    const stopOnFailure = this.#opts.deadLetter === undefined
    const stopped = (): boolean => fatal !== undefined || (stopOnFailure && failures.length > 0)
    for (;;) {
      // Enough ops for every free slot before sending; the rest are converted while requests are out.
      if (!stopped()) await feed.fill(this.#concurrency.limit * this.#limiter.maxWeight)
      while (!stopped() && running.size < this.#concurrency.limit) {
        const batch = planner.next()
        if (batch === undefined) break
        const task: Promise<void> = sendIsolating(ctx, batch).then((failed) => {
          planner.release(batch)
          failures.push(...failed)
        }, (err: Error) => { fatal ??= err }).finally(() => running.delete(task))
        running.add(task)
        this.#stats.peakInFlight = Math.max(this.#stats.peakInFlight, running.size)
      }
      if (running.size === 0 && (feed.done || stopped())) break
      if (!feed.done && !stopped()) {
        await feed.fill(Infinity, CONVERT_AHEAD)
        // Lets finished requests settle, so a free slot waits for one chunk of conversion at most.
        await new Promise((resolve) => setImmediate(resolve))
        continue
      }
      await Promise.race(running)
    }
    if (fatal !== undefined) throw fatal
    // The error names every record of the round that was not written: convert those the feed had not reached.
    if (!feed.done) await feed.fill(Infinity)
    return { failures, notAttempted: planner.drain() }
  }

  #context (): SendContext {
    const o = this.#opts
    return {
      client: this.#client,
      schemas: this.#schemas,
      limiter: this.#limiter,
      signal: this.#abort.signal,
      retry: this.#retry,
      sending: this.#sending,
      onSample: (s: RequestSample) => { this.#concurrency.record(s) },
      onRequest: () => { this.#stats.requests++ },
      metrics: this.#metrics,
      onWritten: (entries: BatchEntry[]) => {
        const records = entries.flatMap((e) => e.covers.map((op) => op.record))
        for (const e of entries) this.#metrics.written(e.op.table, e.covers.length)
        this.#stats.written += records.length
        try {
          o.onWritten?.(records)
        } catch (err) {
          this.destroy(err as Error)
        }
      }
    }
  }

  async #deadLetter (records: OpenCDCRecord[], error: Error): Promise<void> {
    const target = this.#opts.deadLetter
    for (const record of records) {
      if (typeof target === 'function') await target(record, error)
      else if (target !== undefined && !target.write({ record, error })) await once(target, 'drain', { signal: this.#abort.signal })
      this.#stats.deadLettered++
    }
  }
}

function failedTables (failures: SendFailure[], fallback: string): string {
  const tables = new Set(failures.flatMap((f) => f.entries.map((e) => e.op.table)))
  return tables.size === 0 ? fallback : [...tables].join('", "')
}

/** An object-mode Writable writing OpenCDC records to a DynamoDB table (batched, ordered per key, rate-limited, retried). */
export function createDestination (options: DestinationInput): DynamoDBDestination {
  return new DynamoDBDestination(options)
}
