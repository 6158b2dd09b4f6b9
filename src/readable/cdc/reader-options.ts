import type { DynamoDBStreamsClient, _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import type { OpenCDCError } from '../../errors/index.js'
import type { OpenCDCRecord } from '../../model/record.js'
import type { ChangeFilter } from '../../filter/change.js'
import type { Metrics } from '../../metrics/index.js'
import type { PollingPolicy } from './polling.js'
import type { ShardProgress } from './shard-tree.js'
import type { SpoolOptions } from './spool.js'

// What a ChangeReader is given and what it reports: its options, its event callbacks and its checkpoint section.

export interface ChangeReaderOptions {
  table: string
  streams: DynamoDBStreamsClient
  streamArn: string
  /** The host's signal; the reader also aborts on its own failure or close(). */
  signal?: AbortSignal
  startFrom: 'latest' | 'trim_horizon'
  /** Shard progress from a checkpoint (the `shards` section); absent on a fresh start. */
  progress?: Record<string, ShardProgress> | undefined
  discoveryPollingPeriod: number
  polling: PollingPolicy
  /** Most GetRecords requests in flight (cdcConcurrency). */
  concurrency: number
  maxBufferedRecords: number
  spool: SpoolOptions
  /** Retries of one stream call after transient errors (cdc.retries). */
  maxRetries?: number
  /** Most records emitted and not acknowledged before polling pauses. */
  maxUnacked?: number
  /** False when no checkpoint is kept: acks are ignored and nothing is remembered per record. */
  trackAcks?: boolean
  /** A record that cannot be decoded: fail (default), or hand it to deadLetter and move past it. */
  onInvalidRecord?: 'fail' | 'dead-letter'
  deadLetter?: StreamDeadLetterHandler | undefined
  metrics?: Metrics | undefined
  /** Filter and projection applied to each raw event before decoding (docs/filter.md). */
  changeFilter?: ChangeFilter | undefined
}

/** Receives a stream record that could not be decoded (as GetRecords returned it) and why, like the destination's deadLetter(record, error); may return a promise. */
export type StreamDeadLetterHandler = (record: StreamEvent, error: OpenCDCError) => unknown

export interface ChangeReaderEvents {
  /** Hands a record downstream; false means "stop until resume()" (a Readable's push). */
  push: (record: OpenCDCRecord) => boolean
  /** Something the checkpoint should record changed. */
  progress: () => void
  /** The reader failed and stopped; called once. */
  error: (err: Error) => void
  /** Something a user must hear about that did not stop the reader (a dead-lettered record). */
  warn?: (err: OpenCDCError) => void
  /** Polling waits because maxUnacked records are emitted and not acknowledged. */
  ackBound?: () => void
}

/** The CDC section of a checkpoint document. */
export interface CdcCheckpoint {
  streamArn: string
  shards: Record<string, ShardProgress>
}
