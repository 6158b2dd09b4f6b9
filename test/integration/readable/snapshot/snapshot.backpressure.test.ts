import t from 'tap'
import type { Readable } from 'node:stream'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createDynamoDBClient } from '../../../../src/aws/clients.js'
import { createSource } from '../../../../src/readable/source.js'
import { countScans, loadItems, sleepMs } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

// Lets the Scans already in flight land (slow on a loaded machine) before a test takes its reading.
async function settle (source: Readable): Promise<void> {
  let last = -1
  for (let waited = 0; waited < 15_000 && (source.readableLength !== last); waited += 500) {
    last = source.readableLength
    await sleepMs(500)
  }
}

/** Reads the iterator to its end; how many records came. */
async function drain (iterator: AsyncIterator<unknown>): Promise<number> {
  let n = 0
  while ((await iterator.next()).done !== true) n++
  return n
}

t.test('a stalled consumer holds at most highWaterMark plus one page per Scan in flight and the page that sent the last one, and no new Scan starts', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 10_000 }, (_, i) => ({ id: { S: `k${i}` }, pad: { S: 'x'.repeat(200) } })))
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  const scans = countScans(client)
  const highWaterMark = 100
  const page = 200
  const concurrency = 4
  const source = createSource({ table, client, snapshotSegments: 8, snapshotConcurrency: concurrency, snapshotPageSize: page, highWaterMark, snapshotOnly: true })
  const iterator = source[Symbol.asyncIterator]()
  let read = 0
  for (; read < 10; read++) await iterator.next()

  await settle(source)
  const scansWhenStalled = scans.count
  const buffered = source.readableLength
  // The last Scan may go out as a page lands on a buffer not yet full: that page, then one per Scan in flight.
  t.ok(buffered <= highWaterMark + (concurrency + 1) * page, `buffered ${buffered} records ≤ ${highWaterMark} + ${concurrency + 1} × ${page}`)
  t.ok(scansWhenStalled < 10_000 / page, `only ${scansWhenStalled} Scans so far, not the whole table`)
  await sleepMs(1_500)
  t.equal(scans.count, scansWhenStalled, 'no Scan started while the consumer stalled')
  t.equal(source.readableLength, buffered, 'the buffer did not grow')

  read += await drain(iterator)
  t.equal(read, 10_000, 'after the stall every item still arrives')
})

t.test('the next Scan of a segment goes out as its page lands, when the page fits the buffer, before anyone reads', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 1_000 }, (_, i) => ({ id: { S: `k${i}` } })))
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  const scans = countScans(client)
  const page = 100
  // One segment, one Scan at a time, a buffer of exactly one page: the page fills it (push says stop).
  const source = createSource({ table, client, snapshotSegments: 1, snapshotConcurrency: 1, snapshotPageSize: page, highWaterMark: page, snapshotOnly: true })
  await new Promise((resolve) => source.once('readable', resolve))
  await settle(source)
  t.equal(scans.count, 2, 'the read-ahead Scan went out without a read; no third one (the buffer is full)')
  t.equal(source.readableLength, 2 * page, 'the buffer holds highWaterMark plus the one page in flight')
  let read = 0
  for await (const record of source) if (record !== undefined) read++
  t.equal(read, 1_000, 'every item still arrives, once')
})

t.test('a page landing on a buffer with any room sends its segment\'s next Scan before it is converted, even when it will not fit', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 1_000 }, (_, i) => ({ id: { S: `k${i}` } })))
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  const scans = countScans(client)
  // The second page is held back until the consumer has taken 10 records: it then lands on 10 free places.
  let open = (): void => {}
  const gate = new Promise<void>((resolve) => { open = resolve })
  let seen = 0
  client.middlewareStack.add((next, context) => async (args) => {
    const out = await next(args)
    if (context.commandName === 'ScanCommand' && ++seen === 2) await gate
    return out
  }, { step: 'initialize', name: 'holdSecondPage' })
  const page = 100
  const source = createSource({ table, client, snapshotSegments: 1, snapshotConcurrency: 1, snapshotPageSize: page, highWaterMark: page, snapshotOnly: true })
  const iterator = source[Symbol.asyncIterator]()
  for (let read = 0; read < 10; read++) await iterator.next()
  open()
  await settle(source)
  t.equal(scans.count, 3, 'the third Scan went out as the second page landed on 10 free places; no fourth (the buffer is full)')
  t.equal(source.readableLength, 3 * page - 10, 'three pages in, ten read')
  source.destroy()
})

t.test('without a highWaterMark a stalled consumer stops every Scan after one page per Scan plus two, whatever the table size', async (t) => {
  // 4 KB items: DynamoDB's 1 MB pages hold about 250, so the 4000 items are 16 pages in 4 segments.
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 4_000 }, (_, i) => ({ id: { S: `k${i}` }, pad: { S: 'x'.repeat(4_000) } })))
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  const scans = countScans(client)
  let page = 0
  client.middlewareStack.add((next, context) => async (args) => {
    const out = await next(args)
    const body = out.output as { Items?: unknown[], LastEvaluatedKey?: unknown }
    if (context.commandName === 'ScanCommand' && body.LastEvaluatedKey !== undefined) page = Math.max(page, body.Items?.length ?? 0)
    return out
  }, { step: 'initialize', name: 'pageSize' })
  const concurrency = 4
  const source = createSource({ table, client, snapshotSegments: 4, snapshotConcurrency: concurrency, snapshotOnly: true })
  const iterator = source[Symbol.asyncIterator]()
  let read = 0
  for (; read < 10; read++) await iterator.next()
  await settle(source)
  const scansWhenStalled = scans.count
  t.ok(page > 100 && page < 400, `full pages of about 250 records (${page})`)
  t.ok(source.readableHighWaterMark <= page + 16, `the buffer is one page (${source.readableHighWaterMark} records)`)
  t.ok(scansWhenStalled <= concurrency + 2, `${scansWhenStalled} Scans: at most ${concurrency} + 2 pages of the 16`)
  t.ok(source.readableLength + read <= (concurrency + 2) * page, `${source.readableLength} records buffered`)
  await sleepMs(1_500)
  t.equal(scans.count, scansWhenStalled, 'no Scan started while the consumer stalled')
  read += await drain(iterator)
  t.equal(read, 4_000, 'after the stall every item still arrives')
})

t.test('without a highWaterMark the buffer grows to one page once a full page shows its size', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 3_000 }, (_, i) => ({ id: { S: `k${i}` }, pad: { S: 'x'.repeat(200) } })))
  const client = createDynamoDBClient({ endpoint: dynamo.endpoint })
  t.teardown(() => client.destroy())
  // AWS refreshes TableSizeBytes about every six hours: a freshly filled table reports none, as here.
  client.middlewareStack.add((next, context) => async (args) => {
    const out = await next(args)
    if (context.commandName === 'DescribeTableCommand') delete (out.output as { Table?: { TableSizeBytes?: number } }).Table?.TableSizeBytes
    return out
  }, { step: 'initialize', name: 'hideTableSize' })
  const page = 1_500
  const source = createSource({ table, client, snapshotSegments: 1, snapshotConcurrency: 1, snapshotPageSize: page, snapshotOnly: true })
  const iterator = source[Symbol.asyncIterator]()
  await iterator.next()
  t.equal(source.readableHighWaterMark, page, 'one page of 1500 records (the size-less start was 1000)')
  let read = 1
  read += await drain(iterator)
  t.equal(read, 3_000, 'every item arrives')
})
