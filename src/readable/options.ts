import { resolveOptions, type OptionSpec } from '../options/options.js'
import { AWS_SPECS, CONDUIT_SOURCE_SPECS, type AwsConnectionOptions } from '../options/settings.js'
import { checkInvalidRecordOptions, SOURCE_CDC_SPECS, type CdcExactInput, type CdcOptions, type CheckpointExactInput } from './cdc/settings.js'
import type { ConnectionExactInput } from '../options/input.js'
import type { InputOf } from '../options/derive.js'
import type { CheckpointStore } from '../checkpoint/stores.js'
import { hideCredentials } from '../aws/clients.js'
import { OpenCDCError } from '../errors/index.js'
import { DEFAULT_READ_RETRIES } from '../aws/retry.js'
import { parseWorker, type SnapshotWorker } from './snapshot/worker.js'
import { compileSourceFilter } from './filter.js'
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import type { ExportClient } from './snapshot/export-call.js'

/** The snapshot source's own options, on top of the seed's AWS and source settings. */
export const SNAPSHOT_SPECS = [
  { name: 'snapshotSegments', setting: 'snapshot.segments', kind: 'int', min: 1, max: 1_000_000, doc: 'Parallel Scan TotalSegments (default: from the table size, one per MiB of table (a Scan page), at most snapshot.concurrency). A checkpoint keeps the value it was written with.' },
  { name: 'snapshotConcurrency', setting: 'snapshot.concurrency', kind: 'int', min: 1, max: 256, default: 4, doc: 'Most Scan requests in flight at once, across all segments.' },
  { name: 'snapshotPageSize', setting: 'snapshot.limit', kind: 'int', min: 1, max: 1_000_000, doc: 'Scan Limit: most items per page (default: as many as fit in 1 MB).' },
  { name: 'consistentRead', setting: 'snapshot.consistentRead', kind: 'bool', default: false, doc: 'Strongly consistent Scan (twice the read cost).' },
  { name: 'readRatePerSecond', setting: 'snapshot.rate.items', kind: 'number', min: 0, default: 0, doc: 'Most items scanned per second (0: unlimited).' },
  { name: 'readCapacityPerSecond', setting: 'snapshot.rate.rcu', kind: 'number', min: 0, default: 0, doc: 'Most read capacity units consumed per second, measured with ReturnConsumedCapacity (0: unlimited).' },
  { name: 'snapshotWorker', setting: 'snapshot.worker', kind: 'object', doc: 'Scan only this worker\'s share of a snapshot sharded across processes: { index, count }, "i/N" (0 ≤ i < N), or "auto/N" (index from JOB_COMPLETION_INDEX, else AWS_BATCH_JOB_ARRAY_INDEX). Worker i scans segments i, i+N, … of snapshot.segments (required with it); implies snapshot.only; "{worker}" in checkpoint.file becomes i. See docs/scale-out.md.' },
  { name: 'snapshotOnly', setting: 'snapshot.only', kind: 'bool', default: false, doc: 'End the stream after the snapshot instead of continuing with changes.' },
  { name: 'snapshotRetries', setting: 'snapshot.retries', deprecated: ['retryBudget'], kind: 'int', min: 0, max: 100, default: DEFAULT_READ_RETRIES, doc: 'Retries of one Scan page after transient errors (throttling, 5xx, resets) before the stream fails.' },
  { name: 'checkpoint', setting: 'checkpoint.file', kind: 'string', doc: 'Checkpoint file (JSON, replaced atomically); resumes from it when it exists.' },
  { name: 'checkpointStore', kind: 'object', doc: 'A CheckpointStore object instead of a file.' },
  { name: 'checkpointInterval', setting: 'checkpoint.interval', kind: 'duration', min: 0, default: 1_000, doc: 'Least time between two checkpoint saves (it is also saved at the end and on destroy).' },
  { name: 'maxUnacked', setting: 'checkpoint.maxUnacked', kind: 'int', min: 1, default: 50_000, doc: 'With a checkpoint: most records emitted but not yet acknowledged; reading pauses above it.' },
  { name: 'snapshotFrom', setting: 'snapshot.from', kind: 'enum', values: ['scan', 'export'], default: 'scan', doc: 'Where the snapshot comes from: a parallel Scan, or a DynamoDB export to S3 (ExportTableToPointInTime: needs point-in-time recovery, uses no read capacity; see docs/exports.md).' },
  { name: 'exportS3Bucket', setting: 'snapshot.export.bucket', kind: 'string', doc: 'snapshot.from=export: the S3 bucket the export is written to (required unless snapshot.export.arn is given).' },
  { name: 'exportS3Prefix', setting: 'snapshot.export.prefix', kind: 'string', doc: 'snapshot.from=export: key prefix in the bucket; AWS writes <prefix>/AWSDynamoDB/<export-id>/.' },
  { name: 'exportArn', setting: 'snapshot.export.arn', kind: 'string', doc: 'snapshot.from=export: read this existing export instead of requesting one (needs snapshot.only: an older export is cut before the stream anchor).' },
  { name: 'exportUrl', setting: 'snapshot.export.url', kind: 'string', doc: 'Read this existing export from its folder (a local path or s3://bucket/prefix/AWSDynamoDB/<export-id>/) with no export API call; implies snapshot.from=export and needs snapshot.only (the export was cut before this run\'s stream anchor).' },
  { name: 'exportPollInterval', setting: 'snapshot.export.pollInterval', kind: 'duration', min: 1, default: 10_000, doc: 'snapshot.from=export: time between two DescribeExport calls while the export runs.' },
  { name: 'exportDelay', setting: 'snapshot.export.delay', kind: 'duration', min: 0, default: 60_000, doc: 'snapshot.from=export: wait this long after the stream anchor before requesting the export (AWS gives the export\'s cut to about a minute; the wait keeps it after the anchor).' },
  { name: 'exportConcurrency', setting: 'snapshot.export.concurrency', kind: 'int', min: 1, max: 256, default: 4, doc: 'snapshot.from=export: data files read at once (each in line order).' },
  { name: 'exportS3', kind: 'object', doc: 'snapshot.from=export: an S3Client, or the config for one (endpoint, forcePathStyle, …), to read the files with (default: the source\'s region and credentials).' },
  { name: 'exportClient', kind: 'object', doc: 'snapshot.from=export: the client sent ExportTableToPointInTime and DescribeExport (default: the source\'s DynamoDB client; tests pass a fake, as DynamoDB Local lacks both calls).' },
  { name: 'highWaterMark', kind: 'int', min: 1, doc: 'Records buffered in the stream before reading pauses (default: one 1 MB Scan page, in records of the average item size DescribeTable reports, then of the largest full page read; 16 to 50000, 1000 until known). The Scans in flight land on top of it: a stalled consumer holds at most about one page per concurrent Scan plus two.' }
] as const satisfies readonly OptionSpec[]

