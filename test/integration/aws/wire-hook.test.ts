// The fast path for Scan and GetRecords bodies, against DynamoDB Local and the installed SDK: taken (counted),
// the same output as the SDK's own deserializer, and every error response left to the SDK.
import t from 'tap'
import { DescribeTableCommand, PutItemCommand, ScanCommand, type AttributeValue, type ScanCommandOutput } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type GetRecordsCommandOutput, type _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { useDynamo } from '../../helpers/dynamo.js'
import { useFaultProxy } from '../../helpers/fault-proxy.js'
import { loadUniverse } from '../../helpers/universe.js'
import { createDynamoDBClient } from '../../../src/aws/clients.js'
import { withWireDecode, wireStats } from '../../../src/aws/wire-hook.js'
import { decodeGetRecords, decodeScan } from '../../../src/aws/wire-decode.js'
import { createSource } from '../../../src/readable/source.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { deepDiff } from '../../helpers/deep-diff.js'

const ddb = await useDynamo(t)
// proto: false — the Streams SDK, the oracle here, loses a nested `__proto__`'s value (universe.cdc.test.ts pins ours).
const { table, items } = await loadUniverse(ddb, { key: 'B', range: 'S', count: 40, seed: 1801, stream: 'NEW_AND_OLD_IMAGES', proto: false })

const withoutMetadata = <T extends { $metadata?: unknown }>(o: T): Omit<T, '$metadata'> => { const { $metadata: _, ...rest } = o; return rest }

/** Every B / BS member found in a value, with its constructor's name. */
function binaryKinds (v: unknown, out = new Set<string>()): Set<string> {
  if (v instanceof Uint8Array) out.add(v.constructor.name)
  else if (Array.isArray(v)) for (const x of v) binaryKinds(x, out)
  else if (typeof v === 'object' && v !== null && !(v instanceof Date)) for (const k of Object.keys(v)) binaryKinds((v as Record<string, unknown>)[k], out)
  return out
}

t.test('Scan: the fast path is taken and gives exactly the SDK\'s output', async (t) => {
  const before = wireStats()
  const sdk = await ddb.client.send(new ScanCommand({ TableName: table, ReturnConsumedCapacity: 'TOTAL' }))
  const fast = await ddb.client.send(withWireDecode(new ScanCommand({ TableName: table, ReturnConsumedCapacity: 'TOTAL' }), decodeScan))
  t.same(wireStats(), { fast: before.fast + 1, sdk: before.sdk }, 'one response decoded by the fast path, none left to the SDK')
  t.equal(fast.Items?.length, items.length, 'every item')
  t.equal(deepDiff(withoutMetadata(fast), withoutMetadata(sdk)), undefined, 'Items, counts, ConsumedCapacity: the SDK\'s very values')
  t.same([...binaryKinds(fast.Items)], ['Uint8Array'], 'bytes are Uint8Array views, as the SDK gives them')
  t.equal(fast.$metadata.httpStatusCode, 200, 'the SDK\'s $metadata kept')
  t.type(fast.$metadata.requestId, 'string')
})

t.test('Scan: a page with a LastEvaluatedKey (binary key) is the SDK\'s', async (t) => {
  const sdk = await ddb.client.send(new ScanCommand({ TableName: table, Limit: 7 }))
  const fast: ScanCommandOutput = await ddb.client.send(withWireDecode(new ScanCommand({ TableName: table, Limit: 7 }), decodeScan))
  t.ok(fast.LastEvaluatedKey?.pk?.B instanceof Uint8Array, 'a binary key')
  t.equal(deepDiff(withoutMetadata(fast), withoutMetadata(sdk)), undefined)
})

async function drain (iterator: string | undefined, fast: boolean): Promise<{ records: StreamEvent[], pages: GetRecordsCommandOutput[] }> {
  const records: StreamEvent[] = []
  const pages: GetRecordsCommandOutput[] = []
  while (iterator !== undefined && records.length < items.length) {
    const command = new GetRecordsCommand({ ShardIterator: iterator })
    const out = await ddb.streams.send(fast ? withWireDecode(command, decodeGetRecords) : command)
    pages.push(out)
    records.push(...(out.Records ?? []))
    if ((out.Records ?? []).length === 0) break
    iterator = out.NextShardIterator
  }
  return { records, pages }
}

