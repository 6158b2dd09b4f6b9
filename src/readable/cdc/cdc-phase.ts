import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { sleep } from '../../aws/clients.js'
import { isOpenCDCError, type OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import { ChangeReader, type CdcCheckpoint } from './change-reader.js'
import { recoverByRestart, streamChangedError } from './faults.js'
import type { CdcOptions } from './settings.js'
import type { ShardProgress } from './shard-tree.js'
import { checkStream, type StreamInfo } from './stream-check.js'
import { warnOn } from './warn.js'
import type { Metrics } from '../../metrics/index.js'
import { compileSourceFilter } from '../filter.js'
import { checkViewTypeForFilter } from '../../filter/change.js'

/** The checkpoint document as the CDC phase sees it: it owns streamArn and shards, and may reset snapshot. */
export interface CdcSections { streamArn?: string, shards?: Record<string, unknown>, snapshot?: unknown, export?: unknown, [section: string]: unknown }

export interface CdcPhaseOptions {
  client: DynamoDBClient
  streams: DynamoDBStreamsClient
  table: string
  options: Omit<CdcOptions, 'checkpoint' | 'checkpointStore' | 'highWaterMark' | 'checkpointInterval'>
  /** Before a snapshot (createSource): a lost checkpoint may be reset for a new snapshot (onTrimmed: 'resnapshot'), and the settle wait applies. */
  snapshot?: { skip: boolean, consistentRead: boolean } | undefined
  /** The loaded checkpoint document; streamArn and shards are written into it (once per tick). */
  doc: CdcSections
  /** Track acknowledgements (needed only when a checkpoint is kept). */
  trackAcks: boolean
  metrics?: Metrics | undefined
  /** The host's signal: aborts every call and wait. */
  signal: AbortSignal
  /** Hands a record downstream; false pauses until resume(). */
  push: (record: OpenCDCRecord) => boolean
  /** The document changed: save it. */
  changed: () => void
  error: (err: Error) => void
  /** A record was dead-lettered (onInvalidRecord: 'dead-letter'); default: a process warning. */
  warn?: (err: OpenCDCError) => void
  /** Polling waits on maxUnacked unacknowledged records. */
  ackBound?: () => void
}

const isLoss = (err: unknown): boolean => isOpenCDCError(err, 'ERR_DDB_STREAM_DATA_LOSS') || isOpenCDCError(err, 'ERR_DDB_STREAM_CHANGED')

/**
 * The CDC phase of a source, in two steps around a snapshot: anchor() before the scan starts (stream
 * checks, then start iterators on every shard — LATEST on a fresh start — with readers spooling from
 * then on), startEmitting() after the last snapshot record was pushed. Every change made after anchor()
 * returned is emitted after the snapshot, in per-key order (docs/cdc.md).
 */
export class CdcPhase {
  #opts: CdcPhaseOptions
  #reader: ChangeReader | undefined
  #stream: StreamInfo | undefined
  #progressPending = false

  constructor (opts: CdcPhaseOptions) { this.#opts = opts }

  get stream (): StreamInfo | undefined { return this.#stream }

  /** Records read and not yet pushed (spool and queue). */
  get buffered (): number { return this.#reader?.buffered ?? 0 }

  get started (): boolean { return this.#reader !== undefined }

  /** Grows whenever records move downstream (stall detector). */
  get moved (): number { return this.#reader?.moved ?? 0 }

  /** Pending CDC work (stall detector); empty before anchor(). */
  stallWork (): { buffered: number, unacked: number, shards: string[] } {
    return this.#reader?.stallWork() ?? { buffered: 0, unacked: 0, shards: [] }
  }

  async anchor (): Promise<void> {
    const { doc, options: o, snapshot } = this.#opts
    try {
      await this.#anchor()
    } catch (err) {
      if (!isLoss(err) || o.onTrimmed !== 'resnapshot' || snapshot === undefined || snapshot.skip) throw err
      await this.#reader?.close()
      // Stream records the checkpoint needs are gone: forget snapshot and stream progress, anchor anew.
      delete doc.snapshot
      delete doc.export
      delete doc.streamArn
      delete doc.shards
      await this.#anchor()
    }
    // A write acknowledged just before the anchor may not yet show on every replica an eventually consistent Scan reads.
    const settle = o.handoffSettle ?? 0
    if (snapshot !== undefined && !snapshot.skip && !snapshot.consistentRead && settle > 0 && (doc.snapshot as { done?: boolean } | undefined)?.done !== true) {
      await sleep(settle, this.#opts.signal)
    }
  }

  async #anchor (): Promise<void> {
    const { client, streams, table, options: o, doc, signal } = this.#opts
    this.#stream = await checkStream({ client, streams, table, enableStream: o.enableStream, enableStreamTimeout: o.enableStreamTimeout, requireFullImages: o.requireFullImages, signal })
    const arn = this.#stream.streamArn
    const filter = compileSourceFilter(o)
    if (filter?.filters === true) checkViewTypeForFilter(this.#stream.viewType, table)
    if (doc.streamArn !== undefined && doc.streamArn !== arn) throw streamChangedError(table, doc.streamArn, arn)
    if (signal.aborted) throw signal.reason
    const reader = new ChangeReader({
      table,
      streams,
      streamArn: arn,
      signal,
      startFrom: o.startFrom,
      progress: doc.streamArn === arn ? doc.shards as Record<string, ShardProgress> | undefined : undefined,
      discoveryPollingPeriod: o.discoveryPollingPeriod,
      polling: { base: o.recordsPollingPeriod, max: o.maxRecordsPollingPeriod, idlePolls: o.idlePollsBeforeBackoff },
      concurrency: o.cdcConcurrency,
      maxRetries: o.cdcRetries,
      maxBufferedRecords: o.maxBufferedRecords,
      maxUnacked: o.maxUnacked,
      trackAcks: this.#opts.trackAcks,
      metrics: this.#opts.metrics,
      onInvalidRecord: o.onInvalidRecord,
      deadLetter: o.deadLetter,
      changeFilter: filter?.change,
      spool: { memoryLimit: o.spoolMemoryRecords, ...(o.spoolDir !== undefined ? { dir: o.spoolDir } : {}) }
    }, {
      push: this.#opts.push,
      progress: () => { this.#scheduleProgress() },
      error: (err) => { this.#opts.error(this.#whileRunning(err)) },
      warn: this.#opts.warn ?? ((err) => { warnOn(undefined, err) }),
      ...(this.#opts.ackBound !== undefined ? { ackBound: this.#opts.ackBound } : {})
    })
    this.#reader = reader
    await reader.anchor()
  }

  // A loss found while running: the policy re-snapshots at start-up, so say that a restart is what recovers.
  #whileRunning (err: Error): Error {
    if (this.#opts.snapshot === undefined || this.#opts.options.onTrimmed !== 'resnapshot' || !isLoss(err)) return err
    return recoverByRestart(err as OpenCDCError)
  }

  // Acks arrive in bursts; the shard section is rebuilt once per tick, not once per ack.
  #scheduleProgress (): void {
    if (this.#progressPending) return
    this.#progressPending = true
    setImmediate(() => { this.#applyProgress() })
  }

  /** Writes pending progress into the document now (before a flush: acks of this tick are in it). */
  sync (): void { this.#applyProgress() }

  #applyProgress (): void {
    if (!this.#progressPending || this.#reader === undefined) return
    this.#progressPending = false
    const cdc = this.#reader.checkpoint()
    this.#opts.doc.streamArn = cdc.streamArn
    this.#opts.doc.shards = cdc.shards
    this.#opts.changed()
  }

  startEmitting (): void { this.#reader?.startEmitting() }

  resume (): void { this.#reader?.resume() }

  ack (record: Pick<OpenCDCRecord, 'position'>): void {
    if (this.#reader === undefined) throw new Error('ack before the CDC phase started')
    this.#reader.ack(record)
  }

  /** The CDC section of the checkpoint; before anchor(), what was stored. */
  checkpoint (): Partial<CdcCheckpoint> {
    const { streamArn, shards } = this.#opts.doc
    return this.#reader?.checkpoint() ?? { ...(streamArn !== undefined ? { streamArn } : {}), ...(shards !== undefined ? { shards: shards as Record<string, ShardProgress> } : {}) }
  }

  /** Stops reading; the document then holds the final progress. */
  async close (): Promise<void> {
    await this.#reader?.close()
    this.#applyProgress()
  }
}
