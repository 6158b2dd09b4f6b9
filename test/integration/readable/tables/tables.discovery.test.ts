import t from 'tap'
import { randomUUID } from 'node:crypto'
import { DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createSource } from '../../../../src/readable/source.js'
import { MemoryCheckpointStore } from '../../../../src/checkpoint/stores.js'
import type { TableEvent, TablesSource } from '../../../../src/readable/tables/source.js'
import { META_COLLECTION, type OpenCDCRecord } from '../../../../src/model/record.js'

const ddb = await useDynamo(t)

async function table (name: string, ids: number): Promise<string> {
  await ddb.createTable({ name, stream: 'NEW_AND_OLD_IMAGES' })
  for (let i = 0; i < ids; i++) await put(name, `i${i}`)
  return name
}
const put = async (name: string, id: string): Promise<void> => { await ddb.client.send(new PutItemCommand({ TableName: name, Item: { id: { S: id }, v: { N: String(id.length) } } })) }

/** Reads the source in the background, acking each record; `until` polls what arrived. */
function reader (source: TablesSource): { records: OpenCDCRecord[], events: TableEvent[], until: (what: string, ok: () => boolean) => Promise<void>, error: () => Error | undefined } {
  const records: OpenCDCRecord[] = []
  const events: TableEvent[] = []
  let error: Error | undefined
  source.on('table', (e: TableEvent) => { events.push(e) })
  source.on('error', (err: Error) => { error = err })
  source.on('data', (r: OpenCDCRecord) => { records.push(r); source.ack(r) })
  return {
    records,
    events,
    error: () => error,
    until: async (what, ok) => {
      const deadline = Date.now() + 60_000
      while (!ok()) {
        if (error !== undefined) throw error
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what} (${records.length} records, events ${JSON.stringify(events)})`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }
}
const idOf = (r: OpenCDCRecord): string => String((r.key as Record<string, unknown>).id)
const of = (records: OpenCDCRecord[], name: string): OpenCDCRecord[] => records.filter((r) => r.metadata?.[META_COLLECTION] === name)

t.test('a table created while the source runs joins with a snapshot at the next discovery; a deleted one ends with a "removed" event', async (t) => {
  const prefix = `disc_${randomUUID().slice(0, 6)}_`
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (n) => await table(prefix + n, 5)))
  await table(`other_${randomUUID().slice(0, 6)}`, 3)
  const store = new MemoryCheckpointStore()
  const source = createSource({ tables: { prefix }, endpoint: ddb.endpoint, checkpointStore: store, checkpointInterval: 0, tableDiscoveryInterval: 200, recordsPollingPeriod: 100 })
  const r = reader(source)
  await r.until('the three tables were read', () => [a, b, c].every((n) => of(r.records, n as string).length === 5))
  t.same(source.tables, [a, b, c], 'only the tables with the prefix')
  const d = await table(prefix + 'd', 4)
  const ids = (): string[] => [...new Set(of(r.records, d).map((x) => String(idOf(x))))].sort()
  await r.until('the fourth table was read', () => ids().length >= 4)
  t.same(r.events, [{ table: d, action: 'added', mode: 'snapshot' }], 'one "added" event, with a snapshot')
  // An item written while the table joined may come twice (its snapshot record and its change): both are allowed.
  t.same(ids(), ['i0', 'i1', 'i2', 'i3'], 'every item it held arrived')
  t.ok(of(r.records, d).some((x) => x.operation === 'snapshot'), 'as snapshot records (and changes for writes after the stream anchor)')
  await put(d, 'later')
  await r.until('a change of the fourth table arrived', () => of(r.records, d).some((x) => x.operation === 'create'))
  await ddb.client.send(new DeleteTableCommand({ TableName: b as string }))
  await r.until('the deleted table left', () => r.events.some((e) => e.action === 'removed'))
  t.match(r.events[1], { table: b, action: 'removed', reason: String }, `a "removed" event names the deleted table: ${JSON.stringify(r.events[1])}`)
  t.same(source.tables, [a, c, d], 'the others keep going')
  await put(a as string, 'after-delete')
  await r.until('a change of another table still arrives', () => of(r.records, a as string).some((x) => idOf(x) === 'after-delete'))
  t.equal(r.error(), undefined, 'the stream did not fail')
  await source.flushCheckpoint()
  const saved = await store.load() as { tables: Record<string, unknown> }
  t.same(Object.keys(saved.tables).sort(), [a, c, d], 'the deleted table\'s section is gone')
  source.destroy()
})

t.test('with newTables: "changes" a table found later gives only the changes made after it joined', async (t) => {
  const prefix = `chg_${randomUUID().slice(0, 6)}_`
  const a = await table(prefix + 'a', 3)
  const source = createSource({ tables: { prefix }, endpoint: ddb.endpoint, tableDiscoveryInterval: 200, recordsPollingPeriod: 100, newTables: 'changes' })
  const r = reader(source)
  await r.until('the first table was read', () => of(r.records, a).length === 3)
  const b = await table(prefix + 'b', 3)
  await r.until('the second table joined', () => r.events.length === 1)
  t.same(r.events, [{ table: b, action: 'added', mode: 'changes' }], '"added" with changes only')
  // The join's stream anchor is taken just after the event: write until one change shows.
  for (let i = 0; of(r.records, b).length === 0; i++) {
    await put(b, `new${i}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    if (i > 300) throw new Error('no change of the joined table arrived')
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  const got = of(r.records, b)
  t.ok(got.every((x) => x.operation === 'create' && String(idOf(x)).startsWith('new')), `only changes after the join: ${got.map((x) => `${x.operation} ${String(idOf(x))}`).join(', ')}`)
  source.destroy()
})

t.test('a tag filter on DynamoDB Local (no tagging) fails with ERR_DDB_TABLE_DISCOVERY_FAILED naming the table and the AWS error', async (t) => {
  const prefix = `tag_${randomUUID().slice(0, 6)}_`
  const a = await table(prefix + 'a', 1)
  const source = createSource({ tables: { prefix, tags: 'env:prod' }, endpoint: ddb.endpoint })
  const err = await new Promise<Error>((resolve) => { source.on('error', resolve); source.resume() })
  t.match(err, { code: 'ERR_DDB_TABLE_DISCOVERY_FAILED', message: new RegExp(`ListTagsOfResource of table "${a}" failed: UnknownOperationException`), details: { table: a }, cause: { name: 'UnknownOperationException' } })
})

t.test('a listed table that does not exist fails at the start with ERR_DDB_TABLE_NOT_FOUND', async (t) => {
  const a = await table(`nf_${randomUUID().slice(0, 6)}`, 1)
  const source = createSource({ tables: [a, 'no_such_table'], endpoint: ddb.endpoint })
  const err = await new Promise<Error>((resolve) => { source.on('error', resolve); source.resume() })
  t.match(err, { code: 'ERR_DDB_TABLE_NOT_FOUND', message: /"no_such_table" not found/, details: { tables: ['no_such_table'] } })
})
