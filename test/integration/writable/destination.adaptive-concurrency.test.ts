import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { startFaultProxy } from '../../helpers/fault-proxy.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { run, scanAll } from './destination.fixtures.js'

// Its own DynamoDB Local: concurrent writes to a stream-enabled table can leave the instance slow (NOTES §5).
const db = await useDynamo(t)

const records = (n: number): OpenCDCRecord[] => Array.from({ length: n }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i, pad: 'x'.repeat(200) } }))

// A cold JVM speeds up with every request, which would make any probe look like a gain: warm it first.
const warm = await db.createTable()
t.equal(await run(records(5000), createDestination({ table: warm, endpoint: db.endpoint, adaptiveConcurrency: false, concurrency: 2 })), undefined, 'warm-up load')

t.test('when more than two requests in flight make every request slow (a collapse), it settles at two or three and writes everything', async (t) => {
  // Up to two in flight every BatchWriteItem answer takes 20 ms more, so concurrency pays (the probes climb);
  // beyond two it takes 300 ms more: more requests, far less throughput.
  let collapsed = 0
  const proxy = await startFaultProxy({
    target: db.endpoint,
    rules: [
      { kind: 'slow', operations: ['BatchWriteItem'], delayMs: 300, match: (req) => req.inFlight > 2 && ++collapsed > 0 },
      { kind: 'slow', operations: ['BatchWriteItem'], delayMs: 20 }
    ]
  })
  t.teardown(() => proxy.close())
  const table = await db.createTable()
  const dest = createDestination({ table, endpoint: proxy.endpoint, concurrency: 16 })
  t.equal(await run(records(6000), dest), undefined)
  t.comment(`${dest.stats.requests} requests, peak ${dest.stats.peakInFlight} in flight, ending at ${dest.stats.concurrency}, ${collapsed} answered slowly`)
  t.equal((await scanAll(db.client, table)).size, 6000)
  t.ok(collapsed > 0, 'it did probe past two in flight')
  t.ok(dest.stats.concurrency <= 3, `ended at ${dest.stats.concurrency} of 16 allowed requests in flight`)
  t.ok(dest.stats.peakInFlight <= 4, `never went past ${dest.stats.peakInFlight} in flight: the probe at 4 was the last`)
})

t.test('on a stream-enabled DynamoDB Local table it writes everything with adaptive concurrency', async (t) => {
  const table = await db.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const dest = createDestination({ table, endpoint: db.endpoint, concurrency: 16 })
  const started = Date.now()
  t.equal(await run(records(8000), dest), undefined)
  // How far it climbs depends on whether this instance collapses (NOTES §5); the collapse logic itself is the test above.
  t.comment(`8000 items in ${Date.now() - started} ms, ${dest.stats.requests} requests, peak ${dest.stats.peakInFlight} in flight, ending at ${dest.stats.concurrency}`)
  t.equal((await scanAll(db.client, table)).size, 8000)
  t.ok(dest.stats.peakInFlight >= 2, `it probed past the one request it starts with (peak ${dest.stats.peakInFlight})`)
  t.ok(dest.stats.peakInFlight <= 16 && dest.stats.concurrency >= 1 && dest.stats.concurrency <= 16, `within 1…16 in flight (peak ${dest.stats.peakInFlight}, ending at ${dest.stats.concurrency})`)
  t.ok(dest.stats.requests >= 320, `8000 items took at least 320 requests of 25 (${dest.stats.requests})`)
})
