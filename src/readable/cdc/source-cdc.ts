import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createStreamsClient, sleep, type ClientOptions, streamAbortController } from '../../aws.js'
import { isOpenCDCError, type OpenCDCError } from '../../errors.js'
import type { OpenCDCRecord } from '../../record.js'
import type { ShardProgress } from './shard-tree.js'
import { CdcPhase } from './handoff.js'
import { recoverByRestart } from './faults.js'
import type { CdcOptions } from './settings.js'

/** The checkpoint fields the CDC phase owns inside the source's document. */
export interface CdcSections { streamArn?: string, shards?: Record<string, unknown>, snapshot?: unknown, [section: string]: unknown }

/** What the CDC phase needs from the source that drives it. */
export interface SourceCdcHost {
  table: string
  client: DynamoDBClient
  streamsClient?: DynamoDBStreamsClient
  /** Resolved source options: connection, seed settings and SOURCE_CDC_SPECS. */
  options: ClientOptions & Omit<CdcOptions, 'checkpoint' | 'checkpointStore' | 'highWaterMark' | 'maxUnacked'> & { skipSnapshot: boolean, consistentRead?: boolean, maxUnacked?: number }
  /** The checkpoint document (loaded); the CDC phase writes streamArn and shards into it. */
  doc: CdcSections
  /** True when a checkpoint store is configured (acks are tracked only then). */
  checkpointing: boolean
  /** The document changed: save it. */
  changed: () => void
  push: (record: OpenCDCRecord) => boolean
  fail: (err: Error) => void
  /** A record was dead-lettered. */
  warn?: (err: OpenCDCError) => void
}

/**
 * The CDC phase of createSource: prepare() before the first Scan (anchors the stream; with
 * onTrimmed: 'resnapshot', a checkpoint whose stream records are gone is reset so a fresh snapshot
 * runs), start() after the last snapshot record, resume() from _read, ack() for CDC positions.
 */
export class SourceCdc {
  #host: SourceCdcHost
  #streams: DynamoDBStreamsClient
  #ownStreams: boolean
  #phase: CdcPhase | undefined
  #progressPending = false
  #abort = streamAbortController()
  /** Set when prepare() reset the checkpoint for a new snapshot. */
  resnapshot = false

  constructor (host: SourceCdcHost) {
    this.#host = host
    this.#ownStreams = host.streamsClient === undefined
    this.#streams = host.streamsClient ?? createStreamsClient(host.options)
  }

  get phase (): CdcPhase | undefined { return this.#phase }

  async prepare (): Promise<void> {
    const doc = this.#host.doc
    try {
      await this.#anchor({ streamArn: doc.streamArn, shards: doc.shards as Record<string, ShardProgress> | undefined })
    } catch (err) {
      const gone = isOpenCDCError(err, 'ERR_DDB_STREAM_DATA_LOSS') || isOpenCDCError(err, 'ERR_DDB_STREAM_CHANGED')
      if (!gone || this.#host.options.onTrimmed !== 'resnapshot' || this.#host.options.skipSnapshot) throw err
      await this.#phase?.close()
      // Stream records the checkpoint needs are gone: forget snapshot and stream progress, anchor anew.
      delete doc.snapshot
      delete doc.streamArn
      delete doc.shards
      this.resnapshot = true
      await this.#anchor(undefined)
    }
    // A write acknowledged just before the anchor may not yet show on every replica an eventually consistent Scan reads.
    const o = this.#host.options
    if (!o.skipSnapshot && o.consistentRead !== true && (o.handoffSettle ?? 0) > 0 && (doc.snapshot as { done?: boolean } | undefined)?.done !== true) {
      await sleep(o.handoffSettle ?? 0, this.#abort.signal)
    }
  }

  async #anchor (stored: { streamArn?: string | undefined, shards?: Record<string, ShardProgress> | undefined } | undefined): Promise<void> {
    const host = this.#host
    const phase = new CdcPhase({
      client: host.client,
      streams: this.#streams,
      table: host.table,
      options: { ...host.options, maxUnacked: host.options.maxUnacked ?? 50_000 },
      stored: stored?.streamArn !== undefined ? { streamArn: stored.streamArn, shards: stored.shards ?? {} } : undefined,
      trackAcks: host.checkpointing,
      push: host.push,
      progress: () => { this.#scheduleProgress() },
      error: (err) => { host.fail(this.#whileRunning(err)) },
      ...(host.warn !== undefined ? { warn: host.warn } : {})
    })
    this.#phase = phase
    await phase.anchor()
  }

  // A loss found while running: the policy re-snapshots at start-up, so say that a restart is what recovers.
  #whileRunning (err: Error): Error {
    if (this.#host.options.onTrimmed !== 'resnapshot' || !(isOpenCDCError(err, 'ERR_DDB_STREAM_DATA_LOSS') || isOpenCDCError(err, 'ERR_DDB_STREAM_CHANGED'))) return err
    return recoverByRestart(err)
  }

  // Acks arrive in bursts; the shard section is rebuilt once per tick, not once per ack.
  #scheduleProgress (): void {
    if (this.#progressPending) return
    this.#progressPending = true
    setImmediate(() => { this.#applyProgress() })
  }

  #applyProgress (): void {
    if (!this.#progressPending || this.#phase === undefined) return
    this.#progressPending = false
    const cdc = this.#phase.checkpoint()
    this.#host.doc.streamArn = cdc.streamArn
    this.#host.doc.shards = cdc.shards
    this.#host.changed()
  }

  start (): void { this.#phase?.startEmitting() }

  resume (): void { this.#phase?.resume() }

  ack (record: Pick<OpenCDCRecord, 'position'>): void { this.#phase?.ack(record) }

  async close (): Promise<void> {
    this.#abort.abort()
    await this.#phase?.close()
    this.#applyProgress()
    if (this.#ownStreams) this.#streams.destroy()
  }
}
