import t from 'tap'
import { createSource, type SnapshotProgress } from '../../../../src/index.js'
import { useDynamo } from '../../../helpers/dynamo.js'
import { collect, loadItems } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

t.test('the final progress event (every segment done) fires once, and last', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 120 }, (_, i) => ({ id: { S: `k${i}` } })))
  const source = createSource({ table, endpoint: dynamo.endpoint, snapshotOnly: true, snapshotSegments: 3, snapshotPageSize: 25 })
  const events: SnapshotProgress[] = []
  source.on('progress', (p: SnapshotProgress) => { events.push(p) })
  const records = await collect(source)
  t.equal(records.length, 120)
  const final = events.filter((p) => p.segmentsDone === p.totalSegments)
  t.equal(final.length, 1, `one final event among ${events.length}`)
  t.same(events.at(-1), { phase: 'snapshot', items: 120, segmentsDone: 3, totalSegments: 3, estimatedItems: events.at(-1)?.estimatedItems })
})
