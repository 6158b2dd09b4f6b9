import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient, streamAbortController } from '../aws/clients.js'
import { Checkpointer } from '../checkpoint/checkpointer.js'
import { takeSignal } from '../options/signal.js'
import { abortError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { CdcPhase } from './cdc/cdc-phase.js'
import { ackBoundWarner, warnOn } from './cdc/warn.js'
import { metricsFor, type Metrics } from '../metrics/index.js'
import { countingMetrics } from '../metrics/stall-watch.js'
import { watchReaderStalls } from './stall.js'
import { failReader, RecordReader, type SourceEvents } from './events.js'
import type { SnapshotProgress } from './snapshot/engine.js'
import { resolveSourceOptions, type SourceInput, type SourceOptions } from './options.js'
import { compileSourceFilter } from './filter.js'
import { defaultHighWaterMark, highWaterMarkForPages } from './snapshot/plan.js'
import { checkWorkerCheckpoint } from './snapshot/worker-checkpoint.js'
import { ackedPosition, positionKind } from './snapshot/position.js'
import { TablesSource } from './tables/source.js'
import type { TablesSourceInput } from './tables/options.js'
import { kScanSlots, ScanSlots } from './snapshot/slots.js'
import { describeTable, SnapshotEngine, type TableInfo } from './snapshot/engine.js'
import { ExportSnapshotEngine, exportS3Config } from './snapshot/export-engine.js'
import type { ExportClient } from './snapshot/export-call.js'
import { checkSnapshotKind } from './snapshot/export-checkpoint.js'

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
  #snapshot: SnapshotEngine | ExportSnapshotEngine | undefined
  #cdc: CdcPhase | undefined
  #metrics: Metrics
  #slots: ScanSlots | undefined
  #ackBound: () => void
  // Snapshot records pushed and acknowledged, and Scan pages: the stall detector's movement.
  #moved = 0

  constructor (input: SourceInput) {
    const { signal, rest } = takeSignal(input, 'DynamoDB source')
    const options = resolveSourceOptions(rest)
    const slots = (input as unknown as Record<symbol, unknown>)[kScanSlots]
    super({ objectMode: true, highWaterMark: options.highWaterMark ?? 2_000, autoDestroy: true, ...(signal !== undefined ? { signal } : {}) })
    this.#options = options
    this.#slots = slots instanceof ScanSlots ? slots : undefined
    this.#ownsClient = options.client === undefined
    this.#client = (options.client as DynamoDBClient | undefined) ?? createDynamoDBClient(options)
    const counting = countingMetrics(metricsFor(options.metrics), (phase) => { if (phase === 'snapshot') this.#moved++ })
    const metrics = this.#metrics = counting.metrics
    this.#checkpoint = new Checkpointer({ store: options.checkpointStore, file: options.checkpoint, table: options.table, interval: options.checkpointInterval, onError: (err) => { this.#fail(err) }, onSaved: () => { metrics.checkpointSaved(this.#checkpoint.label) } })
    this.#ackBound = ackBoundWarner(this, `source (table ${options.table})`, options.maxUnacked)
    watchReaderStalls(this, `source (table ${options.table})`, options.stallTimeout as number, options.maxUnacked, counting.inFlight, () => ({
      phase: this.#phase === 'done' ? (this.#cdc !== undefined ? 'cdc' : 'snapshot') : this.#phase, moved: this.#moved, unacked: this.#checkpoint.enabled ? this.#checkpoint.unacked : 0, segments: this.#snapshot instanceof SnapshotEngine ? this.#snapshot.pendingSegments : [], cdc: this.#cdc
    }))
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
      this.#moved++
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
    this.#table = await describeTable(this.#client, o.table, o.snapshotRetries, signal)
    const description = this.#table.description
    if (o.highWaterMark === undefined) this.#setHighWaterMark(defaultHighWaterMark(description.TableSizeBytes, description.ItemCount))
    const doc = await this.#checkpoint.load()
    if (signal.aborted) throw signal.reason
    if (doc.snapshot !== undefined) checkWorkerCheckpoint(doc.snapshot, o.snapshotWorker, o.snapshotSegments, this.#checkpoint.label)
    checkSnapshotKind(doc, o.snapshotFrom, this.#checkpoint.label)
    if (o.snapshotOnly) return
    this.#streams = (o.streamsClient as DynamoDBStreamsClient | undefined) ?? createStreamsClient(o)
    this.#cdc = new CdcPhase({
      client: this.#client,
      streams: this.#streams,
      table: o.table,
      options: o,
      // An export needs no settle wait after the anchor: exportDelay already separates the anchor from the export's cut.
      snapshot: { skip: o.skipSnapshot, consistentRead: o.consistentRead || o.snapshotFrom === 'export' },
      doc,
      trackAcks: this.#checkpoint.enabled,
      metrics: this.#metrics,
      signal,
      push: (record) => this.push(record),
      changed: () => { this.#checkpoint.changed() },
      error: (err) => { this.#fail(err) },
      warn: (err) => { warnOn(this, err) },
      ackBound: this.#ackBound
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
    const o = this.options
    const doc = this.#checkpoint.doc
    if (o.skipSnapshot || doc.snapshot?.done === true || (doc.export as { done?: boolean } | undefined)?.done === true) { this.#startCdc(); return }
    this.#phase = 'snapshot'
    const host = {
      push: (record: OpenCDCRecord) => { this.#moved++; return this.push(record) },
      room: () => this.readableHighWaterMark - this.readableLength,
      // DescribeTable's size lags hours behind on AWS: the pages themselves say how many records one holds.
      page: (records: number) => { if (this.options.highWaterMark === undefined) this.#setHighWaterMark(Math.max(this.readableHighWaterMark, highWaterMarkForPages(records))) },
      progress: (p: SnapshotProgress) => { this.emit('progress', p) },
      done: () => { this.#startCdc() },
      error: (err: Error) => { this.#fail(err) },
      ackBound: this.#ackBound
    }
    const table = this.#table as TableInfo
    this.#snapshot = o.snapshotFrom === 'export'
      ? new ExportSnapshotEngine({ exportClient: (o.exportClient as ExportClient | undefined) ?? this.#client, s3: exportS3Config(o), table, options: o, checkpoint: this.#checkpoint, signal: this.#abort.signal, metrics: this.#metrics }, host)
      : new SnapshotEngine({ client: this.#client, table, options: o, checkpoint: this.#checkpoint, signal: this.#abort.signal, metrics: this.#metrics, ...(this.#slots !== undefined ? { slots: this.#slots } : {}), expressions: compileSourceFilter(o)?.scan(table.keyNames) }, host)
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

  #fail (err: unknown): void { failReader(this, err) }

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

/**
 * Creates the DynamoDB source. Options: seed settings verbatim or typed camelCase (see docs/source.md), plus
 * Node's `signal`. With `tables` (a list or a selector) instead of `table`, one stream reads many tables.
 */
export function createSource (options: SourceInput): DynamoDBSource
export function createSource (options: TablesSourceInput): TablesSource
export function createSource (options: SourceInput | TablesSourceInput): DynamoDBSource | TablesSource {
  const o = options as Record<string, unknown> | undefined
  if (o !== undefined && o !== null && o.tables !== undefined) return new TablesSource(options as TablesSourceInput)
  return new DynamoDBSource(options as SourceInput)
}
