import { createRequire } from 'node:module'
import { OpenCDCError } from '../errors/index.js'

/** The AWS calls that are counted. */
export type MetricsApi = 'Scan' | 'GetRecords' | 'BatchWriteItem' | 'UpdateItem'

/** What the engines report; every method is cheap and never throws. */
export interface Metrics {
  read: (table: string, phase: 'snapshot' | 'cdc', n: number) => void
  written: (table: string, n: number) => void
  request: (api: MetricsApi) => void
  retried: (api: MetricsApi, err: unknown) => void
  unprocessed: (table: string, n: number) => void
  inFlight: (api: MetricsApi, delta: number) => void
  /** now − ApproximateCreationDateTime of the last record read from the shard. */
  lag: (table: string, shard: string, seconds: number) => void
  shards: (table: string, tracked: number, active: number) => void
  checkpointSaved: (label: string) => void
  snapshot: (table: string, progress: { segmentsDone: number, totalSegments: number, estimatedItems: number }) => void
}

const nothing = (): void => {}

/** Used when no registry is given: every hook is the same empty function. */
export const noMetrics: Metrics = {
  read: nothing, written: nothing, request: nothing, retried: nothing, unprocessed: nothing, inFlight: nothing, lag: nothing, shards: nothing, checkpointSaved: nothing, snapshot: nothing
}

/** The metric names (Prometheus conventions: counters end in _total, durations in _seconds). */
export const METRIC_NAMES = {
  recordsRead: 'dynamodb_opencdc_records_read_total',
  recordsWritten: 'dynamodb_opencdc_records_written_total',
  requests: 'dynamodb_opencdc_requests_total',
  throttles: 'dynamodb_opencdc_throttles_total',
  retries: 'dynamodb_opencdc_retries_total',
  unprocessed: 'dynamodb_opencdc_unprocessed_items_total',
  inFlight: 'dynamodb_opencdc_requests_in_flight',
  shardLag: 'dynamodb_opencdc_shard_lag_seconds',
  shardsTracked: 'dynamodb_opencdc_shards_tracked',
  shardsActive: 'dynamodb_opencdc_shards_active',
  checkpointAge: 'dynamodb_opencdc_checkpoint_age_seconds',
  segmentsDone: 'dynamodb_opencdc_snapshot_segments_done',
  segments: 'dynamodb_opencdc_snapshot_segments',
  estimatedItems: 'dynamodb_opencdc_snapshot_estimated_items'
} as const

const THROTTLES = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'LimitExceededException'])

/** A throttling error of DynamoDB or DynamoDB Streams (unprocessed items count as throttling too). */
export function isThrottle (err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name ?? ''
  return THROTTLES.has(name) || (err instanceof OpenCDCError && err.code === 'ERR_DDB_UNPROCESSED')
}

type PromClient = any
/** The prom-client Registry the caller gave (typed loosely: prom-client is an optional dependency). */
export type MetricsRegistry = object

// One Metrics per registry, so a source and a destination given the same registry share their series.
const byRegistry = new WeakMap<object, Metrics>()

/** The Metrics writing into a prom-client Registry, or noMetrics without one; prom-client is loaded only here. */
export function metricsFor (registry: MetricsRegistry | undefined): Metrics {
  if (registry === undefined) return noMetrics
  const known = byRegistry.get(registry)
  if (known !== undefined) return known
  const made = promMetrics(loadPromClient(), registry)
  byRegistry.set(registry, made)
  return made
}

function loadPromClient (): PromClient {
  try {
    return createRequire(import.meta.url)('prom-client')
  } catch (err) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'the metrics option needs the optional dependency prom-client (npm install prom-client)', { option: 'metrics' }, { cause: err })
  }
}

function promMetrics (prom: PromClient, registry: MetricsRegistry): Metrics {
  const registers = [registry]
  const counter = (name: string, help: string, labelNames: string[]): any => new prom.Counter({ name, help, labelNames, registers })
  const gauge = (name: string, help: string, labelNames: string[], collect?: () => void): any => new prom.Gauge({ name, help, labelNames, registers, ...(collect !== undefined ? { collect } : {}) })
  const n = METRIC_NAMES
  const read = counter(n.recordsRead, 'Records read, per table and phase (snapshot, cdc).', ['table', 'phase'])
  const written = counter(n.recordsWritten, 'Records durably written (BatchWriteItem / UpdateItem confirmed), per table.', ['table'])
  const requests = counter(n.requests, 'AWS requests sent (Scan, GetRecords, BatchWriteItem, UpdateItem).', ['api'])
  const throttles = counter(n.throttles, 'Throttled attempts (throttling errors and unprocessed items).', ['api'])
  const retries = counter(n.retries, 'Retries of a call under the retry policy.', ['api'])
  const unprocessed = counter(n.unprocessed, 'UnprocessedItems returned by BatchWriteItem, per table.', ['table'])
  const inFlight = gauge(n.inFlight, 'AWS requests in flight.', ['api'])
  const lag = gauge(n.shardLag, 'now − ApproximateCreationDateTime of the last record read from the shard (DynamoDB Local truncates it to the minute).', ['table', 'shard'])
  const tracked = gauge(n.shardsTracked, 'Shards of the stream known to the reader and not yet finished.', ['table'])
  const active = gauge(n.shardsActive, 'Shards being read now.', ['table'])
  const saved = new Map<string, number>()
  const age = gauge(n.checkpointAge, 'Seconds since the checkpoint was last saved.', ['checkpoint'], () => {
    const now = Date.now()
    for (const [label, at] of saved) age.set({ checkpoint: label }, (now - at) / 1000)
  })
  const segmentsDone = gauge(n.segmentsDone, 'Snapshot segments read to their end.', ['table'])
  const segments = gauge(n.segments, 'Snapshot segments (Scan TotalSegments).', ['table'])
  const estimated = gauge(n.estimatedItems, 'DescribeTable ItemCount when the snapshot started.', ['table'])
  return {
    read: (table, phase, k) => { read.inc({ table, phase }, k) },
    written: (table, k) => { written.inc({ table }, k) },
    request: (api) => { requests.inc({ api }) },
    retried: (api, err) => {
      retries.inc({ api })
      if (isThrottle(err)) throttles.inc({ api })
    },
    unprocessed: (table, k) => { unprocessed.inc({ table }, k) },
    inFlight: (api, delta) => { inFlight.inc({ api }, delta) },
    lag: (table, shard, seconds) => { lag.set({ table, shard }, seconds) },
    shards: (table, t, a) => { tracked.set({ table }, t); active.set({ table }, a) },
    checkpointSaved: (label) => { saved.set(label, Date.now()) },
    snapshot: (table, p) => {
      segmentsDone.set({ table }, p.segmentsDone)
      segments.set({ table }, p.totalSegments)
      estimated.set({ table }, p.estimatedItems)
    }
  }
}
