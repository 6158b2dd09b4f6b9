import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { streamAbortController } from '../../aws.js'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { OpenCDCError } from '../../errors.js'
import type { OpenCDCRecord } from '../../record.js'
import { ChangeReader, type CdcCheckpoint } from './change-reader.js'
import { streamChangedError } from './faults.js'
import type { CdcOptions } from './settings.js'
import { checkStream, type StreamInfo } from './stream-check.js'
import { warnOn } from './warn.js'

export interface CdcPhaseOptions {
  client: DynamoDBClient
  streams: DynamoDBStreamsClient
  table: string
  options: Omit<CdcOptions, 'checkpoint' | 'checkpointStore' | 'highWaterMark'>
  /** Track acknowledgements (needed only when a checkpoint is kept). */
  trackAcks?: boolean
  /** The CDC part of a stored checkpoint (streamArn, shards), if any. */
  stored?: Partial<CdcCheckpoint> | undefined
  /** Hands a record downstream; false pauses until resume(). */
  push: (record: OpenCDCRecord) => boolean
  /** The CDC section changed: save the checkpoint. */
  progress: () => void
  error: (err: Error) => void
  /** A record was dead-lettered (onInvalidRecord: 'dead-letter'); default: a process warning. */
  warn?: (err: OpenCDCError) => void
}

/**
 * The CDC phase of a source, in two steps around a snapshot: anchor() before the scan starts (stream
 * checks, then start iterators on every shard — LATEST on a fresh start — with readers spooling from
 * then on), startEmitting() after the last snapshot record was pushed. Every change made after anchor()
 * returned is emitted after the snapshot, in per-key order (docs/cdc.md).
 */
export class CdcPhase {
  #opts: CdcPhaseOptions
  #abort = streamAbortController()
  #reader: ChangeReader | undefined
  #stream: StreamInfo | undefined

  constructor (opts: CdcPhaseOptions) { this.#opts = opts }

  get stream (): StreamInfo | undefined { return this.#stream }

  /** Records read and not yet pushed (spool and queue). */
  get buffered (): number { return this.#reader?.buffered ?? 0 }

  get started (): boolean { return this.#reader !== undefined }

  async anchor (): Promise<void> {
    const { client, streams, table, options: o, stored } = this.#opts
    this.#stream = await checkStream({ client, streams, table, enableStream: o.enableStream, enableStreamTimeout: o.enableStreamTimeout, requireFullImages: o.requireFullImages, signal: this.#abort.signal })
    const arn = this.#stream.streamArn
    if (stored?.streamArn !== undefined && stored.streamArn !== arn) throw streamChangedError(table, stored.streamArn, arn)
    if (this.#abort.signal.aborted) throw this.#abort.signal.reason
    const reader = new ChangeReader({
      table,
      streams,
      streamArn: arn,
      startFrom: o.startFrom,
      progress: stored?.streamArn === arn ? stored.shards : undefined,
      discoveryPollingPeriod: o.discoveryPollingPeriod,
      polling: { base: o.recordsPollingPeriod, max: o.maxRecordsPollingPeriod, idlePolls: o.idlePollsBeforeBackoff },
      maxInFlightRequests: o.maxInFlightRequests,
      maxRetries: o.cdcRetries,
      maxBufferedRecords: o.maxBufferedRecords,
      maxUnacked: o.maxUnacked,
      trackAcks: this.#opts.trackAcks ?? true,
      onInvalidRecord: o.onInvalidRecord,
      deadLetter: o.deadLetter,
      spool: { memoryLimit: o.spoolMemoryRecords, ...(o.spoolDir !== undefined ? { dir: o.spoolDir } : {}) }
    }, { push: this.#opts.push, progress: this.#opts.progress, error: this.#opts.error, warn: this.#opts.warn ?? ((err) => { warnOn(undefined, err) }) })
    this.#reader = reader
    await reader.anchor()
  }

  startEmitting (): void { this.#reader?.startEmitting() }

  resume (): void { this.#reader?.resume() }

  ack (record: Pick<OpenCDCRecord, 'position'>): void {
    if (this.#reader === undefined) throw new Error('ack before the CDC phase started')
    this.#reader.ack(record)
  }

  /** The CDC section of the checkpoint; before anchor(), what was stored. */
  checkpoint (): Partial<CdcCheckpoint> {
    return this.#reader?.checkpoint() ?? { ...this.#opts.stored }
  }

  async close (): Promise<void> {
    this.#abort.abort()
    await this.#reader?.close()
  }
}
