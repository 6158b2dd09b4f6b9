import t from 'tap'
import { MemoryCheckpointStore } from '../../../../src/checkpoint/stores.js'
import { CheckpointSections } from '../../../../src/readable/tables/sections.js'
import { selectTables } from '../../../../src/readable/tables/discovery.js'
import { resolveTableSelector } from '../../../../src/readable/tables/selector.js'

t.test('each table saves its own section of one document, and a resume hands each its own back', async (t) => {
  const store = new MemoryCheckpointStore()
  const sections = new CheckpointSections(store, 'mem')
  await sections.load()
  const a = sections.view('aaa', 'snapshot')
  const b = sections.view('bbb', 'changes')
  await a.save({ v: 1, table: 'aaa', snapshot: { n: 1 } })
  await b.save({ v: 1, table: 'bbb', shards: { s: 2 } })
  await a.save({ v: 1, table: 'aaa', snapshot: { n: 3 } })
  t.same(await store.load(), { v: 1, kind: 'tables', tables: { aaa: { mode: 'snapshot', checkpoint: { v: 1, table: 'aaa', snapshot: { n: 3 } } }, bbb: { mode: 'changes', checkpoint: { v: 1, table: 'bbb', shards: { s: 2 } } } } })
  const again = new CheckpointSections(store, 'mem')
  await again.load()
  t.same(again.tables, { aaa: 'snapshot', bbb: 'changes' }, 'how each table joined is kept')
  t.same(await again.view('bbb', 'snapshot').load(), { v: 1, table: 'bbb', shards: { s: 2 } }, 'the table\'s own section')
  t.equal(await again.view('ccc', 'snapshot').load(), undefined, 'a new table starts afresh')
  await again.remove('aaa')
  t.same(Object.keys((await store.load() as { tables: object }).tables), ['bbb', 'ccc'], 'a removed table is forgotten')
})

t.test('a single-table checkpoint is refused with ERR_DDB_CHECKPOINT_MISMATCH naming the table', async (t) => {
  const store = new MemoryCheckpointStore()
  await store.save({ v: 1, table: 'orders', snapshot: {} })
  await t.rejects(new CheckpointSections(store, 'cp.json').load(), { code: 'ERR_DDB_CHECKPOINT_MISMATCH', message: /checkpoint cp.json is the checkpoint of the single table "orders"/ })
})

t.test('selectTables applies the name rules, then the tags, looked up only for names that pass', async (t) => {
  const asked: string[] = []
  const tags: Record<string, Record<string, string>> = { app_a: { env: 'prod' }, app_b: { env: 'dev' }, app_c: { env: 'staging', team: 'x' } }
  const picked = await selectTables(['web_a', 'app_c', 'app_b', 'app_a'], resolveTableSelector({ prefix: 'app_', tags: 'env:prod,staging' }), async (name) => { asked.push(name); return tags[name] ?? {} }, new AbortController().signal)
  t.same(picked, ['app_a', 'app_c'], 'sorted, tags matched with OR')
  t.same(asked, ['app_a', 'app_b', 'app_c'], 'no tag lookup for a name the prefix refuses')
})
