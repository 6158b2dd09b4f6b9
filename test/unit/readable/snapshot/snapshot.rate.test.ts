import t from 'tap'
import { DebtBucket } from '../../../../src/readable/snapshot/rate.js'

t.test('an unlimited bucket never waits', async (t) => {
  const b = new DebtBucket(0, 0)
  t.equal(b.reserve(1e9, 0), 0)
  b.settle(0, 1e9, 0)
  t.equal(b.reserve(1, 0), 0)
})

t.test('a call starts at once while the bucket holds tokens; the debt it leaves delays the next', async (t) => {
  const b = new DebtBucket(100, 0)
  t.equal(b.reserve(100, 0), 0, 'starts with one second of budget')
  t.equal(b.reserve(50, 0), 0, 'an empty (not indebted) bucket does not wait')
  t.equal(b.reserve(10, 0), 500, '50 tokens of debt at 100/s: wait 500 ms')
  t.equal(b.reserve(10, 0), 600, 'the next caller queues behind')
})

t.test('settling charges what a call cost beyond its reservation, or refunds the rest', async (t) => {
  const b = new DebtBucket(100, 0)
  t.equal(b.reserve(0, 0), 0, 'capacity units are unknown before the first page')
  b.settle(0, 250, 0)
  t.equal(b.reserve(0, 0), 1_500, 'the page cost 250 of a 100 budget: 1.5 s of debt')
  const c = new DebtBucket(100, 0)
  c.reserve(200, 0)
  c.settle(200, 20, 0)
  t.equal(c.reserve(0, 0), 0, 'a page that read less gives its reservation back')
})

t.test('idle time refills at most one second of budget', async (t) => {
  const b = new DebtBucket(10, 0)
  b.reserve(10, 0)
  t.equal(b.reserve(25, 60_000), 0)
  t.equal(b.reserve(0, 60_000), 1_500, 'a minute idle still left only 10 tokens')
})

t.test('debt is repaid over time', async (t) => {
  const b = new DebtBucket(200, 0)
  b.reserve(1_200, 0)
  t.equal(b.reserve(0, 0), 5_000)
  t.equal(b.reserve(0, 2_500), 2_500)
  t.equal(b.reserve(0, 5_000), 0)
})
