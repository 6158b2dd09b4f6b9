import t from 'tap'
import type { BatchWriteItemCommandInput, BatchWriteItemCommandOutput, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { createDynamoDBClient } from '../../../src/aws/clients.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { run, scanAll } from './destination.fixtures.js'

const db = await useDynamo(t)

const records = (n: number): OpenCDCRecord[] => Array.from({ length: n }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i } }))

type Hook = (requests: WriteRequest[]) => { held?: WriteRequest[], error?: Error }

/** A real client whose BatchWriteItem calls pass through `hook` first: it may hold items back (reported as UnprocessedItems) or throw. */
function clientWith (table: string, hook: Hook): DynamoDBClient {
  const client = createDynamoDBClient({ endpoint: db.endpoint, maxAttempts: 1 })
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName !== 'BatchWriteItemCommand') return await next(args)
    const input = args.input as BatchWriteItemCommandInput
    const requests = input.RequestItems?.[table] ?? []
    const { held = [], error } = hook(requests)
    if (error !== undefined) throw error
    const sent = requests.filter((r) => !held.includes(r))
    // Holding back everything: answer as DynamoDB does when nothing could be processed, without a call.
    if (sent.length === 0) return { output: { UnprocessedItems: { [table]: held }, $metadata: {} }, response: {} } as never
    input.RequestItems = { [table]: sent }
    const result = await next(args)
    if (held.length > 0) (result.output as BatchWriteItemCommandOutput).UnprocessedItems = { [table]: held }
    return result
  }, { step: 'initialize', name: 'holdBackItems' })
  t.teardown(() => client.destroy())
  return client
}

function throttling (): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })
}

t.test('UnprocessedItems are re-sent (only those) until the real table has every record', async (t) => {
  const table = await db.createTable()
  let calls = 0
  let heldTotal = 0
  const sentIds: string[] = []
  const client = clientWith(table, (requests) => {
    calls++
    sentIds.push(...requests.map((r) => r.PutRequest?.Item?.id?.S ?? ''))
    if (calls > 20 || requests.length < 2) return {}
    const held = requests.slice(0, Math.ceil(requests.length / 3))
    heldTotal += held.length
    return { held }
  })
  const dest = createDestination({ table, client, retryBaseDelay: 1 })
  t.equal(await run(records(500), dest), undefined)
  t.ok(heldTotal > 0, `${heldTotal} items were held back`)
  t.equal((await scanAll(db.client, table)).size, 500, 'every record is in the table')
  t.equal(sentIds.length, 500 + heldTotal, 'exactly the held-back items were sent again, nothing else')
})

t.test('throttling errors are retried with backoff', async (t) => {
  const table = await db.createTable()
  let calls = 0
  const client = clientWith(table, () => (++calls <= 3 ? { error: throttling() } : {}))
  const dest = createDestination({ table, client, retryBaseDelay: 1, concurrency: 1 })
  t.equal(await run(records(50), dest), undefined)
  t.ok(calls > 3)
  t.equal((await scanAll(db.client, table)).size, 50)
})

t.test('when the retry budget runs out the stream fails listing the records not written; earlier ones are kept', async (t) => {
  const table = await db.createTable()
  const client = clientWith(table, (requests) => ({ held: requests.filter((r) => r.PutRequest?.Item?.id?.S === 'k7') }))
  const dest = createDestination({ table, client, maxRetries: 3, retryBaseDelay: 1 })
  const err = await run(records(60), dest)
  t.ok(isOpenCDCError(err, 'ERR_DDB_WRITE_FAILED'), String(err))
  t.match(err?.message, /1 record\(s\) not written to table "[^"]+": gave up after 4 attempt\(s\)/)
  t.match(err?.message, /record #7 position "p7" key \{id="k7"\}/)
  t.match((err as Error & { details: Record<string, unknown> }).details, { records: [{ index: 7, position: 'p7' }] })
  const items = await scanAll(db.client, table)
  t.notOk(items.has('k7'))
  t.ok(items.has('k0'), 'records of the same round that succeeded stay written')
})

t.test('a non-retryable error (not about an item) fails at once naming every record of the request', async (t) => {
  const table = await db.createTable()
  let calls = 0
  const client = clientWith(table, () => (++calls === 1 ? { error: Object.assign(new Error('bad request'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }) } : {}))
  const err = await run(records(3), createDestination({ table, client, concurrency: 1 }))
  t.ok(isOpenCDCError(err, 'ERR_DDB_WRITE_FAILED'))
  t.match(err?.message, /not written.*bad request/)
  t.equal(calls, 1, 'not retried')
  t.equal((err as Error).cause instanceof Error && (err as Error & { cause: Error }).cause.name, 'AccessDeniedException', 'the AWS error is kept as the cause')
})

t.test('records that exhaust their retries go to the dead-letter function, the pipeline goes on', async (t) => {
  const table = await db.createTable()
  const client = clientWith(table, (requests) => ({ held: requests.filter((r) => ['k3', 'k40'].includes(r.PutRequest?.Item?.id?.S ?? '')) }))
  const dead: string[] = []
  const dest = createDestination({ table, client, maxRetries: 2, retryBaseDelay: 1, deadLetter: async (record, error) => { dead.push(`${record.position.toString()} ${(error as Error & { code: string }).code}`) } })
  t.equal(await run(records(50), dest), undefined)
  t.same(dead.sort(), ['p3 ERR_DDB_RETRIES_EXHAUSTED', 'p40 ERR_DDB_RETRIES_EXHAUSTED'])
  t.equal((await scanAll(db.client, table)).size, 48)
  t.equal(dest.stats.deadLettered, 2)
})

t.test('a Writable dead letter receives { record, error } objects', async (t) => {
  const table = await db.createTable()
  const client = clientWith(table, (requests) => ({ held: requests.filter((r) => r.PutRequest?.Item?.id?.S === 'k1') }))
  const { Writable } = await import('node:stream')
  const got: Array<{ record: OpenCDCRecord, error: Error }> = []
  const sink = new Writable({ objectMode: true, highWaterMark: 1, write (chunk, _enc, cb) { got.push(chunk); setTimeout(cb, 5) } })
  t.equal(await run(records(5), createDestination({ table, client, maxRetries: 1, retryBaseDelay: 1, deadLetter: sink })), undefined)
  t.equal(got.length, 1)
  t.equal(got[0]?.record.position.toString(), 'p1')
  t.match(got[0]?.error.message, /unprocessed/)
})
