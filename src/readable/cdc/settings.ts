import { resolveOptions, type OptionSpec } from '../../options/options.js'
import { AWS_SPECS, CONDUIT_SOURCE_SPECS, type AwsConnectionOptions } from '../../options/settings.js'
import { hideCredentials } from '../../aws/clients.js'
import { OpenCDCError } from '../../errors/index.js'
import type { StreamDeadLetterHandler } from './change-reader.js'
import { DEFAULT_CDC_RETRIES } from '../../aws/retry.js'
import type { ConnectionExactInput } from '../../options/input.js'
import { onlySpecs, withoutSpecs, type InputOf } from '../../options/derive.js'
import type { CheckpointStore } from '../../checkpoint/stores.js'
import { compileSourceFilter, FILTER_SPECS, type FilterOptions } from '../filter.js'

/** CDC options beyond the seed's settings. */
export const CDC_SPECS = [
  { name: 'startFrom', kind: 'enum', values: ['latest', 'trim_horizon'], default: 'latest', doc: 'Where a fresh CDC start reads from: only new changes (latest) or everything the stream retains (trim_horizon). A resume always continues after the last acknowledged record.' },
  { name: 'enableStream', kind: 'bool', default: false, doc: 'Enable a NEW_AND_OLD_IMAGES stream on the table when none is enabled, and wait for it.' },
  { name: 'enableStreamTimeout', kind: 'duration', min: 1, default: 60_000, doc: 'How long enableStream waits for the stream to become ENABLED.' },
  { name: 'requireFullImages', kind: 'bool', default: true, doc: 'Refuse a stream whose view type is not NEW_AND_OLD_IMAGES (false: accept it; records then lack before and/or after images).' },
  { name: 'onTrimmed', kind: 'enum', values: ['fail', 'resnapshot'], default: 'fail', doc: 'When stream records the checkpoint needs are gone (24 h retention, stream replaced): fail with ERR_DDB_STREAM_DATA_LOSS, or take a new snapshot.' },
  { name: 'onInvalidRecord', setting: 'cdc.onInvalidRecord', kind: 'enum', values: ['fail', 'dead-letter'], default: 'fail', doc: 'A stream record that cannot be decoded: fail with ERR_DDB_INVALID_STREAM_RECORD (a restart fails on it again), or pass it to deadLetter, warn, and move past it.' },
  { name: 'deadLetter', kind: 'function', doc: 'With onInvalidRecord: dead-letter, called as deadLetter(streamRecord, error) for each record that cannot be decoded; the checkpoint moves past the record only after it returned (or its promise resolved).' },
  { name: 'maxRecordsPollingPeriod', kind: 'duration', min: 1, default: 10_000, doc: 'Longest wait between polls of a long-idle shard (the wait doubles from recordsPollingPeriod after idlePollsBeforeBackoff empty pages).' },
  { name: 'idlePollsBeforeBackoff', kind: 'int', min: 0, default: 60, doc: 'Empty pages in a row before a shard is polled less often.' },
  { name: 'cdcConcurrency', setting: 'cdc.concurrency', deprecated: ['maxInFlightRequests'], kind: 'int', min: 1, max: 1000, default: 8, doc: 'Most GetRecords requests in flight at once, across all shards.' },
  { name: 'cdcRetries', setting: 'cdc.retries', kind: 'int', min: 0, max: 100, default: DEFAULT_CDC_RETRIES, doc: 'Retries of one stream call (DescribeStream, GetShardIterator, GetRecords) after transient errors (throttling, 5xx, resets) before the stream fails.' },
  { name: 'maxBufferedRecords', kind: 'int', min: 1, default: 10_000, doc: 'Records read but not yet taken by the consumer, across all shards.' },
  { name: 'spoolMemoryRecords', kind: 'int', min: 0, default: 50_000, doc: 'Changes held in memory while a snapshot runs; more spill to files in spoolDir.' },
  { name: 'stallTimeout', setting: 'stall.timeout', kind: 'duration', min: 0, default: 300_000, doc: 'When nothing moves for this long while work is pending (records waiting for the consumer, records not acknowledged, shards with data): emit a \'stall\' event naming what is stuck, then \'recovered\' when it moves again (0: never). See docs/operations.md.' },
  { name: 'spoolDir', kind: 'string', doc: 'Directory for spilled changes (default: the OS temp directory).' },
  { name: 'checkpoint', setting: 'checkpoint.file', kind: 'string', doc: 'Checkpoint file (JSON, replaced atomically); resumes from it when it exists.' },
  { name: 'checkpointStore', kind: 'object', doc: 'A CheckpointStore (MemoryCheckpointStore, FileCheckpointStore, DynamoDBCheckpointStore) instead of a file.' },
  { name: 'checkpointInterval', setting: 'checkpoint.interval', kind: 'duration', min: 0, default: 1_000, doc: 'Least time between two checkpoint saves (it is also saved by flushCheckpoint() and when the stream ends).' },
  { name: 'maxUnacked', setting: 'checkpoint.maxUnacked', kind: 'int', min: 1, default: 50_000, doc: 'With a checkpoint: most records emitted but not yet acknowledged; polling pauses above it.' },
  { name: 'highWaterMark', kind: 'int', min: 1, default: 1000, doc: 'Records the Readable buffers before it stops polling.' },
  ...FILTER_SPECS
] as const satisfies readonly OptionSpec[]

