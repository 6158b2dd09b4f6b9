import t from 'tap'
import { inspect } from 'node:util'
import { finished } from 'node:stream/promises'
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { valueDiff } from '../../helpers/compare.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord, type StructuredData } from '../../../src/model/record.js'
import { createDynamoDBClient } from '../../../src/aws/clients.js'
import { isOpenCDCError, type OpenCDCError } from '../../../src/errors/index.js'
import { run, scanAll } from './destination.fixtures.js'

const db = await useDynamo(t)

// A global secondary index on g: DynamoDB refuses a whole BatchWriteItem when one item's g is '' or not a
// string, and toWriteOp cannot know (it checks the table's own key only).
async function tableWithIndex (): Promise<string> {
  const name = `iso_${Math.random().toString(36).slice(2, 10)}`
  await db.client.send(new CreateTableCommand({
    TableName: name,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [{ IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }]
  }))
  return name
}

const valid = (i: number, id = `k${i}`): StructuredData => ({ id, i, g: `g${i % 7}`, n: i * 1.5, ss: new Set([`a${i}`, 'b']), l: [i, { deep: `d${i}` }] })
const record = (i: number, key: unknown, after: unknown): OpenCDCRecord => createRecord({ position: `p${i}`, operation: 'create', key: key as StructuredData, after: after as StructuredData })

// What each culprit breaks, by record index: checked before sending (code) or refused only by DynamoDB.
const PRE_CHECKED: Record<number, [unknown, unknown, string]> = {
  5: [{ id: 5 }, { v: 1 }, 'ERR_DDB_INVALID_KEY'],
  9: [{ id: 'k9' }, { blob: 'x'.repeat(419_849) }, 'ERR_DDB_ITEM_TOO_LARGE'],
  13: [{ id: 'k13' }, { tags: new Set() }, 'ERR_DDB_INVALID_VALUE'],
  21: [{ other: 'x' }, { v: 1 }, 'ERR_DDB_INVALID_KEY'],
  30: [{ id: 'k30' }, { v: undefined }, 'ERR_DDB_INVALID_VALUE'],
  44: [{ id: 'k44' }, { n: 1e200 }, 'ERR_DDB_INVALID_VALUE']
}
const SERVER_ONLY: Record<number, [unknown, RegExp]> = {
  33: ['', /empty string value.*IndexKey: g/],
  47: [5, /Type mismatch for Index Key/],
  48: ['', /empty string value/],
  90: [5, /Type mismatch for Index Key/]
}

function scenario (): { records: OpenCDCRecord[], expected: Map<string, StructuredData> } {
  const records: OpenCDCRecord[] = []
  const expected = new Map<string, StructuredData>()
  for (let i = 0; i < 100; i++) {
    const pre = PRE_CHECKED[i]
    const server = SERVER_ONLY[i]
    if (pre !== undefined) records.push(record(i, pre[0], pre[1]))
    else if (server !== undefined) records.push(record(i, { id: `k${i}` }, { ...valid(i), g: server[0] }))
    else {
      const id = i >= 60 && i < 64 ? `k${i - 58}` : `k${i}` // a few later writes to keys written before: the last wins
      records.push(record(i, { id }, valid(i, id)))
      expected.set(id, valid(i, id))
    }
  }
  return { records, expected }
}

async function tableDiff (table: string, expected: Map<string, StructuredData>): Promise<string[]> {
  const items = await scanAll(db.client, table)
  const diffs: string[] = []
  for (const [id, want] of expected) {
    const item = items.get(id)
    const d = item === undefined ? 'missing' : valueDiff(unmarshall(item, { wrapNumbers: true }), want)
    if (d !== undefined) diffs.push(`${id}: ${d}`)
  }
  for (const id of items.keys()) if (!expected.has(id)) diffs.push(`${id}: not expected in the table`)
  return diffs
}

