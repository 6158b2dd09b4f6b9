import t, { type Test } from 'tap'
import { BatchWriteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient, isRetryableAwsError } from '../../src/aws/clients.js'
import { useDynamo } from '../helpers/dynamo.js'
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.js'

interface AwsErr { name: string, code?: string, message: string, $metadata?: { httpStatusCode?: number } }

const dynamo = await useDynamo(t)
const table = await dynamo.createTable({ hash: ['id', 'S'], stream: 'NEW_AND_OLD_IMAGES' })

async function withProxy (t: Test, rules: FaultRule[], seed = 7): Promise<{ proxy: FaultProxy, client: DynamoDBClient, streams: DynamoDBStreamsClient }> {
  const proxy = await startFaultProxy({ target: dynamo.endpoint, seed, rules })
  const client = createDynamoDBClient({ endpoint: proxy.endpoint, maxAttempts: 1 })
  const streams = createStreamsClient({ endpoint: proxy.endpoint, maxAttempts: 1 })
  t.teardown(async () => { client.destroy(); streams.destroy(); await proxy.close() })
  return { proxy, client, streams }
}

async function caught (p: Promise<unknown>): Promise<AwsErr> {
  try {
    await p
  } catch (err) {
    return err as AwsErr
  }
  throw new Error('expected the call to fail')
}

async function exists (id: string): Promise<boolean> {
  const out = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))
  return out.Item !== undefined
}

const put = (id: string): PutItemCommand => new PutItemCommand({ TableName: table, Item: { id: { S: id }, v: { N: '1' } } })

t.test('forwards requests untouched when no rule matches and counts them per operation', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'throttling', operations: ['Query'] }])
  await client.send(put('plain-1'))
  const out = await client.send(new DescribeTableCommand({ TableName: table }))
  t.equal(out.Table?.TableName, table)
  t.ok(await exists('plain-1'))
  t.same(proxy.requests, { PutItem: 1, DescribeTable: 1 })
  t.equal(proxy.totalInjected(), 0)
})

for (const [kind, name, status] of [
  ['throughputExceeded', 'ProvisionedThroughputExceededException', 400],
  ['throttling', 'ThrottlingException', 400],
  ['http500', 'InternalServerError', 500],
  ['http503', 'ServiceUnavailableException', 503]
] as const) {
  t.test(`answers ${kind} as AWS does: ${status} ${name}, retryable, nothing written`, async (t) => {
    const { proxy, client } = await withProxy(t, [{ kind, operations: ['PutItem'] }])
    const err = await caught(client.send(put(`${kind}-1`)))
    t.equal(err.name, name)
    t.equal(err.$metadata?.httpStatusCode, status)
    t.ok(isRetryableAwsError(err), 'our retry policy treats it as transient')
    t.notOk(await exists(`${kind}-1`), 'the request never reached DynamoDB')
    t.same(proxy.injected, { [kind]: 1 })
  })
}

t.test('answers UnrecognizedClientException to every call, as AWS does for wrong credentials', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'unrecognizedClient' }])
  const err = await caught(client.send(new DescribeTableCommand({ TableName: table })))
  t.equal(err.name, 'UnrecognizedClientException')
  t.equal(err.$metadata?.httpStatusCode, 400)
  t.match(err.message, /security token/)
  t.notOk(isRetryableAwsError(err))
  t.same(proxy.injected, { unrecognizedClient: 1 })
})

t.test('answers any other AWS error given by type, status and message', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'error', type: 'com.amazonaws.dynamodb.v20120810#RequestLimitExceeded', message: 'too many', operations: ['PutItem'] }])
  const err = await caught(client.send(put('err-1')))
  t.equal(err.name, 'RequestLimitExceeded')
  t.equal(err.message, 'too many')
  t.same(proxy.injected, { RequestLimitExceeded: 1 })
})

