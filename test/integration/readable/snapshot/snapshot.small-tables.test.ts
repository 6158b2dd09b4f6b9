import t from 'tap'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createSource } from '../../../../src/readable/source.js'
import { decodeSnapshotPosition } from '../../../../src/readable/snapshot/position.js'
import type { SnapshotProgress } from '../../../../src/readable/source.js'
import { collect, loadItems, richItem } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

t.test('an empty table ends the snapshot with no records and every segment done', async (t) => {
  const table = await dynamo.createTable()
  const source = createSource({ table, 'aws.url': dynamo.endpoint, 'snapshot.segments': '3', 'snapshot.only': 'true' })
  const progress: SnapshotProgress[] = []
  source.on('progress', (p: SnapshotProgress) => progress.push(p))
  const records = await collect(source)
  t.same(records, [])
  t.match(progress.at(-1), { phase: 'snapshot', items: 0, segmentsDone: 3, totalSegments: 3 })
})

t.test('a table with one item yields one snapshot record with key, payload and metadata', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, [richItem(7)])
  const before = Date.now()
  const records = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotOnly: true }))
  t.equal(records.length, 1)
  const [record] = records
  t.equal(record?.operation, 'snapshot')
  t.same(record?.key, { id: 'item-000007' })
  t.equal(record?.payload.before, null)
  t.match(record?.payload.after, { id: 'item-000007', n: 7, t: false, nil: null })
  t.equal(record?.metadata['opencdc.collection'], table)
  const readAt = Number(BigInt(record?.metadata['opencdc.readAt'] ?? '0') / 1_000_000n)
  t.ok(readAt >= before && readAt <= Date.now(), 'readAt is the read time in unix nanoseconds')
  t.same(decodeSnapshotPosition(record?.position as Buffer), { kind: 'snapshot', segment: 0, totalSegments: 1, key: { id: { S: 'item-000007' } } })
})
