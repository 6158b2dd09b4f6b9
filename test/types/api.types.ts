// Type tests: compiled by `npx tsc --noEmit` (tsconfig includes test/), never run (tap takes only *.test.ts).
// Each @ts-expect-error must meet an error, so a type that loosens fails tsc here ("Unused '@ts-expect-error'").
import type { Writable } from 'node:stream'
import {
  createChangeStream, createDestination, createSource, format, parseJSONL, OpenCDCError,
  TablesSource, type OpenCDCRecord, type SnapshotProgress, type ErrorCode, type TableEvent
} from '../../src/index.js'
import type { NameOf } from '../../src/options/derive.js'
import { SOURCE_SPECS, type SourceOptions } from '../../src/readable/options.js'
import { CHANGE_STREAM_SPECS, type ChangeStreamOptions } from '../../src/readable/cdc/settings.js'
import { ALL_DESTINATION_SPECS, type DestinationOptions } from '../../src/writable/options.js'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
function expectType<T> (value: T): T { return value }
function assert<T extends true> (): T | undefined { return undefined }

export async function sourceCases (sink: Writable): Promise<void> {
  // Documented forms: typed camelCase, Conduit's dotted settings (strings), both mixed, Node's signal.
  createSource({ table: 't', snapshotOnly: true })
  createSource({ table: 't', 'aws.region': 'eu-west-1', snapshotSegments: 4, snapshotOnly: true, checkpoint: './c.json' })
  createSource({ table: 't', 'snapshot.segments': '4', 'snapshot.only': 'true', 'checkpoint.interval': '2s' })
  createSource({ table: 't', skipSnapshot: 'true', discoveryPollingPeriod: '10s', recordsPollingPeriod: 250 })
  createSource({ table: 't', signal: AbortSignal.timeout(1000), onInvalidRecord: 'dead-letter', deadLetter: () => {} })
  createSource({ table: 't', snapshotFrom: 'export', exportS3Bucket: 'b', exportS3Prefix: 'p', exportDelay: '30s', exportPollInterval: 5000, exportConcurrency: 2 })
  createSource({ table: 't', 'snapshot.from': 'export', 'snapshot.export.bucket': 'b' })

  // @ts-expect-error: misspelt option
  createSource({ table: 't', snapshotSegmets: 4 })
  // @ts-expect-error: wrong value type
  createSource({ table: 't', snapshotOnly: 'yes' })
  // @ts-expect-error: table is required
  createSource({ snapshotOnly: true })
  // @ts-expect-error: Conduit settings are strings
  createSource({ table: 't', 'snapshot.segments': 4 })
  // @ts-expect-error: misspelt Conduit setting (the setting keys are named, no index signature)
  createSource({ table: 't', 'snapshot.segmnts': '4' })
  // @ts-expect-error: Conduit's undotted boolean setting takes only its string forms
  createSource({ table: 't', skipSnapshot: 'yes' })
  // @ts-expect-error: not an enum value
  createSource({ table: 't', startFrom: 'earliest' })
  // @ts-expect-error: not an enum value
  createSource({ table: 't', snapshotFrom: 'dump' })
  createSource({ table: 't', snapshotRetries: 3 })
  createSource({ table: 't', retryBudget: 3 }) // deprecated name (retries of a Scan page), still accepted
  // @ts-expect-error: misspelt new name
  createSource({ table: 't', snapshotRetires: 3 })
  // @ts-expect-error: on the source retryBudget is a count, not a duration
  createSource({ table: 't', retryBudget: '1m' })
  createSource({ table: 't', snapshotConcurrency: 8, cdcConcurrency: 4 })
  createSource({ table: 't', maxInFlightRequests: 4 }) // deprecated name of cdcConcurrency, still accepted
  // @ts-expect-error: misspelt new name
  createSource({ table: 't', cdcConcurency: 4 })

  // Many tables: a list or a selector instead of `table`; the result is a TablesSource.
  const many = createSource({ tables: ['a', 'b'], snapshotOnly: true, tableDiscoveryInterval: '30s', newTables: 'changes' })
  assert<Equal<typeof many, TablesSource>>()
  createSource({ tables: { prefix: 'app_', tags: 'env:prod' }, checkpoint: './c.json' })
  many.on('table', (e) => { assert<Equal<typeof e, TableEvent>>() })
  many.on('progress', (p) => { expectType<string>(p.table) })
  // @ts-expect-error: table and tables together
  createSource({ table: 't', tables: ['a'] })
  // @ts-expect-error: not a join mode
  createSource({ tables: ['a'], newTables: 'all' })
  // @ts-expect-error: not a selector field
  createSource({ tables: { names: ['a'] } })

  const source = createSource({ table: 't' })
  for await (const record of source) { expectType<OpenCDCRecord>(record); assert<Equal<typeof record, OpenCDCRecord>>() }
  source.on('progress', (p) => { assert<Equal<typeof p, SnapshotProgress>>() })
  source.once('warning', (w) => { expectType<OpenCDCError>(w) })
  source.on('some-other-event', () => {}) // unknown events keep Node's loose signature
  const read = source.read()
  assert<Equal<typeof read, OpenCDCRecord | null>>()
  expectType<OpenCDCRecord | null>(read)
  source.pipe(sink)
}

