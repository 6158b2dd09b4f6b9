import type { Test } from 'tap'
import { Transform, type Duplex } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { TestDynamo } from './dynamo.js'
import { createUniverseTable, diffItems, loadUniverse, scanAll, type KeyType, type UniverseOptions } from './universe.js'
import { createSource } from '../../src/readable/source.js'
import { ackOnWrite } from '../../src/readable/ack.js'
import { wireStats } from '../../src/aws/wire-hook.js'
import { createDestination } from '../../src/writable/destination.js'

/** Loads the universe, snapshots it through `stages` into an empty table, and compares that table with the items exactly. */
export async function snapshotThrough (t: Test, ddb: TestDynamo, opts: UniverseOptions, stages: () => Duplex[]): Promise<void> {
  const { table, items, keys } = await loadUniverse(ddb, opts)
  const copy = await createUniverseTable(ddb, opts.key, opts.range !== undefined ? { range: opts.range } : {})
  const source = createSource({ table, endpoint: ddb.endpoint, snapshotOnly: true, snapshotPageSize: 17, checkpoint: `${t.testdir()}/cp.json` })
  const before = wireStats()
  await pipeline([source, ...stages(), ackOnWrite(source, createDestination({ table: copy, endpoint: ddb.endpoint }))])
  const after = wireStats()
  t.ok(after.fast - before.fast >= Math.ceil(items.length / 17) && after.sdk === before.sdk, 'every Scan page decoded by the fast path (src/aws/wire-decode.ts)')
  const back = await scanAll(ddb.client, copy)
  t.equal(back.length, items.length, 'same item count')
  t.same(diffItems(items, back, keys), [], 'every item equal, types included')
  t.comment(`${items.length} items compared`)
}

/** The key variants every path runs: S, N and B partition keys (S with the 395 KB items) and a B + S composite key. */
export const KEY_VARIANTS: Array<{ key: KeyType, range?: KeyType, big?: boolean }> = [{ key: 'S', big: true }, { key: 'N' }, { key: 'B' }, { key: 'B', range: 'S' }]

export const label = (v: { key: KeyType, range?: KeyType }): string => `${v.key}${v.range !== undefined ? '+' + v.range : ''}-keyed`

/** A pass-through stage that hands every chunk to `see` (to inspect the text between two stages). */
export function tap (see: (chunk: unknown) => void, objectMode = false): Transform {
  return new Transform({ objectMode, transform (chunk, _e, cb) { see(chunk); cb(null, chunk) } })
}
