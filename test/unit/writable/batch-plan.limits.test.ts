import t from 'tap'
import { BatchPlanner, MAX_BATCH_BYTES, MAX_BATCH_REQUESTS } from '../../../src/writable/batch-plan.js'
import { toWriteOp, type WriteOp } from '../../../src/writable/write-op.js'
import { createRecord } from '../../../src/model/record.js'
import type { KeySchema } from '../../../src/writable/key-schema.js'

const schema: KeySchema = { hash: { name: 'id', type: 'S' } }
let seq = 0
function put (id: string, pad = 0): WriteOp {
  const i = seq++
  return toWriteOp(createRecord({ position: `p${i}`, operation: 'create', key: { id }, after: { pad: 'x'.repeat(pad) } }), i, schema)
}

t.test('a batch never holds more than 25 requests', async (t) => {
  const planner = new BatchPlanner()
  for (let i = 0; i < 60; i++) planner.push(put(`k${i}`))
  const sizes: number[] = []
  for (let b = planner.next(); b !== undefined; b = planner.next()) sizes.push(b.entries.length)
  t.same(sizes, [25, 25, 10])
  t.equal(MAX_BATCH_REQUESTS, 25)
})

t.test('a smaller batch size and a per-call cap are honoured, never above 25', async (t) => {
  const planner = new BatchPlanner({ maxRequests: 10 })
  for (let i = 0; i < 30; i++) planner.push(put(`k${i}`))
  t.equal(planner.next()?.entries.length, 10)
  t.equal(planner.next(3)?.entries.length, 3)
  t.equal(planner.next(100)?.entries.length, 10)
  t.equal(new BatchPlanner({ maxRequests: 99 }).next(), undefined)
  const big = new BatchPlanner({ maxRequests: 99 })
  for (let i = 0; i < 30; i++) big.push(put(`b${i}`))
  t.equal(big.next()?.entries.length, 25)
  t.throws(() => new BatchPlanner({ maxRequests: 0 }), { name: 'RangeError', message: 'maxRequests must be at least 1' })
})

t.test('a batch stays within the byte limit and the rest waits for the next one', async (t) => {
  const planner = new BatchPlanner({ maxBytes: 1000 })
  const ops = [put('a', 400), put('b', 400), put('c', 400), put('d', 10)]
  ops.forEach((op) => planner.push(op))
  const first = planner.next()
  t.ok(first !== undefined && first.bytes <= 1000)
  t.same(first?.entries.map((e) => e.op.keyId), [ops[0]?.keyId, ops[1]?.keyId, ops[3]?.keyId], 'a small later item still fits')
  t.equal(first?.bytes, (ops[0]?.size ?? 0) + (ops[1]?.size ?? 0) + (ops[3]?.size ?? 0))
  t.same(planner.next()?.entries.map((e) => e.op.keyId), [ops[2]?.keyId])
  t.equal(MAX_BATCH_BYTES, 16 * 1024 * 1024)
})

t.test('items filling the byte limit exactly share one batch; one byte more does not fit', async (t) => {
  const a = put('a', 300)
  const b = put('b', 300)
  const exact = new BatchPlanner({ maxBytes: a.size + b.size })
  ;[a, b].forEach((op) => exact.push(op))
  t.equal(exact.next()?.entries.length, 2)
  const short = new BatchPlanner({ maxBytes: a.size + b.size - 1 })
  ;[a, b].forEach((op) => short.push(op))
  t.equal(short.next()?.entries.length, 1)
})

t.test('an item bigger than the byte limit still goes out, alone', async (t) => {
  const planner = new BatchPlanner({ maxBytes: 100 })
  planner.push(put('a', 500))
  planner.push(put('b', 500))
  t.equal(planner.next()?.entries.length, 1)
  t.equal(planner.next()?.entries.length, 1)
  t.equal(planner.next(), undefined)
})

t.test('an empty planner yields nothing and drain returns what was never handed out', async (t) => {
  const planner = new BatchPlanner()
  t.equal(planner.next(), undefined)
  t.equal(planner.pending, 0)
  const a = put('a')
  planner.push(a)
  t.equal(planner.pending, 1)
  t.same(planner.drain(), [a])
  t.equal(planner.pending, 0)
})

t.test('writes pushed after earlier ones were handed out still go out, and drain skips what was handed out', async (t) => {
  const planner = new BatchPlanner()
  const a1 = put('a')
  planner.push(a1)
  const first = planner.next()
  t.same(first?.entries.map((e) => e.op), [a1])
  const b = put('b')
  planner.push(b)
  t.same(planner.next()?.entries.map((e) => e.op), [b], 'a write pushed after the queue emptied')
  const a2 = put('a')
  const c = put('c')
  planner.push(a2)
  planner.push(c)
  t.same(planner.next()?.entries.map((e) => e.op), [c], 'a2 waits for a1')
  t.equal(planner.pending, 1)
  t.same(planner.drain(), [a2], 'only the write never handed out, no holes')
})

t.test('after a drain, keys still in flight hold back new writes, which go out once released', async (t) => {
  const planner = new BatchPlanner()
  planner.push(put('a'))
  const first = planner.next()
  planner.push(put('x'))
  t.equal(planner.drain().length, 1)
  const a2 = put('a')
  const b = put('b')
  planner.push(a2)
  planner.push(b)
  t.same(planner.next()?.entries.map((e) => e.op), [b])
  t.equal(planner.next(), undefined)
  if (first !== undefined) planner.release(first)
  t.same(planner.next()?.entries.map((e) => e.op), [a2])
})
