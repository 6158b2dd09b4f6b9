import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord } from '../../../src/model/record.js'
import { run, scanAll } from './destination.fixtures.js'

const db = await useDynamo(t)

t.test('1,000 records at sdk.rate.perSecond 200 take about 5 s (between 4 and 8)', async (t) => {
  const table = await db.createTable()
  const records = Array.from({ length: 1000 }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i } }))
  const dest = createDestination({ table, 'aws.url': db.endpoint, 'sdk.rate.perSecond': '200' })
  const started = Date.now()
  t.equal(await run(records, dest), undefined)
  const seconds = (Date.now() - started) / 1000
  t.ok(seconds >= 4 && seconds <= 8, `took ${seconds.toFixed(2)} s`)
  t.equal((await scanAll(db.client, table)).size, 1000)
})

t.test('a burst smaller than a batch splits requests instead of hanging', async (t) => {
  const table = await db.createTable()
  const records = Array.from({ length: 100 }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i } }))
  const dest = createDestination({ table, endpoint: db.endpoint, ratePerSecond: 200, rateBurst: 5 })
  const started = Date.now()
  t.equal(await run(records, dest), undefined)
  const seconds = (Date.now() - started) / 1000
  t.ok(seconds >= 0.3 && seconds <= 3, `took ${seconds.toFixed(2)} s`)
  t.ok(dest.stats.requests >= 20, `${dest.stats.requests} requests of at most 5 items`)
  t.equal((await scanAll(db.client, table)).size, 100)
})
