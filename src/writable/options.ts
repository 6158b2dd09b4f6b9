import type { Writable } from 'node:stream'
import type { ConnectionExactInput } from '../options/input.js'
import { withoutSpecs, type InputOf } from '../options/derive.js'
import { resolveOptions, type OptionSpec } from '../options/options.js'
import { AWS_SPECS, CONDUIT_DESTINATION_SPECS, type AwsConnectionOptions } from '../options/settings.js'
import { OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { MAX_BATCH_REQUESTS } from './batch-plan.js'
import { compileRoute, type Router, type TableRoute } from './route.js'
import type { UpdateMode } from './write-op.js'
import { WRITE_BASE_DELAY, WRITE_MAX_DELAY } from '../aws/retry.js'

export type DeadLetterHandler = (record: OpenCDCRecord, error: Error) => void | Promise<void>

/** The destination's own options, on top of the seed's settings. */
export const DESTINATION_SPECS = [
  { name: 'updateMode', kind: 'enum', values: ['put', 'patch'], default: 'put', doc: 'put: an update replaces the item with payload.after; patch: UpdateItem with SET/REMOVE from the before/after difference.' },
  { name: 'concurrency', deprecated: ['maxInFlight'], kind: 'int', min: 1, max: 256, default: 16, doc: 'Most BatchWriteItem requests in flight at once.' },
  { name: 'adaptiveConcurrency', kind: 'bool', default: true, doc: 'Find the best requests in flight between 1 and concurrency (AIMD); false: always concurrency.' },
  { name: 'maxRetries', kind: 'int', min: 0, max: 1000, default: 10, doc: 'Retries of one request (throttling, 5xx, resets, UnprocessedItems) before its records fail.' },
  { name: 'retryTimeout', deprecated: ['retryBudget'], kind: 'duration', min: 0, default: 60_000, doc: 'Most time one request may spend retrying before its records fail.' },
  { name: 'retryBaseDelay', kind: 'duration', min: 0, default: WRITE_BASE_DELAY, doc: 'First backoff step; full-jitter exponential from there.' },
  { name: 'retryMaxDelay', kind: 'duration', min: 0, default: WRITE_MAX_DELAY, doc: 'Longest single backoff.' },
  { name: 'stallTimeout', setting: 'stall.timeout', kind: 'duration', min: 0, default: 300_000, doc: 'When no record is written for this long while records wait or writes are in flight: emit a \'stall\' event naming what is stuck, then \'recovered\' (0: never). See docs/operations.md.' },
  { name: 'deadLetter', kind: 'object', doc: 'Where records that cannot be written go instead of failing the stream: a function (record, error) or a Writable receiving { record, error }.' },
  { name: 'onWritten', kind: 'function', doc: 'Called with records once they are durably written (use it to acknowledge a source).' },
  { name: 'highWaterMark', kind: 'int', min: 1, doc: 'Records buffered before write() returns false (default 8 × batch size × concurrency, at least 1000).' }
] as const satisfies readonly OptionSpec[]

// A destination's table is a route (a name, a {{collection}} template, a map or a function), resolved by compileRoute.
const TABLE_SPEC = { name: 'table', setting: 'table', kind: 'object', required: true, doc: 'DynamoDB table to write to: a name, a name with {{collection}} (the record\'s opencdc.collection), a map collection → table, or a function (record) => table.' } as const satisfies OptionSpec

export const ALL_DESTINATION_SPECS = [TABLE_SPEC, ...withoutSpecs(AWS_SPECS, ['table']), ...CONDUIT_DESTINATION_SPECS, ...DESTINATION_SPECS]

/** The destination options whose types a spec cannot carry, and the deprecated names with their JSDoc. */
export interface DestinationExactInput extends ConnectionExactInput {
  table: TableRoute
  deadLetter?: DeadLetterHandler | Writable
  onWritten?: (records: OpenCDCRecord[]) => void
  /** @deprecated Use retryTimeout (same meaning: most time one request may spend retrying); removed in the next major release. */
  retryBudget?: number | string
  /** @deprecated Use concurrency (same meaning: requests in flight); removed in the next major release. */
  maxInFlight?: number | string
}

/** What createDestination accepts: typed camelCase options (numbers may also be given as strings, durations as Go strings), Conduit's dotted settings (string values), or both; `table` is required. */
export type DestinationInput = InputOf<typeof ALL_DESTINATION_SPECS, DestinationExactInput, true>

export interface DestinationOptions extends Omit<AwsConnectionOptions, 'table'> {
  /** The route as given; `route` is its compiled form. */
  table: TableRoute
  route: Router
  batchSize: number
  batchDelay: number
  ratePerSecond: number
  rateBurst: number
  updateMode: UpdateMode
  concurrency: number
  adaptiveConcurrency: boolean
  maxRetries: number
  retryTimeout: number
  retryBaseDelay: number
  retryMaxDelay: number
  stallTimeout: number
  deadLetter?: DeadLetterHandler | Writable
  onWritten?: (records: OpenCDCRecord[]) => void
  highWaterMark: number
}

function isWritableLike (v: unknown): v is Writable {
  return typeof v === 'object' && v !== null && typeof (v as Writable).write === 'function' && typeof (v as Writable).once === 'function'
}

export function resolveDestinationOptions (input: DestinationInput | Record<string, unknown> | undefined): DestinationOptions {
  const { deadLetter, table, ...rest } = input ?? {}
  // The table goes around the generic resolver (kind 'object' would refuse a string and a function).
  const opts = resolveOptions<DestinationOptions>(ALL_DESTINATION_SPECS, { ...rest, table: table === undefined || table === '' ? undefined : {} }, 'destination')
  opts.table = table as TableRoute
  opts.route = compileRoute(table)
  if (deadLetter !== undefined && typeof deadLetter !== 'function' && !isWritableLike(deadLetter)) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'destination: deadLetter: expected a function (record, error) or a Writable', { option: 'deadLetter' })
  }
  if (opts.batchSize === 0 || opts.batchSize > MAX_BATCH_REQUESTS) {
    if (opts.batchSize > MAX_BATCH_REQUESTS) {
      throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `destination: sdk.batch.size: BatchWriteItem takes at most ${MAX_BATCH_REQUESTS} requests, got ${opts.batchSize}`, { option: 'sdk.batch.size' })
    }
    opts.batchSize = MAX_BATCH_REQUESTS
  }
  if (opts.rateBurst > 0 && opts.ratePerSecond === 0) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', 'destination: sdk.rate.burst needs sdk.rate.perSecond (a burst of an unlimited rate means nothing)', { option: 'sdk.rate.burst' })
  }
  if (deadLetter !== undefined) opts.deadLetter = deadLetter as DeadLetterHandler | Writable
  // A round ends with fewer requests in flight than allowed; bigger rounds make that tail a smaller share (measured: 1600 → 3200 records, +10–20 %).
  if (opts.highWaterMark === undefined) opts.highWaterMark = Math.max(1000, 8 * opts.batchSize * opts.concurrency)
  return opts
}
