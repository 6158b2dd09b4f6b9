import t from 'tap'
import { once } from 'node:events'
import type { DynamoDBClient, ScanCommandInput } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createDynamoDBClient } from '../../../../src/aws/clients.js'
import { createSource } from '../../../../src/readable/source.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'
import { collect, countScans, loadItems } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)
const table = await dynamo.createTable()
await loadItems(dynamo.client, table, Array.from({ length: 2_000 }, (_, i) => ({ id: { S: `k${i}` }, v: { N: String(i) } })))

function awsError (name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } })
}

/** A real client whose n-th Scans (1-based, as chosen by `fail`) throw before reaching DynamoDB Local; `calls` counts every Scan. */
function clientFailingScans (fail: (n: number, input: ScanCommandInput) => Error | undefined): { client: DynamoDBClient, calls: { count: number } } {
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  const calls = { count: 0 }
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'ScanCommand') {
      const err = fail(++calls.count, args.input as ScanCommandInput)
      if (err !== undefined) throw err
    }
    return await next(args)
  }, { step: 'initialize', name: 'injectScanErrors' })
  return { client, calls }
}

t.test('a Scan error that is not transient destroys the stream naming segment and scan point; it does not end it', async (t) => {
  const { client } = clientFailingScans((n) => n === 6 ? awsError('AccessDeniedException', 400, 'not authorized to perform dynamodb:Scan') : undefined)
  t.teardown(() => client.destroy())
  const source = createSource({ table, client, snapshotSegments: 4, snapshotPageSize: 100, snapshotOnly: true })
  let ended = false
  let records = 0
  source.on('end', () => { ended = true })
  source.on('data', () => { records++ })
  const closed = new Promise((resolve) => source.once('close', resolve))
  const [err] = await once(source, 'error') as [Error]
  t.ok(isOpenCDCError(err, 'ERR_DDB_SCAN_FAILED'), String(err))
  t.match(err.message, /^snapshot of table "t_\w+": Scan of segment \d of 4 failed after key \{"id":\{"S":"k\d+"\}\}: AccessDeniedException: not authorized/)
  t.equal((err.cause as Error).name, 'AccessDeniedException', 'the AWS error is the cause')
  t.match((err as { details?: unknown }).details, { table, totalSegments: 4, exclusiveStartKey: { id: { S: /^k/ } } })
  await closed
  t.notOk(ended, 'the stream did not end')
  t.ok(records < 2_000, `only ${records} records before the failure`)
})

t.test('throttling and 5xx errors are retried and every item still arrives', async (t) => {
  const { client, calls } = clientFailingScans((n) => n === 2 ? awsError('ProvisionedThroughputExceededException', 400, 'slow down') : n === 5 || n === 6 ? awsError('InternalServerError', 500, 'oops') : undefined)
  t.teardown(() => client.destroy())
  const answered = countScans(client)
  const records = await collect(createSource({ table, client, snapshotSegments: 4, snapshotPageSize: 100, snapshotOnly: true }))
  t.equal(new Set(records.map((r) => (r.key as { id: string }).id)).size, 2_000)
  t.equal(records.length, 2_000)
  t.equal(calls.count, answered.count + 3, 'the 3 failed Scans were sent again')
})

t.test('a transient error that outlasts the retry budget destroys the stream', async (t) => {
  const { client, calls } = clientFailingScans(() => awsError('ThrottlingException', 400, 'rate exceeded'))
  t.teardown(() => client.destroy())
  const source = createSource({ table, client, snapshotSegments: 1, snapshotRetries: 2, snapshotOnly: true })
  source.resume()
  const [err] = await once(source, 'error') as [Error]
  t.match(err.message, /Scan of segment 0 of 1 failed at the start of the segment: ThrottlingException: rate exceeded/)
  t.equal(calls.count, 3, 'one attempt and 2 retries')
})

t.test('an empty page with a LastEvaluatedKey does not end the segment', async (t) => {
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  let empty = 0
  client.middlewareStack.add((next, context) => async (args) => {
    const input = args.input as ScanCommandInput
    if (context.commandName === 'ScanCommand' && input.ExclusiveStartKey !== undefined && empty < 3) {
      empty++
      return { output: { $metadata: {}, Items: [], Count: 0, ScannedCount: 0, LastEvaluatedKey: input.ExclusiveStartKey }, response: {} }
    }
    return await next(args)
  }, { step: 'initialize', name: 'emptyPages' })
  const records = await collect(createSource({ table, client, snapshotSegments: 2, snapshotPageSize: 100, snapshotOnly: true }))
  t.equal(empty, 3, 'three empty pages were answered')
  t.equal(new Set(records.map((r) => (r.key as { id: string }).id)).size, 2_000, 'every item still arrives')
})
