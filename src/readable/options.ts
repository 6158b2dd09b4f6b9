import { resolveOptions, type OptionSpec } from '../options/options.js'
import { AWS_SPECS, CONDUIT_SOURCE_SPECS, type AwsConnectionOptions } from '../options/settings.js'
import { checkInvalidRecordOptions, SOURCE_CDC_SPECS, type CdcInput, type CheckpointInput } from './cdc/settings.js'
import type { BoolSetting, ConduitSettings, ConnectionInput, Duration } from '../options/input.js'
import type { CheckpointStore } from '../checkpoint/stores.js'
import { hideCredentials } from '../aws/clients.js'
import { OpenCDCError } from '../errors/index.js'
import { DEFAULT_READ_RETRIES } from '../aws/retry.js'
import { parseWorker, type SnapshotWorker } from './snapshot/worker.js'
import { compileSourceFilter, type FilterOptions } from './filter.js'

/** The snapshot source's own options, on top of the seed's AWS and source settings. */
export const SNAPSHOT_SPECS: readonly OptionSpec[] = [
  { name: 'snapshotSegments', setting: 'snapshot.segments', kind: 'int', min: 1, max: 1_000_000, doc: 'Parallel Scan TotalSegments (default: from the table size, one per MiB of table (a Scan page), at most snapshot.concurrency). A checkpoint keeps the value it was written with.' },
  { name: 'snapshotConcurrency', setting: 'snapshot.concurrency', kind: 'int', min: 1, max: 256, default: 4, doc: 'Most Scan requests in flight at once, across all segments.' },
  { name: 'snapshotPageSize', setting: 'snapshot.limit', kind: 'int', min: 1, max: 1_000_000, doc: 'Scan Limit: most items per page (default: as many as fit in 1 MB).' },
  { name: 'consistentRead', setting: 'snapshot.consistentRead', kind: 'bool', default: false, doc: 'Strongly consistent Scan (twice the read cost).' },
  { name: 'readRatePerSecond', setting: 'snapshot.rate.items', kind: 'number', min: 0, default: 0, doc: 'Most items scanned per second (0: unlimited).' },
  { name: 'readCapacityPerSecond', setting: 'snapshot.rate.rcu', kind: 'number', min: 0, default: 0, doc: 'Most read capacity units consumed per second, measured with ReturnConsumedCapacity (0: unlimited).' },
  { name: 'snapshotWorker', setting: 'snapshot.worker', kind: 'object', doc: 'Scan only this worker\'s share of a snapshot sharded across processes: { index, count }, "i/N" (0 ≤ i < N), or "auto/N" (index from JOB_COMPLETION_INDEX, else AWS_BATCH_JOB_ARRAY_INDEX). Worker i scans segments i, i+N, … of snapshot.segments (required with it); implies snapshot.only; "{worker}" in checkpoint.file becomes i. See docs/scale-out.md.' },
  { name: 'snapshotOnly', setting: 'snapshot.only', kind: 'bool', default: false, doc: 'End the stream after the snapshot instead of continuing with changes.' },
  { name: 'retryBudget', setting: 'snapshot.retries', kind: 'int', min: 0, max: 100, default: DEFAULT_READ_RETRIES, doc: 'Retries of one Scan page after transient errors (throttling, 5xx, resets) before the stream fails.' },
  { name: 'checkpoint', setting: 'checkpoint.file', kind: 'string', doc: 'Checkpoint file (JSON, replaced atomically); resumes from it when it exists.' },
  { name: 'checkpointStore', kind: 'object', doc: 'A CheckpointStore object instead of a file.' },
  { name: 'checkpointInterval', setting: 'checkpoint.interval', kind: 'duration', min: 0, default: 1_000, doc: 'Least time between two checkpoint saves (it is also saved at the end and on destroy).' },
  { name: 'maxUnacked', setting: 'checkpoint.maxUnacked', kind: 'int', min: 1, default: 50_000, doc: 'With a checkpoint: most records emitted but not yet acknowledged; reading pauses above it.' },
  { name: 'highWaterMark', kind: 'int', min: 1, doc: 'Records buffered in the stream before reading pauses (default: one 1 MB page per concurrent Scan plus one, in records of the average item size DescribeTable reports, then of the largest full page read; 16 to 50000, 1000 until known).' }
]

export const SOURCE_SPECS: readonly OptionSpec[] = [...AWS_SPECS, ...CONDUIT_SOURCE_SPECS, ...SNAPSHOT_SPECS, ...SOURCE_CDC_SPECS]

