import t from 'tap'
import { randomUUID } from 'node:crypto'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createSource } from '../../../../src/readable/source.js'
import { MemoryCheckpointStore } from '../../../../src/checkpoint/stores.js'

const ddb = await useDynamo(t)

async function tables (prefix: string): Promise<string[]> {
  return await Promise.all(['a', 'b', 'c'].map(async (n) => {
    const name = await ddb.createTable({ name: prefix + n, stream: 'NEW_AND_OLD_IMAGES' })
    for (let i = 0; i < 4; i++) await ddb.client.send(new PutItemCommand({ TableName: name, Item: { id: { S: `i${i}` } } }))
    return name
  }))
}

t.test('breaking out of for await destroys every table\'s source and saves each section', async (t) => {
  const names = await tables(`brk_${randomUUID().slice(0, 6)}_`)
  const store = new MemoryCheckpointStore()
  const source = createSource({ tables: names, endpoint: ddb.endpoint, checkpointStore: store, checkpointInterval: 60_000 })
  let n = 0
  for await (const r of source) {
    source.ack(r)
    if (++n === 5) break
  }
  await new Promise((resolve) => { if (source.closed) resolve(null); else source.once('close', resolve) })
  // Node's async iterator destroys the stream with an AbortError on break; no table's failure replaces it.
  t.ok(source.destroyed && (source.errored === null || source.errored.name === 'AbortError'), `destroyed by the break, not by a failure (${String(source.errored)})`)
  const saved = await store.load() as { tables: Record<string, { checkpoint?: { table: string } }> }
  t.same(Object.keys(saved.tables).sort(), [...names].sort(), 'a section per table')
  t.ok(Object.values(saved.tables).every((s) => s.checkpoint !== undefined), 'each table\'s source saved its checkpoint on destroy')
})

t.test('destroy(err) ends the stream with that error', async (t) => {
  const names = await tables(`err_${randomUUID().slice(0, 6)}_`)
  const source = createSource({ tables: names, endpoint: ddb.endpoint })
  const boom = new Error('boom')
  const got = new Promise<Error>((resolve) => source.once('error', resolve))
  source.once('data', () => { source.destroy(boom) })
  t.equal(await got, boom)
})

t.test('a selection with no table ends at once when nothing can join', async (t) => {
  const records = []
  for await (const r of createSource({ tables: { prefix: `none_${randomUUID().slice(0, 6)}_` }, endpoint: ddb.endpoint, snapshotOnly: true, tableDiscoveryInterval: 0 })) records.push(r)
  t.same(records, [])
})
