import t from 'tap'
import { BatchPlanner } from '../../../src/writable/batch-plan.js'
import { toWriteOp, type WriteOp } from '../../../src/writable/write-op.js'
import { PreciseNumber, createRecord, type Operation, type StructuredData } from '../../../src/model/record.js'
import type { KeySchema } from '../../../src/writable/key-schema.js'

const composite: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } }
let seq = 0
function op (key: StructuredData, operation: Operation = 'create', schema: KeySchema = composite, mode: 'put' | 'patch' = 'put'): WriteOp {
  const i = seq++
  return toWriteOp(createRecord({ position: `p${i}`, operation, key, before: { v: -1 }, after: { v: i } }), i, schema, mode)
}

t.test('one key appears at most once per batch and the last operation wins', async (t) => {
  const planner = new BatchPlanner()
  const a1 = op({ pk: 'a', sk: 1 })
  const b = op({ pk: 'b', sk: 1 })
  const a2 = op({ pk: 'a', sk: 1 }, 'update')
  const a3 = op({ pk: 'a', sk: 1 }, 'delete')
  ;[a1, b, a2, a3].forEach((o) => planner.push(o))
  const batch = planner.next()
  t.equal(batch?.entries.length, 2)
  const entryA = batch?.entries.find((e) => e.op.keyId === a1.keyId)
  t.equal(entryA?.op, a3, 'the delete, last, is what is sent')
  t.same(entryA?.covers, [a1, a2, a3], 'and it settles the records it overwrote, in order')
  t.equal(planner.pending, 0)
})

t.test('the full primary key counts: same partition key, other sort key, is another item', async (t) => {
  const planner = new BatchPlanner()
  planner.push(op({ pk: 'a', sk: 1 }))
  planner.push(op({ pk: 'a', sk: 2 }))
  t.equal(planner.next()?.entries.length, 2)
})

t.test('numbers that DynamoDB stores as one value are one key (1.50, 1.5, 15e-1)', async (t) => {
  const planner = new BatchPlanner()
  planner.push(op({ pk: 'a', sk: new PreciseNumber('1.50') }))
  planner.push(op({ pk: 'a', sk: 1.5 }))
  planner.push(op({ pk: 'a', sk: new PreciseNumber('15e-1') }))
  const batch = planner.next()
  t.equal(batch?.entries.length, 1)
  t.equal(batch?.entries[0]?.covers.length, 3)
})

t.test('binary keys with equal bytes are one key; a string with the same text is not a binary', async (t) => {
  const bin: KeySchema = { hash: { name: 'id', type: 'B' } }
  const str: KeySchema = { hash: { name: 'id', type: 'S' } }
  const planner = new BatchPlanner()
  planner.push(op({ id: Buffer.from('xy') }, 'create', bin))
  planner.push(op({ id: new Uint8Array([0x78, 0x79]) }, 'create', bin))
  planner.push(op({ id: 'eHk=' }, 'create', str))
  t.equal(planner.next()?.entries.length, 2)
})

t.test('a later write replacing one already in a full batch still merges into it', async (t) => {
  const planner = new BatchPlanner({ maxRequests: 2 })
  const a = op({ pk: 'a', sk: 1 })
  const b = op({ pk: 'b', sk: 1 })
  const a2 = op({ pk: 'a', sk: 1 })
  ;[a, b, a2].forEach((o) => planner.push(o))
  const batch = planner.next()
  t.same(batch?.entries.map((e) => e.op), [a2, b])
  t.equal(planner.pending, 0)
})