t.test('100 records with a dead letter: every valid item lands, exactly the culprits are dead-lettered with their rule', async (t) => {
  const table = await tableWithIndex()
  const { records, expected } = scenario()
  const dead: Array<{ record: OpenCDCRecord, error: OpenCDCError }> = []
  const err = await run(records, createDestination({ table, endpoint: db.endpoint, deadLetter: (record, error) => { dead.push({ record, error: error as OpenCDCError }) } }))
  t.equal(err, undefined)
  t.same(await tableDiff(table, expected), [], `the table holds the ${expected.size} expected items exactly`)
  const culprits = [...Object.keys(PRE_CHECKED), ...Object.keys(SERVER_ONLY)].map(Number).sort((a, b) => a - b)
  t.same(dead.map((d) => d.record.position.toString()).sort(), culprits.map((i) => `p${i}`).sort(), 'exactly the culprits are dead-lettered')
  for (const { record, error } of dead) {
    const i = Number(record.position.toString().slice(1))
    const pre = PRE_CHECKED[i]
    if (pre !== undefined) { t.equal(error.code, pre[2], `p${i}: ${error.message.slice(0, 160)}`); continue }
    const server = SERVER_ONLY[i]
    if (server === undefined) { t.fail(`p${i} is valid but was dead-lettered: ${error.message.slice(0, 160)}`); continue }
    const rule = server[1]
    t.equal(error.code, 'ERR_DDB_ITEM_REJECTED', `p${i} is an item rejection`)
    t.match(error.message, new RegExp(`^record #${i} position "p${i}" .*DynamoDB rejected the put of key \\{id="k${i}"\\}: `), `p${i}: names position and key`)
    t.match(error.message, rule, `p${i}: names DynamoDB's rule`)
    t.same(error.details?.key, `{id="k${i}"}`)
    const cause = error.cause as Error & { $metadata?: { httpStatusCode?: number } }
    t.equal(cause.name, 'ValidationException', 'the AWS error is the cause')
    t.equal(cause.$metadata?.httpStatusCode, 400)
    t.notMatch(inspect(error, { showHidden: true, depth: 12 }), /AWS4-HMAC-SHA256|Credential=/, 'the cause holds no signed request')
  }
  t.match(dead.find((d) => d.record.position.toString() === 'p44')?.error.message, /\$\.n cannot be stored in DynamoDB: number 1e\+200 is out of DynamoDB's range/)
})

t.test('without a dead letter the stream fails with the culprit named, and every acknowledged record is in the table', async (t) => {
  const table = await tableWithIndex()
  const records = Array.from({ length: 100 }, (_, i) => record(i, { id: `k${i}` }, i === 47 ? { ...valid(i), g: '' } : valid(i)))
  const acked: OpenCDCRecord[] = []
  const err = await run(records, createDestination({ table, endpoint: db.endpoint, onWritten: (rs) => { acked.push(...rs) } }))
  t.ok(isOpenCDCError(err, 'ERR_DDB_ITEM_REJECTED'), String(err))
  t.match(err?.message, /1 record\(s\) not written .*record #47 position "p47" key \{id="k47"\}: DynamoDB rejected the put of key \{id="k47"\}: .*empty string value/)
  t.equal(((err as Error).cause as Error).name, 'OpenCDCError')
  t.equal((((err as Error).cause as Error).cause as Error).name, 'ValidationException')
  const ackedIds = new Set(acked.map((r) => (r.key as StructuredData).id as string))
  t.notOk(ackedIds.has('k47'))
  for (let i = 0; i < 47; i++) t.ok(ackedIds.has(`k${i}`), `k${i} (before the culprit) is acknowledged`)
  const items = await scanAll(db.client, table)
  const want = new Map(acked.map((r) => [(r.key as StructuredData).id as string, valid(Number(r.position.toString().slice(1)))]))
  t.same(await tableDiff(table, want), [], `the ${acked.length} acknowledged records are exactly what the table holds`)
  t.notOk(items.has('k47'))
})

t.test('a whole-batch error about the table, not an item, fails as before without splitting the batch', async (t) => {
  const table = await db.createTable()
  const client = createDynamoDBClient({ endpoint: db.endpoint })
  t.teardown(() => { client.destroy() })
  let batchCalls = 0
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'BatchWriteItemCommand') batchCalls++
    return await next(args)
  }, { step: 'initialize', name: 'countBatchWrites' })
  const dest = createDestination({ table, client, highWaterMark: 25 })
  await new Promise<void>((resolve, reject) => dest.write(record(0, { id: 'k0' }, { v: 0 }), (e) => { e == null ? resolve() : reject(e) }))
  await db.client.send(new DeleteTableCommand({ TableName: table }))
  batchCalls = 0
  // Corked, the 25 records reach the destination as one round, so one BatchWriteItem of 25.
  dest.cork()
  for (let i = 1; i <= 25; i++) dest.write(record(i, { id: `k${i}` }, { v: i }))
  dest.end()
  const err = await finished(dest).then(() => undefined, (e: Error) => e)
  t.ok(isOpenCDCError(err, 'ERR_DDB_WRITE_FAILED'), String(err))
  t.match(err?.message, /^25 record\(s\) not written/)
  t.equal(((err as Error).cause as Error).name, 'ResourceNotFoundException')
  t.equal(batchCalls, 1, 'one BatchWriteItem, no bisection')
})

t.test('DynamoDB Local refuses the whole batch for one bad index key (the premise of the tests above)', async (t) => {
  const table = await tableWithIndex()
  const err = await db.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { id: { S: 'a' }, g: { S: '' } } } }, { PutRequest: { Item: { id: { S: 'b' }, g: { S: 'ok' } } } }] } })).then(() => undefined, (e: Error) => e)
  t.equal(err?.name, 'ValidationException')
  t.equal((await scanAll(db.client, table)).size, 0, 'nothing of the batch was written')
})