export const SOURCE_SPECS = [...AWS_SPECS, ...CONDUIT_SOURCE_SPECS, ...SNAPSHOT_SPECS, ...SOURCE_CDC_SPECS]

export interface SnapshotOptions {
  snapshotSegments?: number
  snapshotWorker?: SnapshotWorker
  snapshotConcurrency: number
  snapshotPageSize?: number
  consistentRead: boolean
  readRatePerSecond: number
  readCapacityPerSecond: number
  snapshotOnly: boolean
  snapshotRetries: number
  checkpoint?: string
  checkpointStore?: CheckpointStore
  checkpointInterval: number
  maxUnacked: number
  highWaterMark?: number
  snapshotFrom: 'scan' | 'export'
  exportS3Bucket?: string
  exportS3Prefix?: string
  exportArn?: string
  exportUrl?: string
  exportPollInterval: number
  exportDelay: number
  exportConcurrency: number
  exportS3?: object
  exportClient?: object
}

/** Resolved source options (typed camelCase): the snapshot's and the CDC phase's. */
export interface SourceOptions extends AwsConnectionOptions, SnapshotOptions, Omit<CdcOptions, keyof SnapshotOptions> {
  skipSnapshot: boolean
}

/** The source options whose types a spec cannot carry, and the deprecated names with their JSDoc. */
export interface SnapshotExactInput {
  /** `{ index, count }`, `"i/N"` or `"auto/N"` (docs/scale-out.md). */
  snapshotWorker?: SnapshotWorker | string
  /** An S3Client or its config (endpoint, forcePathStyle, credentials, …) for snapshot.from=export. */
  exportS3?: S3Client | S3ClientConfig
  /** Sent ExportTableToPointInTime and DescribeExport instead of the source's client. */
  exportClient?: ExportClient
  /** @deprecated Use snapshotRetries (same meaning: retries of one Scan page); removed in the next major release. */
  retryBudget?: number
}