export async function changeStreamCases (): Promise<void> {
  createChangeStream({ table: 't', checkpoint: './c.json', startFrom: 'trim_horizon', 'cdc.retries': '5' })
  // @ts-expect-error: misspelt option
  createChangeStream({ table: 't', startFomr: 'latest' })
  // @ts-expect-error: table is required
  createChangeStream({ checkpoint: './c.json' })
  // @ts-expect-error: snapshot options are createSource's
  createChangeStream({ table: 't', snapshotOnly: true })
  createChangeStream({ table: 't', cdcConcurrency: 4 })
  createChangeStream({ table: 't', 'cdc.concurrency': '4' })
  createChangeStream({ table: 't', maxInFlightRequests: 4 }) // deprecated name of cdcConcurrency, still accepted

  const changes = createChangeStream({ table: 't' })
  for await (const record of changes) { expectType<OpenCDCRecord>(record); assert<Equal<typeof record, OpenCDCRecord>>() }
  changes.on('warning', (w) => { expectType<OpenCDCError>(w) })
}

export function destinationCases (): void {
  createDestination({ table: 'orders', 'sdk.rate.perSecond': '500', concurrency: 8, onWritten: () => {} })
  createDestination({ table: 'orders_{{collection}}', 'sdk.batch.size': '25', rateBurst: 50, deadLetter: (record, error) => { expectType<OpenCDCRecord>(record); expectType<Error>(error) } })
  createDestination({ table: (record) => record.metadata['opencdc.collection'] ?? 'x', updateMode: 'patch' })
  // @ts-expect-error: misspelt option
  createDestination({ table: 'x', maxInFlihgt: 2 })
  // @ts-expect-error: table is required
  createDestination({ endpoint: 'http://localhost:8000' })
  // @ts-expect-error: not an update mode
  createDestination({ table: 'x', updateMode: 'merge' })
  // @ts-expect-error: misspelt Conduit setting
  createDestination({ table: 'x', 'sdk.batch.siz': '4' })
  createDestination({ table: 'x', batchSize: '25', adaptiveConcurrency: 'false' }) // the destination takes numbers and booleans as strings too
  createDestination({ table: 'x', retryTimeout: '1m' })
  createDestination({ table: 'x', retryBudget: '1m' }) // deprecated name of retryTimeout, still accepted
  // @ts-expect-error: misspelt new name
  createDestination({ table: 'x', retryTimout: '1m' })
  createDestination({ table: 'x', concurrency: 4 })
  createDestination({ table: 'x', maxInFlight: 4 }) // deprecated name of concurrency, still accepted
  // @ts-expect-error: the source's names are not the destination's
  createDestination({ table: 'x', cdcConcurrency: 4 })
}

// Every resolved option is an option of the spec table it comes from (the derived input and the resolved type cannot drift).
assert<Equal<Exclude<keyof SourceOptions, NameOf<typeof SOURCE_SPECS>>, never>>()
assert<Equal<Exclude<keyof ChangeStreamOptions, NameOf<typeof CHANGE_STREAM_SPECS>>, never>>()
assert<Equal<Exclude<keyof DestinationOptions, NameOf<typeof ALL_DESTINATION_SPECS>>, 'route'>>()

export function errorCases (err: OpenCDCError): void {
  expectType<ErrorCode>(err.code)
  // @ts-expect-error: not a catalogued code
  new OpenCDCError('ERR_DDB_NO_SUCH_CODE', 'x') // eslint-disable-line no-new
}

export function transformCases (): void {
  format('opencdc/json', { dynamodbJson: true })
  format('opencdc/json', 'position.excluded=true')
  parseJSONL({ dynamodbJson: true })
}

export function transformTypoCases (): void {
  format('opencdc/json', { 'opencdc.dynamodbJson': 'true', typeHints: false })
  parseJSONL({ 'opencdc.typeHints': 'false', deadLetter: (err, where) => { expectType<OpenCDCError>(err); expectType<number>(where.line) } })
  // @ts-expect-error: misspelt option
  format('opencdc/json', { dynamoDbJson: true })
  // @ts-expect-error: misspelt option
  parseJSONL({ typeHint: false })
  // @ts-expect-error: wrong value type
  parseJSONL({ dynamodbJson: 'yes' })
}

// Options that landed beside the exact types: metrics registry, sharded snapshot worker.
createSource({ table: 't', metrics: {}, snapshotWorker: '0/4', snapshotSegments: 8 })
createDestination({ table: 't', metrics: {} })
