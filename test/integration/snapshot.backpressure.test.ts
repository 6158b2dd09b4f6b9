import t from 'tap'
import { useDynamo } from '../helpers/dynamo.js'
import { createDynamoDBClient } from '../../src/aws/clients.js'
import { createSource } from '../../src/readable/source.js'
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