/** CDC options createSource adds to its own (the source owns checkpoint, checkpointStore, checkpointInterval, maxUnacked, highWaterMark). */
export const SOURCE_CDC_SPECS = [
  ...withoutSpecs(CDC_SPECS, ['checkpoint', 'checkpointStore', 'checkpointInterval', 'maxUnacked', 'highWaterMark']),
  { name: 'handoffSettle', kind: 'duration', min: 0, default: 1000, doc: 'With a snapshot read eventually consistent: wait this long between anchoring the stream and the first Scan, so replicas reflect writes made just before the anchor (not needed with consistentRead).' }
] as const satisfies readonly OptionSpec[]

/** Everything createChangeStream accepts. */
export const CHANGE_STREAM_SPECS = [...AWS_SPECS, ...onlySpecs(CONDUIT_SOURCE_SPECS, ['discoveryPollingPeriod', 'recordsPollingPeriod']), ...CDC_SPECS]

export interface CdcOptions extends FilterOptions {
  discoveryPollingPeriod: number
  recordsPollingPeriod: number
  startFrom: 'latest' | 'trim_horizon'
  enableStream: boolean
  enableStreamTimeout: number
  /** createSource only. */
  handoffSettle?: number
  requireFullImages: boolean
  onTrimmed: 'fail' | 'resnapshot'
  onInvalidRecord: 'fail' | 'dead-letter'
  deadLetter?: StreamDeadLetterHandler
  maxRecordsPollingPeriod: number
  idlePollsBeforeBackoff: number
  cdcConcurrency: number
  cdcRetries: number
  maxBufferedRecords: number
  spoolMemoryRecords: number
  spoolDir?: string
  stallTimeout: number
  checkpoint?: string
  checkpointStore?: object
  checkpointInterval: number
  maxUnacked: number
  highWaterMark: number
}

export type ChangeStreamOptions = AwsConnectionOptions & Omit<CdcOptions, 'handoffSettle'>

/** The types a CDC spec cannot carry, and the deprecated names with their JSDoc. */
export interface CdcExactInput extends FilterOptions {
  deadLetter?: StreamDeadLetterHandler
  /** @deprecated Use cdcConcurrency (same meaning: GetRecords requests in flight); removed in the next major release. */
  maxInFlightRequests?: number
}

/** Checkpoint options of both readers whose types a spec cannot carry. */
export interface CheckpointExactInput {
  checkpointStore?: CheckpointStore<any>
}

/** What createChangeStream accepts: typed camelCase options, Conduit's dotted settings (string values), or both. */
export type ChangeStreamInput = InputOf<typeof CHANGE_STREAM_SPECS, ConnectionExactInput & CdcExactInput & CheckpointExactInput>

export function resolveChangeStreamOptions (input: ChangeStreamInput | Record<string, unknown> | undefined): ChangeStreamOptions {
  const opts = checkInvalidRecordOptions(resolveOptions<ChangeStreamOptions>(CHANGE_STREAM_SPECS, input, 'createChangeStream'), 'createChangeStream')
  compileSourceFilter(opts) // refuses a bad expression before any read
  return hideCredentials(opts)
}

/** onInvalidRecord: 'dead-letter' needs somewhere to put the record. */
export function checkInvalidRecordOptions<T extends Pick<CdcOptions, 'onInvalidRecord' | 'deadLetter'>> (opts: T, label: string): T {
  if (opts.onInvalidRecord === 'dead-letter' && opts.deadLetter === undefined) {
    throw new OpenCDCError('ERR_DDB_MISSING_OPTION', `${label}: onInvalidRecord "dead-letter" needs a deadLetter(streamRecord, error) function`, { option: 'deadLetter' })
  }
  return opts
}
