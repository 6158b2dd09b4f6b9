import { resolveOptions, type OptionSpec } from '../options/options.js'
import { AWS_SPECS, SEED_SOURCE_SPECS, type AwsConnectionOptions } from '../options/settings.js'
import { checkInvalidRecordOptions, SOURCE_CDC_SPECS } from './cdc/settings.js'
import type { CheckpointStore } from '../checkpoint/stores.js'
import { hideCredentials } from '../aws/clients.js'
import { OpenCDCError } from '../errors/index.js'
import { DEFAULT_READ_RETRIES } from '../aws/retry.js'
import { compileSourceFilter, type FilterOptions } from './filter.js'

/** The snapshot source's own options, on top of the seed's AWS and source settings. */
export const SNAPSHOT_SPECS: readonly OptionSpec[] = [
  { name: 'snapshotSegments', setting: 'snapshot.segments', kind: 'int', min: 1, max: 1_000_000, doc: 'Parallel Scan TotalSegments (default: from the table size, one per MiB of table (a Scan page), at most snapshot.concurrency). A checkpoint keeps the value it was written with.' },
  { name: 'snapshotConcurrency', setting: 'snapshot.concurrency', kind: 'int', min: 1, max: 256, default: 4, doc: 'Most Scan requests in flight at once, across all segments.' },
  { name: 'snapshotPageSize', setting: 'snapshot.limit', kind: 'int', min: 1, max: 1_000_000, doc: 'Scan Limit: most items per page (default: as many as fit in 1 MB).' },
  { name: 'consistentRead', setting: 'snapshot.consistentRead', kind: 'bool', default: false, doc: 'Strongly consistent Scan (twice the read cost).' },
  { name: 'readRatePerSecond', setting: 'snapshot.rate.items', kind: 'number', min: 0, default: 0, doc: 'Most items scanned per second (0: unlimited).' },
  { name: 'readCapacityPerSecond', setting: 'snapshot.rate.rcu', kind: 'number', min: 0, default: 0, doc: 'Most read capacity units consumed per second, measured with ReturnConsumedCapacity (0: unlimited).' },
  { name: 'snapshotOnly', setting: 'snapshot.only', kind: 'bool', default: false, doc: 'End the stream after the snapshot instead of continuing with changes.' },
  { name: 'retryBudget', setting: 'snapshot.retries', kind: 'int', min: 0, max: 100, default: DEFAULT_READ_RETRIES, doc: 'Retries of one Scan page after transient errors (throttling, 5xx, resets) before the stream fails.' },
  { name: 'checkpoint', setting: 'checkpoint.file', kind: 'string', doc: 'Checkpoint file (JSON, replaced atomically); resumes from it when it exists.' },
  { name: 'checkpointStore', kind: 'object', doc: 'A CheckpointStore object instead of a file.' },
  { name: 'checkpointInterval', setting: 'checkpoint.interval', kind: 'duration', min: 0, default: 1_000, doc: 'Least time between two checkpoint saves (it is also saved at the end and on destroy).' },
  { name: 'maxUnacked', setting: 'checkpoint.maxUnacked', kind: 'int', min: 1, default: 50_000, doc: 'With a checkpoint: most records emitted but not yet acknowledged; reading pauses above it.' },
  { name: 'highWaterMark', kind: 'int', min: 1, doc: 'Records buffered in the stream before reading pauses (default: about 256 KiB per concurrent Scan, from the average item size DescribeTable reports, 16 to 5000; 1000 when unknown).' }
]

export const SOURCE_SPECS: readonly OptionSpec[] = [...AWS_SPECS, ...SEED_SOURCE_SPECS, ...SNAPSHOT_SPECS, ...SOURCE_CDC_SPECS]

export interface SnapshotOptions {
  snapshotSegments?: number
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

/** What createSource accepts: seed settings verbatim (string values, Go durations) or typed camelCase options. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SourceInput = Partial<Omit<SourceOptions, 'checkpointStore'>> & { checkpointStore?: CheckpointStore<any> } & Record<string, unknown>

export function resolveSourceOptions (input: SourceInput): SourceOptions {
  const opts = resolveOptions<SourceOptions>(SOURCE_SPECS, input, 'DynamoDB source')
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
