import t from 'tap'
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createChangeStream, type ChangeStream } from '../../../../src/readable/cdc/change-stream.js'
import { decodeCdcPosition } from '../../../../src/readable/cdc/position.js'
import { compareSequenceNumbers } from '../../../../src/readable/cdc/position.js'
import { isPreciseNumber, type OpenCDCRecord } from '../../../../src/model/record.js'

async function take (stream: ChangeStream, n: number): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  if (n === 0) return out
  for await (const record of stream) {
    out.push(record as OpenCDCRecord)
    if (out.length === n) break
  }
  return out
}

t.test('create, update and delete come out in order with before/after images and metadata', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100 })
  await stream.whenStarted()
  t.equal(stream.stream?.viewType, 'NEW_AND_OLD_IMAGES')
  const before = Date.now()
  await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'k1' }, n: { N: '1' }, big: { N: '12345678901234567890123456789012345678' }, b: { B: new Uint8Array([0, 255]) }, ss: { SS: ['x', 'y'] }, nul: { NULL: true } } }))
  await ddb.client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: 'k1' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } }))
  await ddb.client.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'k1' } } }))
  const records = await take(stream, 3)
  stream.destroy()
  t.same(records.map((r) => r.operation), ['create', 'update', 'delete'])
  t.same(records.map((r) => r.key), [{ id: 'k1' }, { id: 'k1' }, { id: 'k1' }])
  const [created, updated, deleted] = records as [OpenCDCRecord, OpenCDCRecord, OpenCDCRecord]
  t.equal(created.payload.before, null)
  const after = created.payload.after as Record<string, unknown>
  t.equal(after.n, 1)
  t.ok(isPreciseNumber(after.big))
  t.equal((after.big as { value: string }).value, '12345678901234567890123456789012345678')
  t.same(after.b, new Uint8Array([0, 255]))
  t.same(after.ss, new Set(['x', 'y']))
  t.equal(after.nul, null)
  t.match(updated.payload.before, { id: 'k1', n: 1 })
  t.match(updated.payload.after, { id: 'k1', n: 2 })
  t.match(deleted.payload.before, { id: 'k1', n: 2 })
  t.equal(deleted.payload.after, null)
  for (const r of records) {
    t.equal(r.metadata['opencdc.collection'], table)
    const readAt = Number(BigInt(r.metadata['opencdc.readAt'] as string) / 1_000_000n)
    t.ok(readAt >= before && readAt <= Date.now(), 'readAt is when the record was read, in unix ns')
    // DynamoDB Local truncates ApproximateCreationDateTime to the minute.
    const createdAt = Number(BigInt(r.metadata['opencdc.createdAt'] as string) / 1_000_000n)
    t.ok(createdAt > before - 61_000 && createdAt <= Date.now(), 'createdAt is the change time, in unix ns')
    t.type(r.metadata['dynamodb.eventId'], 'string')
    t.equal(r.metadata['dynamodb.ttlDelete'], undefined)
    const pos = decodeCdcPosition(r.position)
    t.equal(pos.sequenceNumber, r.metadata['dynamodb.sequenceNumber'])
    t.equal(pos.shardId, r.metadata['dynamodb.shardId'])
  }
  const seqs = records.map((r) => decodeCdcPosition(r.position).sequenceNumber)
  t.ok(compareSequenceNumbers(seqs[0] as string, seqs[1] as string) < 0 && compareSequenceNumbers(seqs[1] as string, seqs[2] as string) < 0, 'sequence numbers increase')
})

t.test('startFrom latest reads only changes made after the start', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  for (let i = 0; i < 5; i++) await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: `old${i}` } } }))
  const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100 })
  await stream.whenStarted()
  for (let i = 0; i < 3; i++) await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: `new${i}` } } }))
  const records = await take(stream, 3)
  stream.destroy()
  t.same(records.map((r) => (r.key as { id: string }).id), ['new0', 'new1', 'new2'])
})

t.test('startFrom trim_horizon reads everything the stream retains', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  for (let i = 0; i < 3; i++) await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: `old${i}` } } }))
  const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100, startFrom: 'trim_horizon' })
  await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'new0' } } }))
  const records = await take(stream, 4)
  stream.destroy()
  t.same(records.map((r) => (r.key as { id: string }).id), ['old0', 'old1', 'old2', 'new0'])
})