t.test('holds back part of a BatchWriteItem in UnprocessedItems and really does not apply those writes', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'unprocessed', fraction: 0.4 }])
  for (let i = 0; i < 5; i++) await dynamo.client.send(put(`bw-del-${i}`))
  const writes: WriteRequest[] = [
    ...Array.from({ length: 5 }, (_, i) => ({ PutRequest: { Item: { id: { S: `bw-put-${i}` }, n: { N: String(i) } } } })),
    ...Array.from({ length: 5 }, (_, i) => ({ DeleteRequest: { Key: { id: { S: `bw-del-${i}` } } } }))
  ]
  const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: writes } }))
  const held = out.UnprocessedItems?.[table] ?? []
  t.equal(held.length, 4, '40 % of 10 writes held back')
  t.equal(proxy.unprocessedItems, 4)
  t.same(proxy.injected, { unprocessed: 1 })
  const heldIds = new Set(held.map((w) => (w.PutRequest?.Item ?? w.DeleteRequest?.Key)?.id?.S))
  // DynamoDB Local applied the rewritten body although its SigV4 signature covers the original one.
  for (let i = 0; i < 5; i++) {
    t.equal(await exists(`bw-put-${i}`), !heldIds.has(`bw-put-${i}`), `put bw-put-${i} applied only if not held`)
    t.equal(await exists(`bw-del-${i}`), heldIds.has(`bw-del-${i}`), `delete bw-del-${i} applied only if not held`)
  }
  proxy.rules = []
  const retry = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: held } }))
  t.same(retry.UnprocessedItems, {})
  for (let i = 0; i < 5; i++) {
    t.ok(await exists(`bw-put-${i}`))
    t.notOk(await exists(`bw-del-${i}`))
  }
})

t.test('never holds back the only item of a batch', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'unprocessed' }])
  const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { id: { S: 'bw-single' } } } }] } }))
  t.same(out.UnprocessedItems, {})
  t.ok(await exists('bw-single'))
  t.equal(proxy.totalInjected(), 0)
})

t.test('resets the connection before forwarding: the client sees ECONNRESET and nothing is written', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'reset', operations: ['PutItem'] }])
  const err = await caught(client.send(put('reset-1')))
  t.equal(err.code ?? err.name, 'ECONNRESET')
  t.ok(isRetryableAwsError(err))
  t.notOk(await exists('reset-1'))
  t.same(proxy.injected, { reset: 1 })
})

t.test('loses the response after the write was applied: the client sees a reset, the item is there', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'lostResponse', operations: ['PutItem'] }])
  const err = await caught(client.send(put('lost-1')))
  t.equal(err.code ?? err.name, 'ECONNRESET')
  t.ok(await exists('lost-1'))
  t.same(proxy.injected, { lostResponse: 1 })
})

t.test('delays the answer of a slow call, and a client timeout fires first', async (t) => {
  const { proxy, client } = await withProxy(t, [{ kind: 'slow', delayMs: 400, operations: ['PutItem'] }])
  const started = Date.now()
  await client.send(put('slow-1'))
  t.ok(Date.now() - started >= 390, `answered after ${Date.now() - started} ms`)
  const err = await caught(client.send(put('slow-2'), { abortSignal: AbortSignal.timeout(100) }))
  t.match(err.name, /Abort|Timeout/)
  t.same(proxy.injected, { slow: 2 })
})

t.test('answers GetRecords with ExpiredIteratorException and TrimmedDataAccessException, leaving other stream calls alone', async (t) => {
  const { proxy, streams } = await withProxy(t, [{ kind: 'expiredIterator', times: 1 }, { kind: 'trimmedDataAccess', times: 1 }])
  const desc = await dynamo.client.send(new DescribeTableCommand({ TableName: table }))
  const arn = desc.Table?.LatestStreamArn as string
  const stream = await streams.send(new DescribeStreamCommand({ StreamArn: arn }))
  const shardId = stream.StreamDescription?.Shards?.[0]?.ShardId as string
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
  const iterator = it.ShardIterator as string
  const expired = await caught(streams.send(new GetRecordsCommand({ ShardIterator: iterator })))
  t.equal(expired.name, 'ExpiredIteratorException')
  t.equal(expired.$metadata?.httpStatusCode, 400)
  const trimmed = await caught(streams.send(new GetRecordsCommand({ ShardIterator: iterator })))
  t.equal(trimmed.name, 'TrimmedDataAccessException')
  const ok = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
  t.ok((ok.Records ?? []).length > 0, 'the third call reads the stream')
  t.same(proxy.injected, { expiredIterator: 1, trimmedDataAccess: 1 })
  t.same(proxy.requests, { DescribeStream: 1, GetShardIterator: 1, GetRecords: 3 })
})

