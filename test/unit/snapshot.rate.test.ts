import t from 'tap'
import { DebtBucket } from '../../src/readable/rate.js'

t.test('an unlimited bucket never waits', async (t) => {
  const b = new DebtBucket(0, 0)
  b.spend(1e9, 0)
  t.equal(b.delay(0), 0)
})

t.test('spending beyond the budget makes the next call wait until the debt is repaid', async (t) => {
  const b = new DebtBucket(100, 0)
  t.equal(b.delay(0), 0, 'starts with one second of budget')
  b.spend(100, 0)
  t.equal(b.delay(0), 0, 'exactly spent: no debt')
  b.spend(50, 0)
  t.equal(b.delay(0), 500, '50 items over at 100/s: wait 500 ms')
  t.equal(b.delay(250), 250, 'half repaid after 250 ms')
  t.equal(b.delay(500), 0, 'repaid')
})

t.test('idle time refills at most one second of budget', async (t) => {
  const b = new DebtBucket(10, 0)
  b.spend(10, 0)
  b.spend(25, 60_000)
  t.equal(b.delay(60_000), 1_500, 'a minute idle still leaves only 10 tokens')
})

t.test('a page far bigger than the rate is paid over several seconds', async (t) => {
  const b = new DebtBucket(200, 0)
  b.spend(1_200, 0)
  t.equal(b.delay(0), 5_000)
  t.equal(b.delay(5_000), 0)
})