export interface SnapshotOptions {
  snapshotSegments?: number
  snapshotWorker?: SnapshotWorker
  snapshotConcurrency: number
  snapshotPageSize?: number
  consistentRead: boolean
  readRatePerSecond: number
  readCapacityPerSecond: number
  snapshotOnly: boolean
  retryBudget: number
  checkpoint?: string
  checkpointStore?: CheckpointStore
  checkpointInterval: number
  maxUnacked: number
  highWaterMark?: number
}

/** Resolved source options (typed camelCase); seed settings not used by the snapshot are kept for the CDC phase. */
export interface SourceOptions extends AwsConnectionOptions, SnapshotOptions, FilterOptions {
  skipSnapshot: boolean
  discoveryPollingPeriod: number
  recordsPollingPeriod: number
  [seedSetting: string]: unknown
}

/** The source's own options as callers give them (durations: milliseconds or Go strings). */
export interface SnapshotInput {
  snapshotSegments?: number
  snapshotConcurrency?: number
  snapshotPageSize?: number
  consistentRead?: boolean
  readRatePerSecond?: number
  readCapacityPerSecond?: number
  snapshotOnly?: boolean
  retryBudget?: number
  handoffSettle?: Duration
  /** `{ index, count }`, `"i/N"` or `"auto/N"` (docs/scale-out.md). */
  snapshotWorker?: SnapshotWorker | string
}

/** The seed's undotted source settings (Conduit passes them as strings) and its format/schema options. */
export interface SeedSourceInput {
  skipSnapshot?: BoolSetting
  batchSize?: number
  batchDelay?: Duration
  recordFormat?: string
  recordFormatOptions?: string
  schemaContextEnabled?: boolean
  schemaContextName?: string
  schemaKeyEnabled?: boolean
  schemaKeySubject?: string
  schemaPayloadEnabled?: boolean
  schemaPayloadSubject?: string
  schemaType?: 'avro'
}

/** What createSource accepts: typed camelCase options, Conduit's dotted settings (string values), or both; `table` is required. */
export type SourceInput = ConnectionInput & SeedSourceInput & SnapshotInput & CdcInput & CheckpointInput & { table: string } & ConduitSettings

export function resolveSourceOptions (input: SourceInput | Record<string, unknown>): SourceOptions {
  const opts = resolveOptions<SourceOptions>(SOURCE_SPECS, workerAsObject(input as Record<string, unknown>), 'DynamoDB source')
  if (opts.snapshotWorker !== undefined) shardedSnapshot(opts)
  if (opts.checkpoint !== undefined && opts.checkpointStore !== undefined) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'DynamoDB source: give either "checkpoint" (a file) or "checkpointStore", not both', { option: 'checkpointStore' })
  }
  const store = opts.checkpointStore as Partial<CheckpointStore> | undefined
  if (store !== undefined && (typeof store.load !== 'function' || typeof store.save !== 'function')) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'DynamoDB source: checkpointStore must have load() and save() methods', { option: 'checkpointStore' })
  }
  checkInvalidRecordOptions(opts as unknown as Parameters<typeof checkInvalidRecordOptions>[0], 'DynamoDB source')
  if (opts.skipSnapshot && opts.snapshotOnly) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'DynamoDB source: skipSnapshot and snapshotOnly together would read nothing', { option: 'snapshotOnly' })
  }
  compileSourceFilter(opts) // refuses a bad expression before any read
  return hideCredentials(opts)
}

// "i/N" and "auto/N" are strings; the option spec checks objects, so they are parsed (with the environment) first.
function workerAsObject (input: Record<string, unknown>): Record<string, unknown> {
  const key = input.snapshotWorker !== undefined ? 'snapshotWorker' : input['snapshot.worker'] !== undefined ? 'snapshot.worker' : undefined
  if (key === undefined) return input
  return { ...input, [key]: parseWorker(input[key]) }
}

// A worker scans a fixed share of a split every worker must agree on, and leaves the changes to the hand-off.
function shardedSnapshot (opts: SourceOptions): void {
  const worker = opts.snapshotWorker as SnapshotWorker
  if (opts.snapshotSegments === undefined) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'DynamoDB source: snapshotWorker needs snapshot.segments, the same on every worker (the default depends on the table size, which changes between workers\' starts)', { option: 'snapshotSegments' })
  }
  if (opts.snapshotSegments < worker.count) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `DynamoDB source: snapshot.segments=${opts.snapshotSegments} gives some of the ${worker.count} workers no segment; use at least ${worker.count}`, { option: 'snapshotSegments' })
  }
  if (opts.skipSnapshot) throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'DynamoDB source: snapshotWorker with skipSnapshot would read nothing', { option: 'skipSnapshot' })
  opts.snapshotOnly = true
  if (opts.checkpoint !== undefined) opts.checkpoint = opts.checkpoint.replaceAll('{worker}', String(worker.index))
}
