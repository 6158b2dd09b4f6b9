import t from 'tap'
import { rng } from '../../helpers/random.js'
import { KeyOrderModel } from '../../helpers/key-order-model.js'
import { BatchPlanner, type PlannedBatch } from '../../../src/writable/batch-plan.js'
import { toWriteOp, type WriteOp } from '../../../src/writable/write-op.js'
import { createRecord, type Operation } from '../../../src/model/record.js'
import type { KeySchema } from '../../../src/writable/key-schema.js'

const schema: KeySchema = { hash: { name: 'id', type: 'S' } }
let seq = 0
function op (id: string, operation: Operation = 'create', mode: 'put' | 'patch' = 'put', pad = 0): WriteOp {
  const i = seq++
  return toWriteOp(createRecord({ position: `p${i}`, operation, key: { id }, before: { v: -1 }, after: { v: i, pad: 'x'.repeat(pad) } }), i, schema, mode)
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

t.test('a key whose write did not fit the byte budget holds back its later writes: [b, a1 (big), a2] never sends a2 before a1', async (t) => {
  const b = op('b', 'create', 'put', 600)
  const a1 = op('a', 'create', 'put', 900)
  const a2 = op('a', 'create', 'put', 10)
  const c = op('c', 'create', 'put', 10)
  const planner = new BatchPlanner({ maxBytes: 1000 })
  ;[b, a1, a2, c].forEach((o) => planner.push(o))
  const first = planner.next() as PlannedBatch
  t.same(first.entries.map((e) => e.op), [b, c], 'a2 waits behind a1; c, another key, still fits')
  planner.release(first)
  const second = planner.next() as PlannedBatch
  t.same(second.entries.map((e) => e.op), [a2], 'a1 and a2 fit together, a2 overwrites and settles a1')
  t.same(second.entries[0]?.covers, [a1, a2])
})

t.test('random writes of random sizes, batches completing in random order: an independent model of the table sees each key written in stream order', async (t) => {
  let multi = 0
  let merged = 0
  let byteBound = 0
  let updates = 0
  for (let seed = 1; seed <= 60; seed++) {
    const random = rng(seed)
    const count = seed % 10 === 0 ? 4000 : 300
    const maxRequests = 2 + Math.floor(random() * 24)
    const maxBytes = 2000 + Math.floor(random() * 6000)
    const planner = new BatchPlanner({ maxRequests, maxBytes })
    const ops: WriteOp[] = []
    for (let i = 0; i < count; i++) {
      const kind = random()
      const patch = random() < 0.15
      const o = op(`k${Math.floor(random() * 20)}`, kind < 0.5 ? 'create' : kind < 0.75 ? 'delete' : 'update', patch ? 'patch' : 'put', random() < 0.3 ? 500 + Math.floor(random() * 2000) : Math.floor(random() * 100))
      ops.push(o)
    }
    const model = new KeyOrderModel(ops, { maxRequests, maxBytes })
    const inFlight: PlannedBatch[] = []
    // Even seeds push every write first, odd ones a few at a time between batches (as a stream does).
    let pushed = seed % 2 === 0 ? ops.length : 0
    if (pushed === ops.length) ops.forEach((o) => planner.push(o))
    while (pushed < ops.length || planner.pending > 0 || inFlight.length > 0) {
      const more = ops.slice(pushed, pushed + Math.floor(random() * 40))
      more.forEach((o) => planner.push(o))
      pushed += more.length
      const maxInFlight = 1 + Math.floor(random() * 6)
      while (inFlight.length < maxInFlight) {
        const b = planner.next()
        if (b === undefined) break
        for (const problem of model.send(b)) t.fail(`seed ${seed}: ${problem}`)
        if (b.entries.length > 1) multi++
        if (b.entries.some((e) => e.covers.length > 1)) merged++
        if (b.kind === 'update') updates++
        if (b.entries.length < maxRequests && b.bytes > maxBytes - 2500) byteBound++
        inFlight.push(b)
      }
      if (inFlight.length === 0) {
        if (pushed < ops.length) continue
        t.fail(`seed ${seed}: ${planner.pending} ops pending and nothing can go`)
        break
      }
      const done = inFlight.splice(Math.floor(random() * inFlight.length), 1)[0] as PlannedBatch
      for (const problem of model.complete(done)) t.fail(`seed ${seed}: ${problem}`)
      planner.release(done)
    }
    t.same(model.finish(), [], `seed ${seed}: every record settled once, each key ends at its last write`)
  }
  t.ok(multi >= 500, `batches really hold many requests (${multi} with more than one)`)
  t.ok(merged >= 100, `a key twice in a pass merges into one request (${merged} batches)`)
  t.ok(byteBound >= 100, `the byte budget, not the request count, closes batches (${byteBound})`)
  t.ok(updates >= 100, `updates go alone (${updates})`)
})
