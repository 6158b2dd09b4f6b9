import t from 'tap'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../helpers/dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll, type KeyType } from '../helpers/universe.js'
import { createSource } from '../../src/readable/source.js'
import { ackOnWrite } from '../../src/readable/ack.js'
import { createDestination } from '../../src/writable/destination.js'

const ddb = await useDynamo(t)

const PROTO_TODO = 'codec: a nested attribute named __proto__ sets the prototype (fromAttributeMap out[k] = …)'

for (const [key, range, proto] of [['S'], ['N'], ['B'], ['B', 'S'], ['N', undefined, true]] as Array<[KeyType, KeyType?, boolean?]>) {
  t.test(`snapshot → table copies every ${key}${range !== undefined ? '+' + range : ''}-keyed universe item exactly${proto === true ? ', nested __proto__ names included' : ''}`, proto === true ? { todo: PROTO_TODO } : {}, async (t) => {
    const { table, items, keys } = await loadUniverse(ddb, { key, ...(range !== undefined ? { range } : {}), big: key === 'S', count: proto === true ? 0 : 80, seed: 101, proto })
    const copy = await createUniverseTable(ddb, key, range !== undefined ? { range } : {})
    const source = createSource({ table, endpoint: ddb.endpoint, snapshotOnly: true, snapshotPageSize: 17, checkpoint: `${t.testdir()}/cp.json` })
    await pipeline(source, ackOnWrite(source, createDestination({ table: copy, endpoint: ddb.endpoint })))
    const back = await scanAll(ddb.client, copy)
    t.equal(back.length, items.length, 'same item count')
    t.same(diffItems(items, back, keys), [], 'every item equal, types included')
    t.comment(`${items.length} items compared`)
  })
}