/** What createSource accepts: typed camelCase options, Conduit's dotted settings (string values), or both; `table` is required. */
export type SourceInput = InputOf<typeof SOURCE_SPECS, ConnectionExactInput & SnapshotExactInput & CdcExactInput & CheckpointExactInput>

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
  checkInvalidRecordOptions(opts, 'DynamoDB source')
  if (opts.skipSnapshot && opts.snapshotOnly) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'DynamoDB source: skipSnapshot and snapshotOnly together would read nothing', { option: 'snapshotOnly' })
  }
  if (opts.exportUrl !== undefined) exportLocation(opts)
  if (opts.snapshotFrom === 'export') exportSnapshot(opts)
  if (opts.itemFilter !== undefined && !opts.skipSnapshot) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'DynamoDB source: itemFilter (a JS predicate) is for changes only: Scan cannot run it, and the snapshot would then hold items the changes treat as out of the filter. Give skipSnapshot: true, or use filter (an expression both phases apply)', { option: 'itemFilter' })
  }
  compileSourceFilter(opts) // refuses a bad expression before any read
  return hideCredentials(opts)
}

// What an export snapshot cannot do, refused before any call: each rule names why.
function exportSnapshot (opts: SourceOptions): void {
  const refuse = (option: string, why: string): never => { throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `DynamoDB source: snapshot.from=export ${why}`, { option }) }
  if (opts.exportS3Bucket === undefined && opts.exportArn === undefined && opts.exportUrl === undefined) refuse('exportS3Bucket', 'needs snapshot.export.bucket (exportS3Bucket), the bucket the export is written to')
  // An existing export was cut before this run's stream anchor: changes between its cut and the anchor would be lost.
  if (opts.exportArn !== undefined && !opts.snapshotOnly) refuse('exportArn', 'with snapshot.export.arn (an existing export) needs snapshot.only: the changes between that export\'s cut and this run\'s stream anchor are no longer in reach')
  if (opts.snapshotWorker !== undefined) refuse('snapshotWorker', 'cannot be split with snapshot.worker (an export is one unit of work per file; use snapshot.export.concurrency)')
  if (opts.skipSnapshot) refuse('skipSnapshot', 'with skipSnapshot would request an export nobody reads')
  if (opts.filter !== undefined || opts.projection !== undefined) refuse(opts.filter !== undefined ? 'filter' : 'projection', 'cannot apply filter.expression or filter.projection (an export holds whole items); use snapshot.from=scan')
  const s3 = opts.exportS3 as { send?: unknown } | undefined
  if (s3 !== undefined && (typeof s3 !== 'object' || s3 === null)) refuse('exportS3', 'needs exportS3 to be an S3Client or an S3 client config')
  const client = opts.exportClient as { send?: unknown } | undefined
  if (client !== undefined && typeof client.send !== 'function') refuse('exportClient', 'needs exportClient to have a send(command) method')
}

// An export given by its folder: read as it is (no ExportTableToPointInTime, no DescribeExport), snapshot only.
function exportLocation (opts: SourceOptions): void {
  const url = opts.exportUrl as string
  const refuse = (option: string, why: string): never => { throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `DynamoDB source: snapshot.export.url ${why}`, { option }) }
  if (url === '' || (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^s3:\/\/[^/]+/.test(url))) refuse('exportUrl', `must be a local folder or s3://bucket/prefix/AWSDynamoDB/<export-id>/ (the folder holding manifest-summary.json), got ${JSON.stringify(url)}`)
  if (opts.exportArn !== undefined || opts.exportS3Bucket !== undefined) refuse(opts.exportArn !== undefined ? 'exportArn' : 'exportS3Bucket', 'names the export to read: give it without snapshot.export.arn / snapshot.export.bucket')
  if (!opts.snapshotOnly) refuse('exportUrl', '(an existing export) needs snapshot.only: the changes between that export\'s cut and this run\'s stream anchor are no longer in reach')
  opts.snapshotFrom = 'export'
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
