import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient, streamAbortController } from '../../aws/clients.js'
import { CheckpointSaver } from '../../checkpoint/saver.js'
import { FileCheckpointStore, type CheckpointStore } from '../../checkpoint/stores.js'
import { takeSignal } from '../../options/signal.js'
import { abortError, OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { ackedPosition } from '../snapshot/position.js'
import type { CdcCheckpoint } from './change-reader.js'
import { CdcPhase } from './cdc-phase.js'
import { resolveChangeStreamOptions, type ChangeStreamInput, type ChangeStreamOptions } from './settings.js'
import type { StreamInfo } from './stream-check.js'
import { ackBoundWarner, warnOn } from './warn.js'
import { metricsFor } from '../../metrics/index.js'
import { countingMetrics } from '../../metrics/stall-watch.js'
import { watchReaderStalls } from '../stall.js'
import { RecordReader, type ReaderEvents } from '../events.js'

/** The checkpoint document of a change stream: the CDC section, plus whatever else another owner keeps. */
export interface ChangeCheckpoint extends Partial<CdcCheckpoint> { [section: string]: unknown }

/** A Readable of OpenCDC records (create / update / delete) from a table's DynamoDB stream. */
export class ChangeStream extends RecordReader<ReaderEvents> {
  // Private with a getter, so console.log(stream) never prints the static credentials it may hold.
  #options: ChangeStreamOptions
  /** Where progress is kept; undefined when no checkpoint was asked for (acks are then ignored). */
  readonly checkpointStore: CheckpointStore<ChangeCheckpoint> | undefined
  #client: DynamoDBClient
  #streams: DynamoDBStreamsClient
  #ownClient: boolean
  #ownStreams: boolean
  #abort = streamAbortController()
  #started: Promise<void>
  #markStarted!: (err?: Error) => void
  #phase: CdcPhase | undefined
  #saver: CheckpointSaver<ChangeCheckpoint> | undefined
  #doc: ChangeCheckpoint = {}

  /** Options as typed camelCase names or the seed's setting keys, plus Node's `signal`. */
  constructor (input: ChangeStreamInput) {
    const { signal, rest } = takeSignal(input, 'createChangeStream')
    const options = resolveChangeStreamOptions(rest)
    super({ objectMode: true, highWaterMark: options.highWaterMark, ...(signal !== undefined ? { signal } : {}) })
    this.#options = options
    this.checkpointStore = (options.checkpointStore as CheckpointStore<ChangeCheckpoint> | undefined) ??
      (options.checkpoint !== undefined ? new FileCheckpointStore<ChangeCheckpoint>(options.checkpoint) : undefined)
    this.#ownClient = options.client === undefined
    this.#ownStreams = options.streamsClient === undefined
    this.#started = new Promise<void>((resolve, reject) => { this.#markStarted = (err) => { err === undefined ? resolve() : reject(err) } })
    this.#started.catch(() => {})
    this.#client = (options.client as DynamoDBClient | undefined) ?? createDynamoDBClient(options)
    this.#streams = (options.streamsClient as DynamoDBStreamsClient | undefined) ?? createStreamsClient(options)
  }

  /** The resolved options (the secret key and session token are not enumerable: JSON and inspect skip them). */
  get options (): ChangeStreamOptions { return this.#options }

  /** The stream being read: ARN, view type and what that view type loses (once started). */
  get stream (): StreamInfo | undefined { return this.#phase?.stream }

  /** Records read from the stream but not yet pushed (spool and queue). */
  get buffered (): number { return this.#phase?.buffered ?? 0 }

  /** Resolves once every shard's start iterator is taken: changes made after this are read. */
  whenStarted (): Promise<void> { return this.#started }

  override _construct (callback: (err?: Error | null) => void): void {
    this.#start().then(() => { this.#markStarted(); callback() }, (err) => {
      this.#markStarted(err)
      // Cancelled by destroy(): not a failure of the stream.
      callback(this.#abort.signal.aborted ? null : err)
    })
  }

  async #start (): Promise<void> {
    const o = this.options
    const store = this.checkpointStore
    const signal = this.#abort.signal
    const counting = countingMetrics(metricsFor(o.metrics))
    const metrics = counting.metrics
    const stored = await store?.load()
    if (stored?.table !== undefined && stored.table !== o.table) {
      throw new OpenCDCError('ERR_DDB_CHECKPOINT_MISMATCH', `checkpoint belongs to table ${JSON.stringify(stored.table)}, not ${JSON.stringify(o.table)}`, { table: o.table })
    }
    this.#doc = { v: 1, table: o.table, ...stored }
    if (signal.aborted) throw signal.reason
    if (store !== undefined) {
      const label = o.checkpoint ?? (store instanceof FileCheckpointStore ? store.file : 'store')
      this.#saver = new CheckpointSaver({ store, build: () => structuredClone(this.#doc), interval: o.checkpointInterval, label, onError: (err) => { this.destroy(err) }, onSaved: () => { metrics.checkpointSaved(label) } })
    }
    const phase = new CdcPhase({
      client: this.#client,
      streams: this.#streams,
      table: o.table,
      options: o,
      doc: this.#doc,
      metrics,
      trackAcks: store !== undefined,
      signal,
      push: (record) => this.push(record),
      changed: () => { this.#saver?.changed() },
      error: (err) => { this.destroy(err) },
      warn: (err) => { warnOn(this, err) },
      ackBound: ackBoundWarner(this, `change stream (table ${o.table})`, o.maxUnacked)
    })
    this.#phase = phase
    await phase.anchor()
    phase.startEmitting()
    watchReaderStalls(this, `change stream (table ${o.table})`, o.stallTimeout, o.maxUnacked, counting.inFlight, () => ({ phase: 'cdc', moved: 0, unacked: 0, segments: [], cdc: phase }))
  }

  // Node defers _destroy until _construct ends: abort the start-up and every read now.
  override destroy (error?: Error): this {
    if (!this.destroyed) this.#abort.abort(abortError(error))
    return super.destroy(error)
  }

  override _read (): void { this.#phase?.resume() }

  /** Acknowledges a record this stream emitted, or its position (any order); the checkpoint then covers every record up to the first unacknowledged one per shard. Without a checkpoint, a no-op. */
  ack (record: Pick<OpenCDCRecord, 'position'> | Uint8Array): void {
    const position = ackedPosition(record)
    if (this.#phase === undefined) throw new OpenCDCError('ERR_DDB_INVALID_ACK', 'ack before the change stream started')
    this.#phase.ack({ position })
  }

  /** Writes the checkpoint now (when anything changed since the last save). */
  async flushCheckpoint (): Promise<void> {
    this.#phase?.sync()
    await this.#saver?.flush()
  }

  /** The checkpoint document as it would be saved now. */
  checkpoint (): ChangeCheckpoint {
    return { ...this.#doc, ...this.#phase?.checkpoint() }
  }

  override _destroy (err: Error | null, callback: (err?: Error | null) => void): void {
    const phase = this.#phase
    const finish = async (): Promise<void> => {
      await phase?.close()
      if (phase !== undefined && err === null) await this.#saver?.flush()
    }
    finish().then(() => { this.#release(); callback(err) }, (cleanupErr) => { this.#release(); callback(err ?? cleanupErr) })
  }

  #release (): void {
    if (this.#ownClient) this.#client.destroy()
    if (this.#ownStreams) this.#streams.destroy()
  }
}

/** Opens a change stream on a table: options as typed camelCase names or the seed's setting keys, plus Node's `signal`. */
export function createChangeStream (options: ChangeStreamInput): ChangeStream {
  return new ChangeStream(options)
}
