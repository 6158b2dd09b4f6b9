import t from 'tap'
import { createDynamoDBClient } from '../../../src/aws/clients.js'
import { createDestination, type DynamoDBDestination } from '../../../src/writable/destination.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { useFaultProxy } from '../../helpers/fault-proxy.js'
import { scanTable } from '../../helpers/table-state.js'
import { makeCreates } from '../../helpers/workload.js'

const dynamo = await useDynamo(t)

/** Writes every record corked, so they reach the destination as one round; resolves with the stream's error. */
async function oneRound (dest: DynamoDBDestination, records: OpenCDCRecord[]): Promise<unknown> {
  const done = new Promise<unknown>((resolve) => {
    dest.on('error', resolve)
    dest.on('finish', () => resolve(undefined))
  })
  dest.cork()
  for (const r of records) dest.write(r, () => {})
  dest.uncork()
  dest.end()
  return await done
}

t.test('the first request of a round leaves after one batch is converted, and the rest is converted while it is out', async (t) => {
  const table = await dynamo.createTable()
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  let converted = 0
  const convertedAtSend: number[] = []
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'BatchWriteItemCommand') convertedAtSend.push(converted)
    return await next(args)
  }, { step: 'initialize', name: 'convertedAtSend' })
  // The route is asked once per record as it is converted: its calls count the conversions.
  const route = (): string => { converted++; return table }
  const records = makeCreates(5000, 'f')
  const error = await oneRound(createDestination({ table: route, client, concurrency: 1, adaptiveConcurrency: false }), records)
  t.equal(error, undefined)
  t.equal((await scanTable(dynamo.client, table)).size, 5000, 'every record written')
  t.equal(convertedAtSend.length, 200, '5000 records in 200 requests of 25')
  // One batch, plus the chunks converted while the rate limiter let it go (32 each); the whole round first would show 5000.
  t.ok((convertedAtSend[0] as number) < 1000, `records converted when the first request left: ${convertedAtSend[0]}`)
  t.ok(convertedAtSend.some((n) => n < 5000 && n > 25), 'records were still being converted while requests were out')
})

t.test('a round that fails early names every record it did not write, those not converted yet included', async (t) => {
  const table = await dynamo.createTable()
  // Refused at once and not retryable: the round stops after its first request.
  const proxy = await useFaultProxy(t, dynamo.endpoint, [{ kind: 'error', operations: ['BatchWriteItem'], status: 400, type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: 'not allowed' }])
  const records = makeCreates(20_000, 'e')
  const error = await oneRound(createDestination({ table, endpoint: proxy.endpoint, concurrency: 1, adaptiveConcurrency: false, maxAttempts: 1 }), records)
  t.ok(isOpenCDCError(error, 'ERR_DDB_WRITE_FAILED'), `fails with ERR_DDB_WRITE_FAILED: ${String(error)}`)
  const details = (error as { details: { records: Array<{ position?: string }>, notAttempted: Array<{ position?: string }> } }).details
  t.equal(details.records.length, 25, 'the refused request\'s records')
  const named = new Set([...details.records, ...details.notAttempted].map((x) => x.position))
  t.equal(named.size, 20_000, 'every record of the round is named as not written or not attempted')
  t.equal((await scanTable(dynamo.client, table)).size, 0)
})
