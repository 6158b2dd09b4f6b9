import { toAttributeMap } from '../../src/model/codec.js'
import { createRecord, type OpenCDCRecord, type Operation } from '../../src/model/record.js'
import { rng } from './random.js'
import type { Item } from './table-state.js'

export interface Workload {
  records: OpenCDCRecord[]
  /** The table an exact, in-order writer leaves behind, by id. */
  expected: Map<string, Item>
  /** Ids written at least once. */
  keys: string[]
}

/**
 * A seeded stream of creates, updates, snapshots and deletes over `keyCount` keys (`id` S), with the
 * table state it must produce. Keys repeat, so a writer that reorders or drops writes per key is caught.
 */
export function makeWorkload (seed: number, count: number, keyCount: number, prefix = 'k'): Workload {
  const r = rng(seed)
  const records: OpenCDCRecord[] = []
  const expected = new Map<string, Item>()
  const ids = Array.from({ length: keyCount }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`)
  for (let i = 0; i < count; i++) {
    const id = ids[Math.floor(r() * ids.length)] as string
    const roll = r()
    const exists = expected.has(id)
    const operation: Operation = exists && roll < 0.15 ? 'delete' : exists ? 'update' : roll < 0.5 ? 'create' : 'snapshot'
    const position = `wl-${seed}-${i}`
    if (operation === 'delete') {
      records.push(createRecord({ position, operation, key: { id } }))
      expected.delete(id)
      continue
    }
    const after = { id, seq: i, v: Math.floor(r() * 1e6), pad: 'x'.repeat(Math.floor(r() * 200)) }
    records.push(createRecord({ position, operation, key: { id }, after }))
    expected.set(id, toAttributeMap(after))
  }
  return { records, expected, keys: [...new Set(records.map((rec) => (rec.key as { id: string }).id))] }
}

/** `count` creates of distinct keys `<prefix>00000…`, each a small item. */
export function makeCreates (count: number, prefix = 'c'): OpenCDCRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}${String(i).padStart(5, '0')}`
    return createRecord({ position: `${prefix}-${i}`, operation: 'create', key: { id }, after: { id, n: i } })
  })
}
