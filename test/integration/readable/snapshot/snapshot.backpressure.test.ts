import t from 'tap'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createDynamoDBClient } from '../../../../src/aws/clients.js'
import { createSource } from '../../../../src/readable/source.js'
import { countScans, loadItems, sleepMs } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

t.test('a stalled consumer holds at most highWaterMark plus one page per Scan in flight, and no new Scan starts', async (t) => {
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

  // Let the Scans already in flight land (slow on a loaded machine) before taking the reading.
  let last = -1
  for (let waited = 0; waited < 15_000 && (source.readableLength !== last); waited += 500) {
    last = source.readableLength
    await sleepMs(500)
  }
  const scansWhenStalled = scans.count
  const buffered = source.readableLength
  t.ok(buffered <= highWaterMark + concurrency * page, `buffered ${buffered} records ≤ ${highWaterMark} + ${concurrency} × ${page}`)
  t.ok(scansWhenStalled < 10_000 / page, `only ${scansWhenStalled} Scans so far, not the whole table`)
  await sleepMs(1_500)
  t.equal(scans.count, scansWhenStalled, 'no Scan started while the consumer stalled')
  t.equal(source.readableLength, buffered, 'the buffer did not grow')

  for (;;) {
    const next = await iterator.next()
    if (next.done === true) break
    read++
  }
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
  let last = -1
  for (let waited = 0; waited < 15_000 && (source.readableLength !== last); waited += 500) {
    last = source.readableLength
    await sleepMs(500)
  }
  t.equal(scans.count, 2, 'the read-ahead Scan went out without a read; no third one (the buffer is full)')
  t.equal(source.readableLength, 2 * page, 'the buffer holds highWaterMark plus the one page in flight')
  let read = 0
  for await (const record of source) if (record !== undefined) read++
  t.equal(read, 1_000, 'every item still arrives, once')
})

t.test('without a highWaterMark the buffer grows to one page per Scan plus one once a full page shows its size', async (t) => {
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
  const page = 300
  const source = createSource({ table, client, snapshotSegments: 4, snapshotConcurrency: 4, snapshotPageSize: page, snapshotOnly: true })
  const iterator = source[Symbol.asyncIterator]()
  await iterator.next()
  t.equal(source.readableHighWaterMark, (4 + 1) * page, 'five pages of 300 records (the size-less start was 1000)')
  let read = 1
  for (;;) {
    const next = await iterator.next()
    if (next.done === true) break
    read++
  }
  t.equal(read, 3_000, 'every item arrives')
})
