import t from 'tap'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../../helpers/dynamo.js'
import { startFaultProxy, useFaultProxy } from '../../helpers/fault-proxy.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll, type KeyType } from '../../helpers/universe.js'
import { createSource } from '../../../src/readable/source.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { fromAttributeMap } from '../../../src/model/codec.js'

const ddb = await useDynamo(t)

/** Records of several Readables, taken one from each in turn (so the destination sees the tables interleaved). */
async function * interleave (streams: Readable[]): AsyncGenerator<OpenCDCRecord> {
  const its = streams.map((s) => s[Symbol.asyncIterator]())
  let live = [...its]
  while (live.length > 0) {
    const next: typeof live = []
    for (const it of live) {
      const r = await it.next()
      if (r.done !== true) { yield r.value as OpenCDCRecord; next.push(it) }
    }
    live = next
  }
}

const VARIANTS: Array<{ key: KeyType, range?: KeyType }> = [{ key: 'S' }, { key: 'N' }, { key: 'B', range: 'S' }]

async function threeTables (): Promise<Array<{ table: string, items: Awaited<ReturnType<typeof loadUniverse>>['items'], keys: string[], v: typeof VARIANTS[number] }>> {
  return await Promise.all(VARIANTS.map(async (v, i) => ({ ...await loadUniverse(ddb, { ...v, seed: 100 + i, count: 40 }), v })))
}

for (const [label, route] of [
  ['a {{collection}} template', '{{collection}}_copy'],
  ['a function of the record', (r: OpenCDCRecord) => `${r.metadata['opencdc.collection'] ?? ''}_copy`]
] as const) {
  t.test(`three tables' universe through one destination routed by ${label}: each copy equals its source, types exact`, async (t) => {
    const sources = await threeTables()
    for (const s of sources) await createUniverseTable(ddb, s.v.key, { ...(s.v.range !== undefined ? { range: s.v.range } : {}), name: `${s.table}_copy` })
    const proxy = await useFaultProxy(t, ddb.endpoint, [])
    const streams = sources.map((s) => createSource({ table: s.table, endpoint: ddb.endpoint, snapshotOnly: true, snapshotPageSize: 13 }))
    const dest = createDestination({ table: route, endpoint: proxy.endpoint })
    await pipeline(Readable.from(interleave(streams)), dest)
    for (const s of sources) {
      const back = await scanAll(ddb.client, `${s.table}_copy`)
      t.equal(back.length, s.items.length, `${s.table}: same count`)
      t.same(diffItems(s.items, back, s.keys), [], `${s.table}: every item equal, types included`)
    }
    t.equal(dest.keySchemas.size, 3, 'one key schema per table')
    t.equal(proxy.requests.DescribeTable, 3, 'each table described once')
  })
}

t.test('one BatchWriteItem carries several tables, ≤ 25 requests in all', async (t) => {
  const a = await ddb.createTable()
  const b = await ddb.createTable()
  const calls: Array<Record<string, unknown[]>> = []
  const proxy = await startFaultProxy({ target: ddb.endpoint, observe: (req) => { if (req.operation === 'BatchWriteItem') calls.push(req.body.RequestItems as Record<string, unknown[]>) } })
  t.teardown(() => proxy.close())
  const records = Array.from({ length: 100 }, (_, i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i }, metadata: { 'opencdc.collection': i % 2 === 0 ? 'A' : 'B' } }))
  await pipeline(Readable.from(records), createDestination({ table: { A: a, B: b }, endpoint: proxy.endpoint, concurrency: 1 }))
  t.ok(calls.some((c) => Object.keys(c).length === 2), 'a call named both tables')
  t.ok(calls.every((c) => Object.values(c).reduce((n, l) => n + l.length, 0) <= 25), 'never more than 25 requests per call')
  t.equal((await scanAll(ddb.client, a)).length, 50)
  t.equal((await scanAll(ddb.client, b)).length, 50)
})

t.test('per-key order holds per table: interleaved writes to the same key in two tables each end at their own last value', async (t) => {
  const a = await ddb.createTable()
  const b = await ddb.createTable()
  const records: OpenCDCRecord[] = []
  for (let i = 0; i < 300; i++) {
    for (const [c, v] of [['A', i], ['B', -i]] as const) {
      const id = `k${i % 3}`
      records.push(createRecord({ position: `${c}${i}`, operation: i % 7 === 6 ? 'delete' : 'update', key: { id }, after: { v, c }, metadata: { 'opencdc.collection': c } }))
    }
  }
  await pipeline(Readable.from(records), createDestination({ table: { A: a, B: b }, endpoint: ddb.endpoint, concurrency: 8, adaptiveConcurrency: false, batchSize: 4 }))
  for (const [c, table] of [['A', a], ['B', b]] as const) {
    // The expected end state, replayed from the records of this collection alone.
    const want = new Map<string, unknown>()
    for (const r of records) if (r.metadata['opencdc.collection'] === c) { const id = (r.key as { id: string }).id; if (r.operation === 'delete') want.delete(id); else want.set(id, r.payload.after) }
    const got = new Map((await scanAll(ddb.client, table)).map((item) => { const v = fromAttributeMap(item) as { id: string, v: number, c: string }; return [v.id, { v: v.v, c: v.c }] }))
    t.same(Object.fromEntries(got), Object.fromEntries(want), `table ${c} holds each key's last write`)
  }
})

t.test('a record whose collection has no route fails naming record and collection, or is dead-lettered', async (t) => {
  const a = await ddb.createTable()
  const recs = [0, 1, 2].map((i) => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i }, metadata: { 'opencdc.collection': i === 1 ? 'Z' : 'A' } }))
  const err = await pipeline(Readable.from(recs), createDestination({ table: { A: a }, endpoint: ddb.endpoint })).catch((e: unknown) => e)
  t.ok(isOpenCDCError(err, 'ERR_DDB_NO_ROUTE'))
  t.match((err as Error).message, /record #1 position "p1" key .*collection "Z" has no table in the table map/)
  t.same((await scanAll(ddb.client, a)).map((i) => i.id?.S), ['k0'], 'the record before it was written')
  const dead: Array<{ record: OpenCDCRecord, error: Error }> = []
  const b = await ddb.createTable()
  await pipeline(Readable.from(recs), createDestination({ table: { A: b }, endpoint: ddb.endpoint, deadLetter: (record, error) => { dead.push({ record, error }) } }))
  t.same(dead.map((d) => [d.record.position.toString(), (d.error as { code?: string }).code]), [['p1', 'ERR_DDB_NO_ROUTE']])
  t.same((await scanAll(ddb.client, b)).map((i) => i.id?.S).sort(), ['k0', 'k2'])
})

t.test('a routed table that does not exist fails the stream (never dead-lettered)', async (t) => {
  const recs = [createRecord({ position: 'p0', operation: 'create', key: { id: 'k' }, after: {}, metadata: { 'opencdc.collection': 'nosuch' } })]
  const dead: unknown[] = []
  const err = await pipeline(Readable.from(recs), createDestination({ table: '{{collection}}_copy', endpoint: ddb.endpoint, deadLetter: (r) => { dead.push(r) } })).catch((e: unknown) => e)
  t.ok(isOpenCDCError(err, 'ERR_DDB_TABLE_NOT_FOUND'))
  t.match((err as Error).message, /"nosuch_copy" does not exist/)
  t.same(dead, [])
})
