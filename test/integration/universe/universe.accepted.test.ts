import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, PK, SK, type KeyType } from '../../helpers/universe.js'

// The universe itself, against the real server: every item is storable and reads back as written.
t.test('DynamoDB Local accepts every universe item and raw Scan reads each back identical', async (t) => {
  const ddb = await useDynamo(t)
  for (const [key, range] of [['S'], ['N'], ['B'], ['S', 'N']] as Array<[KeyType, KeyType?]>) {
    await t.test(`${key}${range !== undefined ? ' + ' + range + ' sort' : ''} key`, async (t) => {
      const items = universe({ key, ...(range !== undefined ? { range } : {}), big: key === 'S' && range === undefined, count: 80 })
      const table = await createUniverseTable(ddb, key, range !== undefined ? { range } : {})
      await putItems(ddb.client, table, items)
      const back = await scanAll(ddb.client, table)
      t.equal(back.length, items.length)
      t.same(diffItems(items, back, range !== undefined ? [PK, SK] : PK), [])
      t.comment(`${items.length} items compared`)
    })
  }
})
