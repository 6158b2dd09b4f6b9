import t from 'tap'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createSource } from '../../../../src/readable/source.js'
import { collect, loadItems } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

t.test('a read rate of 200 items/s reads 800 items in roughly 2 to 7 seconds', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 800 }, (_, i) => ({ id: { S: `k${i}` } })))
  const started = Date.now()
  const records = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 2, readRatePerSecond: 200, snapshotOnly: true }))
  const seconds = (Date.now() - started) / 1000
  t.equal(records.length, 800)
  // At least 2 s: one second of budget up front plus one page (200) of debt, then 400 items at 200/s.
  t.ok(seconds >= 2 && seconds <= 7, `took ${seconds.toFixed(2)} s`)
})

t.test('a read capacity limit of 100 RCU/s paces the Scans by the capacity they consumed', async (t) => {
  const table = await dynamo.createTable()
  // 1000 items of 3 KB: about 370 RCU for an eventually consistent Scan.
  await loadItems(dynamo.client, table, Array.from({ length: 1_000 }, (_, i) => ({ id: { S: `k${i}` }, s: { S: 'x'.repeat(3_000) } })))
  const started = Date.now()
  const records = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 1, snapshotPageSize: 100, readCapacityPerSecond: 100, snapshotOnly: true }))
  const seconds = (Date.now() - started) / 1000
  t.equal(records.length, 1_000)
  t.ok(seconds >= 1.5 && seconds <= 6, `took ${seconds.toFixed(2)} s`)
})
