import t from 'tap'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll, type KeyType } from '../../../helpers/universe.js'
import { startUniverseWriter, untilEqual } from '../../../helpers/universe-writes.js'
import { createSource } from '../../../../src/readable/source.js'
import { ackOnWrite } from '../../../../src/readable/ack.js'
import { createDestination } from '../../../../src/writable/destination.js'
import { MemoryCheckpointStore } from '../../../../src/checkpoint/stores.js'
import { META_COLLECTION, type OpenCDCRecord } from '../../../../src/model/record.js'

const ddb = await useDynamo(t)
const KEYS: KeyType[] = ['S', 'N', 'B']

t.test('one source over three universe tables: every record carries its table as collection, and each copy equals its table', async (t) => {
  const loaded = await Promise.all(KEYS.map(async (key, i) => await loadUniverse(ddb, { key, count: 40, seed: 700 + i, big: i === 0 })))
  const tables = loaded.map((l) => l.table)
  await Promise.all(loaded.map(async (l, i) => await createUniverseTable(ddb, KEYS[i] as KeyType, { name: `${l.table}_copy` })))
  const source = createSource({ tables, endpoint: ddb.endpoint, snapshotOnly: true, snapshotPageSize: 7, snapshotSegments: 2, snapshotConcurrency: 2 })
  const seen = new Map<string, number>()
  const count = new Transform({
    objectMode: true,
    transform (r: OpenCDCRecord, _e, cb) {
      const c = r.metadata?.[META_COLLECTION] as string
      seen.set(c, (seen.get(c) ?? 0) + 1)
      cb(null, r)
    }
  })
  await pipeline(source, count, ackOnWrite(source, createDestination({ table: '{{collection}}_copy', endpoint: ddb.endpoint })))
  t.same([...seen.keys()].sort(), [...tables].sort(), 'records of exactly the three tables, each named by opencdc.collection')
  for (const l of loaded) {
    t.equal(seen.get(l.table), l.items.length, `${l.table}: one snapshot record per item`)
    t.same(diffItems(l.items, await scanAll(ddb.client, `${l.table}_copy`), l.keys), [], `${l.table}: every item equal, types included`)
  }
})

t.test('three universe tables with writers on all three: snapshot then changes, each copy ends equal to its table', async (t) => {
  const loaded = await Promise.all(KEYS.map(async (key, i) => await loadUniverse(ddb, { key, count: 30, seed: 800 + i, stream: 'NEW_AND_OLD_IMAGES' })))
  await Promise.all(loaded.map(async (l, i) => await createUniverseTable(ddb, KEYS[i] as KeyType, { name: `${l.table}_copy` })))
  const writers = loaded.map((l, i) => startUniverseWriter(ddb.client, l.table, l.items, { key: KEYS[i] as KeyType, seed: 810 + i, pauseMs: 30, max: 40 }))
  const store = new MemoryCheckpointStore()
  const source = createSource({ tables: loaded.map((l) => l.table), endpoint: ddb.endpoint, checkpointStore: store, checkpointInterval: 0, snapshotPageSize: 5, recordsPollingPeriod: 100, tableDiscoveryInterval: 0 })
  const ops = new Map<string, Set<string>>()
  const tap = new Transform({
    objectMode: true,
    transform (r: OpenCDCRecord, _e, cb) {
      const c = r.metadata?.[META_COLLECTION] as string
      if (!ops.has(c)) ops.set(c, new Set())
      ops.get(c)?.add(r.operation)
      cb(null, r)
    }
  })
  const done = pipeline(source, tap, ackOnWrite(source, createDestination({ table: '{{collection}}_copy', endpoint: ddb.endpoint }))).catch((err: Error) => err)
  // The writers run while the snapshot and the changes are read; each stops at its 40th write.
  const deadline = Date.now() + 120_000
  while (writers.some((w) => w.writes < 40) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  await Promise.all(writers.map(async (w) => await w.stop()))
  const diffs = await Promise.all(loaded.map(async (l) => await untilEqual(ddb.client, l.table, `${l.table}_copy`, l.keys, 60_000)))
  source.destroy()
  await done
  for (const [i, l] of loaded.entries()) {
    t.same(diffs[i], [], `${l.table}: copy equal to the table after ${writers[i]?.writes ?? 0} writes ${JSON.stringify(writers[i]?.counts)}`)
    t.same([...(ops.get(l.table) ?? [])].sort(), ['create', 'delete', 'snapshot', 'update'], `${l.table}: snapshot and change records arrived`)
  }
  const saved = await store.load() as { kind: string, tables: Record<string, { mode: string, checkpoint: { table: string, snapshot: { done: boolean }, streamArn: string } }> }
  t.equal(saved.kind, 'tables', 'one many-table checkpoint document')
  t.same(Object.keys(saved.tables).sort(), loaded.map((l) => l.table).sort(), 'one section per table')
  for (const l of loaded) t.match(saved.tables[l.table], { mode: 'snapshot', checkpoint: { table: l.table, snapshot: { done: true }, streamArn: String } }, `${l.table}: its own snapshot and stream progress`)
})