t.test('GetRecords: the fast path is taken and gives exactly the SDK\'s records (dates, images, bytes)', async (t) => {
  const arn = (await ddb.client.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn
  const shards = (await ddb.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? []
  const iterator = async (): Promise<string | undefined> => (await ddb.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shards[0]?.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator
  const before = wireStats()
  const sdk = await drain(await iterator(), false)
  const fast = await drain(await iterator(), true)
  t.same(wireStats(), { fast: before.fast + fast.pages.length, sdk: before.sdk }, `${fast.pages.length} pages, all through the fast path`)
  t.equal(fast.records.length, items.length, 'one INSERT per item')
  t.equal(deepDiff(fast.records, sdk.records), undefined, 'eventID, eventName, userIdentity, dynamodb.* (ApproximateCreationDateTime a Date) as the SDK gives them')
  t.ok(fast.records[0]?.dynamodb?.ApproximateCreationDateTime instanceof Date, 'a Date')
  t.same([...binaryKinds(fast.records)], ['Uint8Array'])
  t.strictSame(fast.pages.map((p) => typeof p.NextShardIterator), sdk.pages.map((p) => typeof p.NextShardIterator), 'NextShardIterator on every page')
})

for (const kind of ['throttling', 'http500'] as const) {
  t.test(`a ${kind} answer is the SDK's error; after a retry the 200 goes through the fast path`, async (t) => {
    const proxy = await useFaultProxy(t, ddb.endpoint, [])
    const once = createDynamoDBClient({ endpoint: proxy.endpoint, maxAttempts: 1 })
    const retrying = createDynamoDBClient({ endpoint: proxy.endpoint, maxAttempts: 3 })
    t.teardown(() => { once.destroy(); retrying.destroy() })
    const failure = async (fast: boolean): Promise<Record<string, unknown>> => {
      proxy.rules = [{ kind, operations: ['Scan'], times: 1 }]
      const command = new ScanCommand({ TableName: table })
      const err = await once.send(fast ? withWireDecode(command, decodeScan) : command).then(() => undefined, (e: unknown) => e as Record<string, unknown>)
      return { name: err?.name, message: err?.message, fault: err?.$fault, status: (err?.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode, retryable: err?.$retryable }
    }
    const before = wireStats()
    const sdk = await failure(false)
    t.ok(typeof sdk.status === 'number' && sdk.status >= 400, `the SDK's error: ${String(sdk.name)} ${String(sdk.status)}`)
    t.strictSame(await failure(true), sdk, 'name, message, $fault, $metadata status, $retryable: the same')
    t.same(wireStats(), before, 'an error is neither decoded nor counted')
    proxy.rules = [{ kind, operations: ['Scan'], times: 1 }]
    const out = await retrying.send(withWireDecode(new ScanCommand({ TableName: table }), decodeScan))
    t.equal(out.$metadata.attempts, 2, 'the SDK retried')
    t.equal(out.Items?.length, items.length, 'the retried page complete')
    t.equal(wireStats().fast, before.fast + 1, 'decoded by the fast path')
  })
}

t.test('a body the decoder rejects goes to the SDK untouched (and is counted as sdk)', async (t) => {
  const before = wireStats()
  const sdk = await ddb.client.send(new ScanCommand({ TableName: table }))
  const out = await ddb.client.send(withWireDecode(new ScanCommand({ TableName: table }), () => { throw new Error('not this one') }))
  t.equal(deepDiff(withoutMetadata(out), withoutMetadata(sdk)), undefined, 'the SDK\'s output')
  t.same(wireStats(), { fast: before.fast, sdk: before.sdk + 1 })
})

t.test('a top-level attribute named __proto__ is kept as an own attribute with its value (the SDK\'s Scan gives it undefined)', async (t) => {
  const tableName = await ddb.createTable({ hash: ['pk', 'S'] })
  const item: Record<string, AttributeValue> = { pk: { S: 'p' } }
  Object.defineProperty(item, '__proto__', { value: { M: { polluted: { BOOL: true } } }, enumerable: true, writable: true, configurable: true })
  await ddb.client.send(new PutItemCommand({ TableName: tableName, Item: item }))
  const sdk = await ddb.client.send(new ScanCommand({ TableName: tableName }))
  const fast = await ddb.client.send(withWireDecode(new ScanCommand({ TableName: tableName }), decodeScan))
  const got = fast.Items?.[0] ?? {}
  t.ok(Object.hasOwn(got, '__proto__'), 'an own attribute')
  t.same(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, { M: { polluted: { BOOL: true } } }, 'with its value')
  t.equal(Object.getPrototypeOf(got), Object.prototype, 'the prototype untouched')
  t.same(Object.getOwnPropertyDescriptor(sdk.Items?.[0] ?? {}, '__proto__')?.value, undefined, 'the SDK\'s deserializer loses the value (when this fails, the SDK was fixed)')
  const records: OpenCDCRecord[] = []
  for await (const r of createSource({ table: tableName, endpoint: ddb.endpoint, snapshotOnly: true })) records.push(r as OpenCDCRecord)
  t.same(Object.getOwnPropertyDescriptor(records[0]?.payload.after ?? {}, '__proto__')?.value, { polluted: true }, 'the snapshot record carries it')
})
