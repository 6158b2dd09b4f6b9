import t from 'tap'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createDestination } from '../../src/writable/destination.js'
import { createRecord } from '../../src/model/record.js'
import { useDynamo } from '../helpers/dynamo.js'
import { useFaultProxy } from '../helpers/fault-proxy.js'

const dynamo = await useDynamo(t)

const records = (n: number): ReturnType<typeof createRecord>[] => Array.from({ length: n }, (_, i) => createRecord({ operation: 'create', position: `p${i}`, key: { id: `k${i}` }, after: { id: `k${i}`, n: i } }))

t.test('stats.requests equals the BatchWriteItem requests the server saw, the SDK\'s own retries and failed ones included', async (t) => {
  const table = await dynamo.createTable()
  // Throttles the SDK retries by itself (maxAttempts 3), held-back items we retry, and a final rejection.
  const proxy = await useFaultProxy(t, dynamo.endpoint, [
    { kind: 'throttling', operations: ['BatchWriteItem'], probability: 0.3 },
    { kind: 'unprocessed', operations: ['BatchWriteItem'], probability: 0.2 }
  ], 7)
  const dest = createDestination({ table, endpoint: proxy.endpoint, maxAttempts: 3, maxRetries: 30, retryBaseDelay: 1, retryMaxDelay: 5 })
  await pipeline(Readable.from(records(600)), dest)
  t.ok((proxy.injected.throttling ?? 0) > 0 && (proxy.injected.unprocessed ?? 0) > 0, `faults were injected (${JSON.stringify(proxy.injected)})`)
  t.equal(dest.stats.requests, proxy.requests.BatchWriteItem, `${dest.stats.requests} requests counted, ${proxy.requests.BatchWriteItem} seen by the server`)
})

t.test('a request refused for good is counted too', async (t) => {
  const table = await dynamo.createTable()
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'error', operations: ['BatchWriteItem'], status: 400, type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: 'no' }])
  const dest = createDestination({ table, endpoint: proxy.endpoint, maxAttempts: 1, maxRetries: 0 })
  await t.rejects(pipeline(Readable.from(records(5)), dest))
  t.equal(proxy.requests.BatchWriteItem, 1)
  t.equal(dest.stats.requests, 1)
})
