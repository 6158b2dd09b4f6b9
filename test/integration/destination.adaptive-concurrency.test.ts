import t from 'tap'
import { useDynamo } from '../helpers/dynamo.js'
import { createDestination } from '../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord } from '../../src/record.js'
import { run, scanAll } from './destination.fixtures.js'

// Its own DynamoDB Local: concurrent writes to a stream-enabled table leave the instance slow (NOTES §5).
const db = await useDynamo(t)

const records = (n: number): OpenCDCRecord[] => Array.from({ length: n }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i, pad: 'x'.repeat(200) } }))

t.test('on a stream-enabled DynamoDB Local table it settles at low concurrency and writes everything', async (t) => {
  // A cold JVM speeds up with every request, which would make any probe look like a gain: warm it first.
  const warm = await db.createTable()
  t.equal(await run(records(5000), createDestination({ table: warm, endpoint: db.endpoint, adaptiveConcurrency: false, maxInFlight: 2 })), undefined)
  const table = await db.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const dest = createDestination({ table, endpoint: db.endpoint, maxInFlight: 16 })
  const started = Date.now()
  // Long enough (≈ 30 measuring windows of 250 ms) that a controller blind to the collapse would climb to 16.
  t.equal(await run(records(8000), dest), undefined)
  t.comment(`8000 items in ${Date.now() - started} ms, ${dest.stats.requests} requests, peak ${dest.stats.peakInFlight} in flight, ending at ${dest.stats.concurrency}`)
  t.equal((await scanAll(db.client, table)).size, 8000)
  t.ok(dest.stats.concurrency <= 8, `ended at ${dest.stats.concurrency} of 16 allowed requests in flight`)
  t.ok(dest.stats.peakInFlight <= 10, `never went past ${dest.stats.peakInFlight} in flight`)
})
