import t from 'tap'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createSource } from '../../../../src/readable/source.js'
import { decodeSnapshotPosition } from '../../../../src/readable/snapshot/position.js'
import type { StructuredData } from '../../../../src/model/record.js'
import { collect, loadItems } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

t.test('a hash+range table yields every item once with both key attributes in key and position', async (t) => {
  const table = await dynamo.createTable({ hash: ['pk', 'S'], range: ['sk', 'N'] })
  const items = Array.from({ length: 2_000 }, (_, i) => ({ pk: { S: `p${i % 200}` }, sk: { N: String(Math.floor(i / 200) * 1.5) }, v: { S: `v${i}` } }))
  await loadItems(dynamo.client, table, items)

  const records = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 4, snapshotPageSize: 37, snapshotOnly: true }))
  const keys = records.map((r) => `${String((r.key as StructuredData).pk)}/${String((r.key as StructuredData).sk)}`)
  t.equal(records.length, 2_000)
  t.equal(new Set(keys).size, 2_000, 'no item twice')
  t.same(new Set(keys), new Set(items.map((i) => `${i.pk.S}/${Number(i.sk.N)}`)), 'exactly the items of the table')
  const sample = records.find((r) => (r.payload.after as StructuredData).v === 'v1201')
  t.same(sample?.key, { pk: 'p1', sk: 9 }, 'key holds the hash and the range attribute, typed')
  t.same(decodeSnapshotPosition(sample?.position as Buffer).key, { pk: { S: 'p1' }, sk: { N: '9' } }, 'the position names both key attributes')
})
