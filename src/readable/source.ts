import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient, streamAbortController } from '../aws/clients.js'
import { Checkpointer } from '../checkpoint/checkpointer.js'
import { takeSignal } from '../options/signal.js'
import { abortError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { CdcPhase } from './cdc/cdc-phase.js'
import { warnOn } from './cdc/warn.js'
import { metricsFor, type Metrics } from '../metrics/index.js'
import { RecordReader, type SourceEvents } from './events.js'
import { resolveSourceOptions, type SourceInput, type SourceOptions } from './options.js'
import { compileSourceFilter } from './filter.js'
import { defaultHighWaterMark, highWaterMarkForPages } from './snapshot/plan.js'
import { checkWorkerCheckpoint } from './snapshot/worker-checkpoint.js'
import { ackedPosition, positionKind } from './snapshot/position.js'
import { describeTable, SnapshotEngine, type TableInfo } from './snapshot/engine.js'

export type { SnapshotProgress, TableInfo } from './snapshot/engine.js'
export type SourcePhase = 'idle' | 'snapshot' | 'cdc' | 'done'

/**
 * A Readable (object mode) of OpenCDC records: a parallel, backpressured, resumable snapshot, then the
 * table's changes. Starts in _construct (DescribeTable, checkpoint, stream anchor); the first read begins
 * the run. Emits 'progress' events during the snapshot.
 */
export class DynamoDBSource extends RecordReader<SourceEvents> {
  // Private with a getter, so console.log(source) never prints the static credentials it may hold.
  #options: SourceOptions
  #client: DynamoDBClient
  #ownsClient: boolean
  #streams: DynamoDBStreamsClient | undefined
  #abort = streamAbortController()
  #phase: SourcePhase = 'idle'
  #table: TableInfo | undefined
  #checkpoint: Checkpointer
  #snapshot: SnapshotEngine | undefined
  #cdc: CdcPhase | undefined
  #metrics: Metrics

  constructor (input: SourceInput) {
    const { signal, rest } = takeSignal(input, 'DynamoDB source')
    const options = resolveSourceOptions(rest)
    super({ objectMode: true, highWaterMark: options.highWaterMark ?? 2_000, autoDestroy: true, ...(signal !== undefined ? { signal } : {}) })
    this.#options = options
    this.#ownsClient = options.client === undefined
    this.#client = (options.client as DynamoDBClient | undefined) ?? createDynamoDBClient(options)
    const metrics = this.#metrics = metricsFor(options.metrics)
    this.#checkpoint = new Checkpointer({ store: options.checkpointStore, file: options.checkpoint, table: options.table, interval: options.checkpointInterval, onError: (err) => { this.#fail(err) }, onSaved: () => { metrics.checkpointSaved(this.#checkpoint.label) } })
  }

  /** The resolved options (the secret key and session token are not enumerable: JSON and inspect skip them). */
  get options (): SourceOptions { return this.#options }

  get phase (): SourcePhase { return this.#phase }

  /** Table name, key attribute names and the DescribeTable answer (undefined until the stream has started). */
  get table (): TableInfo | undefined { return this.#table }

  /** Acknowledges a record (or its position) as durably handled downstream; acknowledging twice is harmless. */
  ack (record: Pick<OpenCDCRecord, 'position'> | Uint8Array): void {
    const position = ackedPosition(record)
    if (this.#checkpoint.ack(position)) {
      if (this.#checkpoint.unacked === this.options.maxUnacked - 1) this.#snapshot?.pump()
    } else if (this.#cdc !== undefined && positionKind(position) === 'cdc') {
      this.#cdc.ack({ position })
    }
  }

  /** Writes the checkpoint now (when anything changed since the last save). */
  async flushCheckpoint (): Promise<void> {
    this.#cdc?.sync()
    await this.#checkpoint.flush()
  }

  override _construct (callback: (err?: Error | null) => void): void {
    // Cancelled by destroy(): not a failure of the stream.
    this.#start().then(() => { callback() }, (err: Error) => { callback(this.#abort.signal.aborted ? null : err) })
  }

  async #start (): Promise<void> {
    const o = this.options
    const signal = this.#abort.signal
    this.#table = await describeTable(this.#client, o.table, o.retryBudget, signal)
    const description = this.#table.description
    if (o.highWaterMark === undefined) this.#setHighWaterMark(defaultHighWaterMark(description.TableSizeBytes, description.ItemCount, o.snapshotConcurrency))
    const doc = await this.#checkpoint.load()
    if (signal.aborted) throw signal.reason
    if (doc.snapshot !== undefined) checkWorkerCheckpoint(doc.snapshot, o.snapshotWorker, o.snapshotSegments, this.#checkpoint.label)
    if (o.snapshotOnly) return
    this.#streams = (o.streamsClient as DynamoDBStreamsClient | undefined) ?? createStreamsClient(o)
    this.#cdc = new CdcPhase({
      client: this.#client,
      streams: this.#streams,
      table: o.table,
      options: { ...(o as unknown as ConstructorParameters<typeof CdcPhase>[0]['options']), maxUnacked: o.maxUnacked },
      snapshot: { skip: o.skipSnapshot, consistentRead: o.consistentRead },
      doc,
      trackAcks: this.#checkpoint.enabled,
      metrics: this.#metrics,
      signal,
      push: (record) => this.push(record),
      changed: () => { this.#checkpoint.changed() },
      error: (err) => { this.#fail(err) },
      warn: (err) => { warnOn(this, err) }
    })
    await this.#cdc.anchor()
  }

  override _read (): void {
    if (this.#phase === 'idle') this.#begin()
    else if (this.#phase === 'snapshot') this.#snapshot?.resume()
    else if (this.#phase === 'cdc') this.#cdc?.resume()
  }

  // The first read: the snapshot (unless skipped or already complete in the checkpoint), then the changes.
  #begin (): void {
    if (this.options.skipSnapshot || this.#checkpoint.doc.snapshot?.done === true) { this.#startCdc(); return }
    this.#phase = 'snapshot'
    this.#snapshot = new SnapshotEngine({ client: this.#client, table: this.#table as TableInfo, options: this.options, checkpoint: this.#checkpoint, signal: this.#abort.signal, metrics: this.#metrics, expressions: compileSourceFilter(this.options)?.scan((this.#table as TableInfo).keyNames) }, {
      push: (record) => this.push(record),
      room: () => this.readableHighWaterMark - this.readableLength,
      // DescribeTable's size lags hours behind on AWS: the pages themselves say how many records one holds.
      page: (records) => { if (this.options.highWaterMark === undefined) this.#setHighWaterMark(Math.max(this.readableHighWaterMark, highWaterMarkForPages(records, this.options.snapshotConcurrency))) },
      progress: (p) => { this.emit('progress', p) },
      done: () => { this.#startCdc() },
      error: (err) => { this.#fail(err) }
    })
    this.#snapshot.start()
  }

  // Records vary from bytes to 400 KB: the buffer is sized in pages, not records. No public setter exists.
  #setHighWaterMark (records: number): void {
    (this as unknown as { _readableState: { highWaterMark: number } })._readableState.highWaterMark = records
  }

  // Changes spooled since the anchor, then live ones, follow the snapshot records.
  #startCdc (): void {
    if (this.#phase === 'cdc' || this.#phase === 'done' || this.destroyed) return
    if (this.#cdc === undefined) {
      this.#phase = 'done'
      this.push(null)
      return
    }
    this.#phase = 'cdc'
    this.#cdc.startEmitting()
  }

  #fail (err: unknown): void {
    if (!this.destroyed) this.destroy(err instanceof Error ? err : new Error(String(err)))
  }

  // Node defers _destroy until _construct ends: abort the start-up and every read now.
  override destroy (error?: Error): this {
    if (!this.destroyed) this.#abort.abort(abortError(error))
    return super.destroy(error)
  }

  override _destroy (err: Error | null, cb: (error?: Error | null) => void): void {
    this.#phase = 'done'
    const cdc = this.#cdc?.close() ?? Promise.resolve()
    cdc.catch(() => {}).then(async () => { await this.#checkpoint.flush() }).then(() => { cb(err) }, (saveErr: unknown) => { cb(err ?? saveErr as Error) }).finally(() => {
      if (this.#ownsClient) this.#client.destroy()
      if (this.#streams !== undefined && this.options.streamsClient === undefined) this.#streams.destroy()
    })
  }
}

/** Creates the DynamoDB source. Options: seed settings verbatim or typed camelCase (see docs/source.md), plus Node's `signal`. */
export function createSource (options: SourceInput): DynamoDBSource {
  return new DynamoDBSource(options)
}