t.test('applies after/times: lets the first requests through, then injects a bounded number of faults', async (t) => {
  const { client } = await withProxy(t, [{ kind: 'throttling', operations: ['PutItem'], after: 2, times: 2 }])
  const outcomes: string[] = []
  for (let i = 0; i < 6; i++) outcomes.push(await client.send(put(`at-${i}`)).then(() => 'ok', (err: AwsErr) => err.name))
  t.same(outcomes, ['ok', 'ok', 'ThrottlingException', 'ThrottlingException', 'ok', 'ok'])
})

t.test('draws faults from its seed: the same seed gives the same faults, another seed others', async (t) => {
  const pattern = async (seed: number): Promise<string> => {
    const { client } = await withProxy(t, [{ kind: 'throttling', operations: ['GetItem'], probability: 0.5 }], seed)
    let out = ''
    for (let i = 0; i < 32; i++) out += await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'x' } } })).then(() => '.', () => 'T')
    return out
  }
  const a = await pattern(42)
  t.equal(await pattern(42), a)
  t.not(await pattern(43), a)
  t.ok(a.includes('T') && a.includes('.'), `both outcomes occur: ${a}`)
})

t.test('the SDK with retries rides through transient faults the proxy injects', async (t) => {
  const proxy = await startFaultProxy({ target: dynamo.endpoint, rules: [{ kind: 'http503', operations: ['PutItem'], times: 1 }, { kind: 'reset', operations: ['PutItem'], times: 1 }] })
  const client = createDynamoDBClient({ endpoint: proxy.endpoint, maxAttempts: 3 })
  t.teardown(async () => { client.destroy(); await proxy.close() })
  await client.send(put('retry-1'))
  t.ok(await exists('retry-1'))
  t.same(proxy.injected, { http503: 1, reset: 1 })
  t.equal(proxy.requests.PutItem, 3)
})

t.test('scans through the proxy return the same items as DynamoDB Local', async (t) => {
  const { client } = await withProxy(t, [])
  const direct = await dynamo.client.send(new ScanCommand({ TableName: table }))
  const proxied = await client.send(new ScanCommand({ TableName: table }))
  t.equal(proxied.Count, direct.Count)
  t.same(proxied.Items, direct.Items)
})

t.test('shows observers exactly what DynamoDB received: a rewritten batch without its held-back items', async (t) => {
  const seen: Array<{ operation: string, ids: string[] }> = []
  const proxy = await startFaultProxy({
    target: dynamo.endpoint,
    seed: 3,
    rules: [{ kind: 'unprocessed', fraction: 0.5 }, { kind: 'throttling', operations: ['PutItem'] }],
    observe: (req) => {
      const writes = (req.body.RequestItems as Record<string, WriteRequest[]> | undefined)?.[table] ?? []
      seen.push({ operation: req.operation, ids: writes.map((w) => w.PutRequest?.Item?.id?.S as string) })
    }
  })
  const client = createDynamoDBClient({ endpoint: proxy.endpoint, maxAttempts: 1 })
  t.teardown(async () => { client.destroy(); await proxy.close() })
  const writes = Array.from({ length: 6 }, (_, i) => ({ PutRequest: { Item: { id: { S: `obs-${i}` } } } }))
  const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: writes } }))
  await caught(client.send(put('obs-throttled')))
  const held = new Set((out.UnprocessedItems?.[table] ?? []).map((w) => w.PutRequest?.Item?.id?.S))
  t.equal(held.size, 3)
  t.equal(seen.length, 1, 'the throttled PutItem never reached DynamoDB, so it is not observed')
  t.same(seen[0]?.ids.sort(), writes.map((w) => w.PutRequest.Item.id.S).filter((id) => !held.has(id)).sort())
})
