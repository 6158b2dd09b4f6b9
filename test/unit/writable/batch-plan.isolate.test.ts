import t from 'tap'
import { BatchPlanner, type PlannedBatch } from '../../../src/writable/batch-plan.js'
import { isItemRejection, isolate } from '../../../src/writable/isolate.js'
import { toWriteOp, type WriteOp } from '../../../src/writable/write-op.js'
import { createRecord } from '../../../src/model/record.js'
import type { KeySchema } from '../../../src/writable/key-schema.js'

const schema: KeySchema = { hash: { name: 'id', type: 'S' } }
let seq = 0
function op (id: string, v: string | number = seq): WriteOp {
  const i = seq++
  return toWriteOp(createRecord({ position: `p${i}`, operation: 'create', key: { id }, after: { v } }), i, schema)
}

// Runs the split plan against a pure stand-in for DynamoDB that refuses any request holding a bad op.
function bisect (batch: PlannedBatch, bad: (o: WriteOp) => boolean): { written: WriteOp[], culprits: WriteOp[], requests: PlannedBatch[] } {
  const written: WriteOp[] = []
  const culprits: WriteOp[] = []
  const requests: PlannedBatch[] = []
  const send = (b: PlannedBatch): void => {
    requests.push(b)
    if (!b.entries.some((e) => bad(e.op))) { written.push(...b.entries.flatMap((e) => e.covers)); return }
    const plan = isolate(b)
    if (plan.kind === 'split') { plan.parts.forEach(send); return }
    culprits.push(plan.op)
    if (plan.retry !== undefined) send(plan.retry)
  }
  send(batch)
  return { written, culprits, requests }
}

function planned (ops: WriteOp[]): PlannedBatch {
  const planner = new BatchPlanner()
  ops.forEach((o) => planner.push(o))
  return planner.next() as PlannedBatch
}

t.test('a rejected batch splits into halves holding every entry once, in order', async (t) => {
  const batch = planned(Array.from({ length: 25 }, (_, i) => op(`k${i}`)))
  const plan = isolate(batch)
  if (plan.kind !== 'split') throw new Error('expected a split')
  t.same(plan.parts.map((p) => p.entries.length), [13, 12])
  t.same([...plan.parts[0].entries, ...plan.parts[1].entries], batch.entries)
  t.equal(plan.parts[0].bytes + plan.parts[1].bytes, batch.bytes, 'the halves carry the bytes of their own entries')
})

t.test('bisection isolates exactly the culprits and writes every other op, wherever they sit', async (t) => {
  for (const badAt of [[0], [24], [12], [3, 17], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]]) {
    const ops = Array.from({ length: 25 }, (_, i) => op(`k${i}`, badAt.includes(i) ? 'bad' : i))
    const { written, culprits, requests } = bisect(planned(ops), (o) => o.item?.v?.S === 'bad')
    t.same(culprits, ops.filter((_, i) => badAt.includes(i)), `bad at ${badAt.join(',')}: the culprits`)
    t.same(written.sort((a, b) => a.index - b.index), ops.filter((_, i) => !badAt.includes(i)), 'every other op is written')
    t.ok(requests.length <= 2 * 25, `at most 2n requests (${requests.length})`)
    if (badAt.length === 1) t.ok(requests.length <= 1 + 2 * Math.ceil(Math.log2(25)), `one culprit costs about 2·log2(n) requests (${requests.length})`)
  }
})

t.test('a culprit that had overwritten earlier ops of its key lets those earlier ops be written', async (t) => {
  const a1 = op('a', 1)
  const a2 = op('a', 2)
  const a3 = op('a', 'bad')
  const b = op('b', 3)
  const batch = planned([a1, b, a2, a3])
  t.equal(batch.entries.length, 2, 'the planner merged the three writes of key a')
  const { written, culprits } = bisect(batch, (o) => o.item?.v?.S === 'bad')
  t.same(culprits, [a3])
  t.same(written.sort((x, y) => x.index - y.index), [a1, a2, b], 'a2 (and the a1 it settles) is written in a3\'s place')
})

t.test('only 400s about item content count as item rejections', async (t) => {
  const aws = (name: string, status: number): Error => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } })
  t.ok(isItemRejection(aws('ValidationException', 400)))
  t.ok(isItemRejection(aws('ItemCollectionSizeLimitExceededException', 400)))
  for (const name of ['ResourceNotFoundException', 'AccessDeniedException', 'UnrecognizedClientException', 'ProvisionedThroughputExceededException', 'ThrottlingException']) {
    t.notOk(isItemRejection(aws(name, 400)), name)
  }
  t.notOk(isItemRejection(aws('ValidationException', 500)), 'not a 400')
  t.notOk(isItemRejection(new Error('ValidationException')), 'no AWS metadata')
  t.notOk(isItemRejection(undefined))
})
