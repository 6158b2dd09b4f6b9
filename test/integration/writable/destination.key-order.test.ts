import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord, type StructuredData } from '../../../src/model/record.js'
import { expectedItem, run, sameItem, scanAll, seededRandom } from './destination.fixtures.js'

const db = await useDynamo(t)

/** A random create/update/delete sequence over a few keys, and the table state applying it one by one gives. */
function sequence (seed: number, length: number, keys: number): { records: OpenCDCRecord[], model: Map<string, StructuredData> } {
  const random = seededRandom(seed)
  const model = new Map<string, StructuredData>()
  const records: OpenCDCRecord[] = []
  for (let i = 0; i < length; i++) {
    const pk = `k${Math.floor(random() * keys)}`
    const sk = Math.floor(random() * 3)
    const id = `${pk}|${sk}`
    const before = model.get(id) ?? null
    const roll = random()
    if (roll < 0.25 && before !== null) {
      records.push(createRecord({ position: `p${i}`, operation: 'delete', key: { pk, sk }, before }))
      model.delete(id)
      continue
    }
    const after: StructuredData = { pk, sk, seq: i, ...(random() < 0.5 ? { extra: `e${i}` } : {}), ...(random() < 0.3 ? { tags: new Set([`t${i % 5}`]) } : {}) }
    records.push(createRecord({ position: `p${i}`, operation: before === null ? 'create' : 'update', key: { pk, sk }, before, after }))
    model.set(id, after)
  }
  return { records, model }
}

for (const updateMode of ['put', 'patch'] as const) {
  t.test(`random create/update/delete sequences on overlapping keys end as if applied one by one (${updateMode} mode)`, async (t) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const table = await db.createTable({ hash: ['pk', 'S'], range: ['sk', 'N'] })
      const { records, model } = sequence(seed * 7919, 1500, 15)
      const dest = createDestination({ table, endpoint: db.endpoint, updateMode, adaptiveConcurrency: false, concurrency: 8 })
      t.equal(await run(records, dest), undefined, `seed ${seed}: pipeline succeeds`)
      const items = await scanAll(db.client, table)
      t.same([...items.keys()].sort(), [...model.keys()].sort(), `seed ${seed}: the same items exist`)
      const wrong = [...model].filter(([id, data]) => !sameItem(items.get(id), expectedItem(data)))
      t.same(wrong.map(([id]) => id), [], `seed ${seed}: every item holds its last write`)
      t.ok(dest.stats.peakInFlight > 1, `seed ${seed}: requests really were concurrent (${dest.stats.peakInFlight} at most)`)
    }
  })
}

t.test('a single hot key written 1,000 times ends with its last write', async (t) => {
  const table = await db.createTable()
  const records = Array.from({ length: 1000 }, (_, i) => createRecord({ position: `p${i}`, operation: 'update', key: { id: 'hot' }, after: { n: i } }))
  const dest = createDestination({ table, endpoint: db.endpoint })
  t.equal(await run(records, dest), undefined)
  const items = await scanAll(db.client, table)
  t.same(items.get('hot'), { id: { S: 'hot' }, n: { N: '999' } })
  t.equal(dest.stats.written, 1000, 'every record settled')
})
