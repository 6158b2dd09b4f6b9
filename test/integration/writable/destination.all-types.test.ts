import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord } from '../../../src/model/record.js'
import { everyType, expectedItem, run, sameItem, scanAll } from './destination.fixtures.js'

const db = await useDynamo(t)

t.test('10k records of every attribute type land exactly', async (t) => {
  const table = await db.createTable()
  const data = Array.from({ length: 10_000 }, (_, i) => everyType(i))
  const records = data.map((after, i) => createRecord({ position: `p${i}`, operation: i % 3 === 0 ? 'snapshot' : 'create', key: { id: after.id as string }, after }))
  const written: number[] = []
  const dest = createDestination({ table, endpoint: db.endpoint, onWritten: (rs) => { written.push(rs.length) } })
  t.equal(await run(records, dest), undefined)
  const items = await scanAll(db.client, table)
  t.equal(items.size, 10_000)
  let mismatches = 0
  for (const d of data) {
    if (!sameItem(items.get(d.id as string), expectedItem(d))) {
      if (mismatches++ < 3) t.fail(`item ${String(d.id)} differs: ${JSON.stringify(items.get(d.id as string))}`)
    }
  }
  t.equal(mismatches, 0, 'every item equals its record, bit for bit')
  t.equal(written.reduce((a, b) => a + b, 0), 10_000, 'onWritten saw every record once')
  t.equal(dest.stats.written, 10_000)
})

t.test('raw-bytes JSON records land with every digit', async (t) => {
  const table = await db.createTable({ hash: ['id', 'N'] })
  const records = [createRecord({ position: 'p', operation: 'create', key: Buffer.from('{"id":12345678901234567890123456789012345678}'), after: Buffer.from('{"v":0.1000000000000000000000000000000000001,"s":"x"}') })]
  t.equal(await run(records, createDestination({ table, endpoint: db.endpoint })), undefined)
  const items = await scanAll(db.client, table)
  t.same(items.get('12345678901234567890123456789012345678'), { id: { N: '12345678901234567890123456789012345678' }, v: { N: '0.1000000000000000000000000000000000001' }, s: { S: 'x' } })
})
