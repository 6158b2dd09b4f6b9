import t from 'tap'
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createStreamHandler } from '../../../src/lambda/handler.js'
import type { LambdaStreamRecord } from '../../../src/lambda/event.js'
import { useDynamo, type TestDynamo } from '../../helpers/dynamo.js'
import { useFaultProxy } from '../../helpers/fault-proxy.js'
import { asLambdaRecord, lambdaBatches, readStream, streamArnOf } from '../../helpers/lambda-events.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, PK, type Item } from '../../helpers/universe.js'

// No Lambda runtime here: the test plays the event source mapping. It reads the source table's real stream
// with GetRecords, wraps each record as Lambda's JSON delivers it, and invokes the handler in batches of 100.

const items = universe({ key: 'S', count: 60 })

async function removeItems (client: DynamoDBClient, table: string, keys: Item[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) } }))
  }
}

/** A source table mutated by inserts, modifies and removes while its stream is read; returns its records as Lambda would deliver them. */
async function mutatedSource (ddb: TestDynamo): Promise<{ source: string, records: LambdaStreamRecord[] }> {
  const source = await createUniverseTable(ddb, 'S', { stream: 'NEW_AND_OLD_IMAGES' })
  const arn = await streamArnOf(ddb.client, source)
  const modified = items.filter((_, i) => i % 3 === 0).map((it, i) => ({ ...(items[(i * 7 + 1) % items.length] as Item), [PK]: it[PK] as Item[string], rev: { N: String(i + 2) } }))
  const removed = items.filter((_, i) => i % 5 === 1).map((it) => ({ [PK]: it[PK] as Item[string] }))
  const expected = items.length + modified.length + removed.length
  const reading = readStream(ddb.endpoint, ddb.streams, arn, expected)
  await putItems(ddb.client, source, items)
  await putItems(ddb.client, source, modified)
  await removeItems(ddb.client, source, removed)
  const raw = await reading
  const names = new Set(raw.map((r) => r.eventName))
  if (raw.length !== expected || names.size !== 3) throw new Error(`expected ${expected} INSERT/MODIFY/REMOVE records, read ${raw.length} (${[...names].join(',')})`)
  return { source, records: raw.map((r) => asLambdaRecord(r, arn)) }
}

/** Invokes the handler the way the mapping does: batches of 100; after a reported failure, again from the reported record. */
async function deliver (handler: ReturnType<typeof createStreamHandler>, records: LambdaStreamRecord[], context?: { getRemainingTimeInMillis: () => number }): Promise<string[]> {
  const reported: string[] = []
  let from = 0
  while (from < records.length) {
    const batch = records.slice(from, from + 100)
    const res = await handler({ Records: batch }, context)
    const failed = res.batchItemFailures[0]?.itemIdentifier
    if (failed === undefined) { from += batch.length; continue }
    reported.push(failed)
    from += batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed)
  }
  return reported
}

t.test('real stream records, delivered as Lambda does in batches of 100, make the destination equal the source', async (t) => {
  const ddb = await useDynamo(t)
  const { source, records } = await mutatedSource(ddb)
  const dest = await createUniverseTable(ddb, 'S')
  const handler = createStreamHandler({ destination: { table: dest, endpoint: ddb.endpoint } })
  t.teardown(() => { handler.close() })
  t.ok(records.length > 100, `${records.length} records, several batches`)
  t.ok(records.every((r) => typeof r.dynamodb?.ApproximateCreationDateTime === 'number' && (r.dynamodb.ApproximateCreationDateTime) < 1e11), 'timestamps in epoch seconds')
  for (const batch of lambdaBatches(records, 100)) t.same(await handler(batch), { batchItemFailures: [] })
  t.same(diffItems(await scanAll(ddb.client, source), await scanAll(ddb.client, dest), PK), [])
})

t.test('a record the destination rejects is named exactly; re-invoking from it converges', async (t) => {
  const ddb = await useDynamo(t)
  const { source, records } = await mutatedSource(ddb)
  const dest = await createUniverseTable(ddb, 'S')
  // Every request holding the 121st record (in the second batch) is refused, as DynamoDB refuses a bad item.
  const culprit = records[120] as LambdaStreamRecord
  const culpritKey = JSON.stringify(culprit.dynamodb?.Keys?.[PK])
  const proxy = await useFaultProxy(t, ddb.endpoint, [{
    kind: 'error', status: 400, type: 'com.amazon.coral.validate#ValidationException', message: 'injected rejection', operations: ['BatchWriteItem'],
    match: (req) => ((req.body.RequestItems as Record<string, Array<{ PutRequest?: { Item: Item }, DeleteRequest?: { Key: Item } }>>)[dest] ?? []).some((w) => JSON.stringify(w.PutRequest?.Item[PK] ?? w.DeleteRequest?.Key[PK]) === culpritKey)
  }])
  const handler = createStreamHandler({ destination: { table: dest, endpoint: proxy.endpoint, maxRetries: 0 } })
  t.teardown(() => { handler.close() })
  const first = await handler({ Records: records.slice(100, 200) })
  t.same(first, { batchItemFailures: [{ itemIdentifier: culprit.dynamodb?.SequenceNumber }] }, 'the culprit, not the first record of its round')
  t.ok(proxy.totalInjected() >= 2, `the rejection was injected (${proxy.totalInjected()} times: the batch, then its halves down to the culprit)`)
  proxy.rules = [] // the cause is fixed (in real life: the item, the index, the permission) before Lambda's retry
  // The mapping resumes from the reported record: the culprit's batch again, then the rest, then (as a full replay) everything.
  t.same(await deliver(handler, records.slice(120)), [])
  t.same(await deliver(handler, records), [])
  t.same(diffItems(await scanAll(ddb.client, source), await scanAll(ddb.client, dest), PK), [])
})

t.test('near the deadline the handler stops taking records, reports the rest, and the retry converges', async (t) => {
  const ddb = await useDynamo(t)
  const { source, records } = await mutatedSource(ddb)
  const dest = await createUniverseTable(ddb, 'S')
  const handler = createStreamHandler({ destination: { table: dest, endpoint: ddb.endpoint }, deadlineMarginMs: 5000 })
  t.teardown(() => { handler.close() })
  let checks = 0
  const nearlyOut = { getRemainingTimeInMillis: () => (++checks <= 30 ? 300_000 : 4000) }
  const res = await handler({ Records: records.slice(0, 100) }, nearlyOut)
  t.same(res, { batchItemFailures: [{ itemIdentifier: records[30]?.dynamodb?.SequenceNumber }] })
  const written = await scanAll(ddb.client, dest)
  t.ok(written.length > 0 && written.length <= 30, `only records taken before the deadline were written (${written.length} items)`)
  const roomy = { getRemainingTimeInMillis: () => 300_000 }
  t.same(await deliver(handler, records.slice(30), roomy), [])
  t.same(diffItems(await scanAll(ddb.client, source), await scanAll(ddb.client, dest), PK), [])
})
