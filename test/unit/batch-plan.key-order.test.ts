import t from 'tap'
import { xorshift as rng } from '../helpers/random.js'
import { BatchPlanner, type PlannedBatch } from '../../src/writable/batch-plan.js'
import { toWriteOp, type WriteOp } from '../../src/writable/write-op.js'
import { createRecord, type Operation } from '../../src/record.js'
import type { KeySchema } from '../../src/writable/key-schema.js'

const schema: KeySchema = { hash: { name: 'id', type: 'S' } }
let seq = 0
function op (id: string, operation: Operation = 'create', mode: 'put' | 'patch' = 'put'): WriteOp {
  const i = seq++
  return toWriteOp(createRecord({ position: `p${i}`, operation, key: { id }, before: { v: -1 }, after: { v: i } }), i, schema, mode)
}

t.test('a key in flight blocks every later write of it until released; other keys go ahead', async (t) => {
  const planner = new BatchPlanner({ maxRequests: 1 })
  const a1 = op('a')
  const b = op('b')
  const a2 = op('a')
  ;[a1, b, a2].forEach((o) => planner.push(o))
  const first = planner.next() as PlannedBatch
  t.same(first.entries.map((e) => e.op), [a1])
  const second = planner.next() as PlannedBatch
  t.same(second.entries.map((e) => e.op), [b], 'a2 waits while a1 is in flight')
  t.equal(planner.next(), undefined)
  t.equal(planner.keysInFlight, 2)
  planner.release(first)
  t.same(planner.next()?.entries.map((e) => e.op), [a2])
})

t.test('an update (patch mode) goes alone and never merges with a put or delete of its key', async (t) => {
  const planner = new BatchPlanner()
  const a1 = op('a')
  const aUpdate = op('a', 'update', 'patch')
  const aPut = op('a')
  const b = op('b')
  ;[a1, aUpdate, aPut, b].forEach((o) => planner.push(o))
  const first = planner.next() as PlannedBatch
  t.equal(first.kind, 'batch')
  t.same(first.entries.map((e) => e.op), [a1, b], 'the later put of a waits behind the update')
  planner.release(first)
  const second = planner.next() as PlannedBatch
  t.equal(second.kind, 'update')
  t.same(second.entries.map((e) => e.op), [aUpdate])
  t.equal(planner.next(), undefined)
  planner.release(second)
  t.same(planner.next()?.entries.map((e) => e.op), [aPut])
})

t.test('an update first in line goes out on its own', async (t) => {
  const planner = new BatchPlanner()
  const u = op('a', 'update', 'patch')
  planner.push(u)
  planner.push(op('b'))
  const first = planner.next()
  t.equal(first?.kind, 'update')
  t.equal(first?.entries.length, 1)
  t.equal(planner.next()?.kind, 'batch')
})


t.test('random writes, batches completing in random order: each key is written in stream order, ending at its last write', async (t) => {
  for (let seed = 1; seed <= 50; seed++) {
    const random = rng(seed)
    const planner = new BatchPlanner({ maxRequests: 1 + Math.floor(random() * 25) })
    const ops: WriteOp[] = []
    for (let i = 0; i < 300; i++) {
      const kind = random()
      const o = op(`k${Math.floor(random() * 20)}`, kind < 0.5 ? 'create' : kind < 0.75 ? 'delete' : 'update', random() < 0.3 ? 'patch' : 'put')
      ops.push(o)
      planner.push(o)
    }
    const inFlight: PlannedBatch[] = []
    const sent = new Map<string, number[]>()
    const settled: number[] = []
    while (planner.pending > 0 || inFlight.length > 0) {
      const maxInFlight = 1 + Math.floor(random() * 6)
      while (inFlight.length < maxInFlight) {
        const b = planner.next()
        if (b === undefined) break
        const keys = b.entries.map((e) => e.op.keyId)
        if (new Set(keys).size !== keys.length) t.fail(`seed ${seed}: a key twice in one batch`)
        for (const other of inFlight) {
          if (other.entries.some((e) => keys.includes(e.op.keyId))) t.fail(`seed ${seed}: a key in two requests in flight`)
        }
        inFlight.push(b)
      }
      const done = inFlight.splice(Math.floor(random() * inFlight.length), 1)[0] as PlannedBatch
      for (const e of done.entries) {
        const list = sent.get(e.op.keyId) ?? []
        list.push(e.op.index)
        sent.set(e.op.keyId, list)
        settled.push(...e.covers.map((c) => c.index))
      }
      planner.release(done)
    }
    t.equal(settled.length, ops.length, `seed ${seed}: every record settled exactly once`)
    t.equal(new Set(settled).size, ops.length)
    for (const [keyId, indexes] of sent) {
      const sorted = [...indexes].sort((x, y) => x - y)
      if (indexes.join() !== sorted.join()) t.fail(`seed ${seed}: key ${keyId} written out of order: ${indexes.join()}`)
      const last = ops.filter((o) => o.keyId === keyId).at(-1)
      if (indexes.at(-1) !== last?.index) t.fail(`seed ${seed}: key ${keyId} did not end with its last write`)
    }
  }
  t.pass('50 seeds checked')
})
