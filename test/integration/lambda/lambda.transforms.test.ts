import t from 'tap'
import { Transform, Writable } from 'node:stream'
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createStreamHandler } from '../../../src/lambda/handler.js'
import type { LambdaStreamRecord } from '../../../src/lambda/event.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'
import { format } from '../../../src/transforms/format.js'
import { useDynamo, type TestDynamo } from '../../helpers/dynamo.js'
import { asLambdaRecord, lambdaBatches, readStream, streamArnOf } from '../../helpers/lambda-events.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, PK, type Item } from '../../helpers/universe.js'

const GRP = 'opencdc_grp'
const base: Item[] = universe({ key: 'S', count: 60, proto: false }).map((it, i) => ({ ...it, [GRP]: { S: i % 2 === 0 ? 'in' : 'out' } }))
const flip = (v: Item[string] | undefined): Item[string] => ({ S: v?.S === 'in' ? 'out' : 'in' })

async function removeItems (client: DynamoDBClient, table: string, keys: Item[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) } }))
  }
}

/** Inserts (half in the filter), updates that move items in and out of it, removes of both kinds; the real stream's records as Lambda delivers them. */
async function movingSource (ddb: TestDynamo): Promise<{ source: string, records: LambdaStreamRecord[] }> {
  const source = await createUniverseTable(ddb, 'S', { stream: 'NEW_AND_OLD_IMAGES' })
  const arn = await streamArnOf(ddb.client, source)
  const moved = base.filter((_, i) => i % 3 === 0).map((it, i) => ({ ...it, [GRP]: flip(it[GRP]), rev: { N: String(i + 2) } }))
  const stayed = base.filter((_, i) => i % 3 === 1).map((it) => ({ ...it, rev: { N: '99' } }))
  const removed = base.filter((_, i) => i % 5 === 2).map((it) => ({ [PK]: it[PK] as Item[string] }))
  const expected = base.length + moved.length + stayed.length + removed.length
  const reading = readStream(ddb.endpoint, ddb.streams, arn, expected)
  await putItems(ddb.client, source, base)
  await putItems(ddb.client, source, moved)
  await putItems(ddb.client, source, stayed)
  await removeItems(ddb.client, source, removed)
  const raw = await reading
  if (raw.length !== expected) throw new Error(`expected ${expected} records, read ${raw.length}`)
  return { source, records: raw.map((r) => asLambdaRecord(r, arn)) }
}

/** DynamoDB's own answer to the filter (the oracle): Scan with the same FilterExpression. */
const IN_SCAN = { FilterExpression: '#g = :in', ExpressionAttributeNames: { '#g': GRP }, ExpressionAttributeValues: { ':in': { S: 'in' } } }

const FILTER = { filter: '#g = :in', expressionAttributeNames: { '#g': GRP }, expressionAttributeValues: { ':in': { S: 'in' } } }

t.test('a filter and a Transform stage between conversion and a real destination: it ends equal to the filtered source (moves in → create, out → delete)', async (t) => {
  const ddb = await useDynamo(t)
  const { source, records } = await movingSource(ddb)
  const dest = await createUniverseTable(ddb, 'S')
  const seen: string[] = []
  // A user's pass-through Transform, kept across invocations: it sees only what the filter let through.
  const watch = new Transform({ objectMode: true, transform (r: OpenCDCRecord, _e, cb) { seen.push(r.operation); cb(null, r) } })
  const handler = createStreamHandler({ destination: { table: dest, endpoint: ddb.endpoint }, transforms: [watch], ...FILTER })
  t.teardown(() => { handler.close() })
  for (const batch of lambdaBatches(records, 100)) t.same(await handler(batch), { batchItemFailures: [] })
  const expected = await scanAll(ddb.client, source, IN_SCAN)
  t.ok(expected.length > 0 && expected.length < (await scanAll(ddb.client, source)).length, `${expected.length} items in the filter, some out`)
  t.same(diffItems(expected, await scanAll(ddb.client, dest), PK), [], 'destination = the source filtered by DynamoDB\'s Scan, types exact')
  t.ok(seen.includes('create') && seen.includes('update') && seen.includes('delete'), `moves in became creates, moves out deletes (${seen.length} records through the Transform)`)
  t.ok(seen.length < records.length, 'the Transform never saw what the filter dropped')
})

t.test('batchItemFailures under transforms: the first failing record is named; records dropped by the filter or a transform count as done', async (t) => {
  const ddb = await useDynamo(t)
  const { records } = await movingSource(ddb)
  const batch = records.slice(0, 40) // the inserts: even ones in the filter, odd ones out
  const dest = await createUniverseTable(ddb, 'S')
  const culprit = batch.findIndex((r, i) => i > 5 && r.dynamodb?.NewImage?.[GRP]?.S === 'in')
  const badKey = JSON.stringify(batch[culprit]?.dynamodb?.Keys)
  const failing = new Transform({
    objectMode: true,
    transform (r: OpenCDCRecord, _e, cb) { cb(JSON.stringify(batch.find((b) => b.dynamodb?.SequenceNumber === r.metadata['dynamodb.sequenceNumber'])?.dynamodb?.Keys) === badKey ? new Error('injected transform failure') : null, r) }
  })
  const handler = createStreamHandler({ destination: { table: dest, endpoint: ddb.endpoint }, transforms: [failing], ...FILTER })
  t.teardown(() => { handler.close() })
  t.same(await handler({ Records: batch }), { batchItemFailures: [{ itemIdentifier: batch[culprit]?.dynamodb?.SequenceNumber }] }, 'the record whose transform failed')
  const written = await scanAll(ddb.client, dest)
  t.same(written.map((i) => i[PK]?.S).sort(), batch.slice(0, culprit).filter((r) => r.dynamodb?.NewImage?.[GRP]?.S === 'in').map((r) => r.dynamodb?.Keys?.[PK]?.S).sort(), 'records before it that pass the filter are written, durable before the answer')

  // A batch whose records all fall out of the filter, or are dropped by a function step, reports nothing.
  const outs = batch.filter((r) => r.dynamodb?.NewImage?.[GRP]?.S === 'out')
  const h2 = createStreamHandler({ destination: { table: dest, endpoint: ddb.endpoint }, ...FILTER })
  t.teardown(() => { h2.close() })
  t.same(await h2({ Records: outs }), { batchItemFailures: [] }, 'dropped by the filter = done')
  const h3 = createStreamHandler({ destination: async () => { throw new Error('nothing should reach the sink') }, transforms: [() => null] })
  t.same(await h3({ Records: batch }), { batchItemFailures: [] }, 'dropped by a transform = done')
})

t.test('format() as a Transform stage feeds a plain Writable: one JSON line per record in the filter, the sink\'s order', async (t) => {
  const ddb = await useDynamo(t)
  const { records } = await movingSource(ddb)
  const lines: string[] = []
  const sink = new Writable({ write (chunk: Buffer | string, _e, cb) { lines.push(String(chunk)); cb() } })
  const handler = createStreamHandler({ destination: sink, transforms: [format('opencdc/json')], ...FILTER })
  for (const batch of lambdaBatches(records, 100)) t.same(await handler(batch), { batchItemFailures: [] })
  const passing = records.filter((r) => r.dynamodb?.NewImage?.[GRP]?.S === 'in' || r.dynamodb?.OldImage?.[GRP]?.S === 'in')
  const parsed = lines.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { operation: string, metadata: Record<string, string> })
  t.same(parsed.map((p) => p.metadata['dynamodb.sequenceNumber']), passing.map((r) => r.dynamodb?.SequenceNumber), 'exactly the records whose old or new image is in the filter, in stream order')
})
