import { Readable } from 'node:stream'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient } from '../../aws.js'
import { FileCheckpointStore, type CheckpointStore } from '../../checkpoint.js'
import { OpenCDCError } from '../../errors.js'
import type { OpenCDCRecord } from '../../record.js'
import type { CdcCheckpoint } from './change-reader.js'
import { CheckpointWriter } from './checkpoint-writer.js'
import { CdcPhase } from './handoff.js'
import { resolveChangeStreamOptions, type ChangeStreamOptions } from './settings.js'
import type { StreamInfo } from './stream-check.js'
import { warnOn } from './warn.js'

/** The checkpoint document of a change stream: the CDC section, plus whatever else another owner keeps. */
export interface ChangeCheckpoint extends Partial<CdcCheckpoint> { [section: string]: unknown }

/** A Readable of OpenCDC records (create / update / delete) from a table's DynamoDB stream. */
export class ChangeStream extends Readable {
  readonly options: ChangeStreamOptions
  /** Where progress is kept; undefined when no checkpoint was asked for (acks are then ignored). */
  readonly checkpointStore: CheckpointStore<ChangeCheckpoint> | undefined
  #client: DynamoDBClient
  #streams: DynamoDBStreamsClient
  #ownClient: boolean
  #ownStreams: boolean
  #startAbort = new AbortController()
  #started: Promise<void>
  #markStarted!: (err?: Error) => void
  #phase: CdcPhase | undefined
  #writer: CheckpointWriter<ChangeCheckpoint> | undefined
  #base: ChangeCheckpoint = {}

  constructor (options: ChangeStreamOptions) {
    super({ objectMode: true, highWaterMark: options.highWaterMark })
    this.options = options
    this.checkpointStore = (options.checkpointStore as CheckpointStore<ChangeCheckpoint> | undefined) ??
      (options.checkpoint !== undefined ? new FileCheckpointStore<ChangeCheckpoint>(options.checkpoint) : undefined)
    this.#ownClient = options.client === undefined
    this.#ownStreams = options.streamsClient === undefined
    this.#started = new Promise<void>((resolve, reject) => { this.#markStarted = (err) => { err === undefined ? resolve() : reject(err) } })
    this.#started.catch(() => {})
    this.#client = (options.client as DynamoDBClient | undefined) ?? createDynamoDBClient(options)
    this.#streams = (options.streamsClient as DynamoDBStreamsClient | undefined) ?? createStreamsClient(options)
  }

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
      callback(this.#startAbort.signal.aborted ? null : err)
    })
  }

  async #start (): Promise<void> {
    const o = this.options
    const store = this.checkpointStore
    const stored = await store?.load()
    if (stored?.table !== undefined && stored.table !== o.table) {
      throw new OpenCDCError('ERR_DDB_CHECKPOINT_MISMATCH', `checkpoint belongs to table ${JSON.stringify(stored.table)}, not ${JSON.stringify(o.table)}`, { table: o.table })
    }
    this.#base = { v: 1, table: o.table, ...stored }
    if (this.#startAbort.signal.aborted) throw this.#startAbort.signal.reason
    const phase = new CdcPhase({
      client: this.#client,
      streams: this.#streams,
      table: o.table,
      options: o,
      stored,
      trackAcks: store !== undefined,
      push: (record) => this.push(record),
      progress: () => { this.#writer?.request() },
      error: (err) => { this.destroy(err) },
      warn: (err) => { warnOn(this, err) }
    })
    this.#phase = phase
    if (store !== undefined) this.#writer = new CheckpointWriter(store, () => ({ ...this.#base, ...phase.checkpoint() }), (err) => {
      this.destroy(new OpenCDCError('ERR_DDB_CHECKPOINT_SAVE', `table ${o.table}: saving the checkpoint failed: ${err.message}`, { table: o.table }, { cause: err }))
    })
    await phase.anchor()
    phase.startEmitting()
  }

  override destroy (error?: Error): this {
    this.#startAbort.abort()
    this.#phase?.close().catch(() => {})
    return super.destroy(error)
  }

  override _read (): void { this.#phase?.resume() }

  /** Acknowledges a record this stream emitted (any order); the checkpoint then covers every record up to the first unacknowledged one per shard. Without a checkpoint, a no-op. */
  ack (record: Pick<OpenCDCRecord, 'position'>): void {
    if (this.#phase === undefined) throw new OpenCDCError('ERR_DDB_INVALID_ACK', 'ack before the change stream started')
    this.#phase.ack(record)
  }

  /** The checkpoint document as it would be saved now. */
  checkpoint (): ChangeCheckpoint {
    return { ...this.#base, ...this.#phase?.checkpoint() }
  }

  override _destroy (err: Error | null, callback: (err?: Error | null) => void): void {
    const reader = this.#phase
    const finish = async (): Promise<void> => {
      await reader?.close()
      if (reader !== undefined && err === null) await this.#writer?.flush()
    }
    finish().then(() => { this.#release(); callback(err) }, (cleanupErr) => { this.#release(); callback(err ?? cleanupErr) })
  }

  #release (): void {
    if (this.#ownClient) this.#client.destroy()
    if (this.#ownStreams) this.#streams.destroy()
  }
}

/** Opens a change stream on a table: options as typed camelCase names or the seed's setting keys. */
export function createChangeStream (options: Record<string, unknown> | Partial<ChangeStreamOptions>): ChangeStream {
  return new ChangeStream(resolveChangeStreamOptions(options as Record<string, unknown>))
}
