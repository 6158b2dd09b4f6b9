import t from 'tap'
import { useDynamo } from '../helpers/dynamo.js'
import { createSource } from '../../src/readable/source.js'
import { collect, loadItems } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

t.test('a read rate of 200 items/s reads 800 items in roughly 3 to 6 seconds', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 800 }, (_, i) => ({ id: { S: `k${i}` } })))
  const started = Date.now()
  const records = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 2, readRatePerSecond: 200, snapshotOnly: true }))
  const seconds = (Date.now() - started) / 1000
  t.equal(records.length, 800)
  // One second of budget up front, then 600 items at 200/s.
  t.ok(seconds >= 2.5 && seconds <= 6, `took ${seconds.toFixed(2)} s`)
})
