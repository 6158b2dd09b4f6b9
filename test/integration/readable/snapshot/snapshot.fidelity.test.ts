import t from 'tap'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createSource } from '../../../../src/readable/source.js'
import { decodeSnapshotPosition } from '../../../../src/readable/snapshot/position.js'
import { toAttributeMap } from '../../../../src/model/codec.js'
import type { StructuredData } from '../../../../src/model/record.js'
import { itemDiffs } from '../../../helpers/attribute-diff.js'
import { scanAll } from '../../../helpers/universe-db.js'
import { collect, loadItems, richItem } from './snapshot.fixtures.js'

const dynamo = await useDynamo(t)

t.test('10k items across 4 segments come out equal to the table: every key once, every attribute type bit-exact', async (t) => {
  const table = await dynamo.createTable()
  await loadItems(dynamo.client, table, Array.from({ length: 10_000 }, (_, i) => richItem(i)))
  const expected = new Map((await scanAll(dynamo.client, table)).map((item) => [item.id?.S as string, item]))
  t.equal(expected.size, 10_000)

  const records = await collect(createSource({ table, endpoint: dynamo.endpoint, snapshotSegments: 4, snapshotOnly: true }))
  t.equal(records.length, 10_000, 'one record per item')
  const seen = new Set<string>()
  const segments = new Set<number>()
  const mismatches: string[] = []
  for (const record of records) {
    const id = (record.key as StructuredData).id as string
    seen.add(id)
    const raw = expected.get(id)
    const position = decodeSnapshotPosition(record.position)
    segments.add(position.segment)
    for (const d of itemDiffs(raw, toAttributeMap(record.payload.after as StructuredData))) mismatches.push(`${id}: payload ${d}`)
    if (Object.keys(record.key as StructuredData).length !== 1) mismatches.push(`${id}: key`)
    if (position.totalSegments !== 4 || JSON.stringify(position.key) !== JSON.stringify({ id: { S: id } })) mismatches.push(`${id}: position`)
  }
  t.equal(seen.size, 10_000, 'every key of the table, none twice')
  t.same(mismatches, [], 'every item equals the table item attribute for attribute, with its key and position')
  t.same([...segments].sort(), [0, 1, 2, 3], 'records come from all 4 segments')
  t.ok(records.every((r) => r.operation === 'snapshot' && r.payload.before === null), 'all snapshot records without before')
})
