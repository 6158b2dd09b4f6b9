import t from 'tap'
import { pollDelay } from '../../../../src/readable/cdc/polling.js'

const policy = { base: 1000, max: 10_000, idlePolls: 3 }

t.test('polls again at once while pages carry records', async (t) => {
  t.equal(pollDelay(policy, 0, false), 0)
  t.equal(pollDelay(policy, 0, true), 0)
})

t.test('waits the records polling period after an empty page', async (t) => {
  for (const n of [1, 2, 3]) t.equal(pollDelay(policy, n, false), 1000)
})

t.test('backs off a long-idle shard, doubling up to the cap', async (t) => {
  t.same([4, 5, 6, 7, 8, 100, 5000].map((n) => pollDelay(policy, n, false)), [2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000])
})

t.test('never backs off a closing shard beyond the period: its children wait for its end', async (t) => {
  t.equal(pollDelay(policy, 50, true), 1000)
})

t.test('a cap below the period leaves the period in force', async (t) => {
  t.equal(pollDelay({ base: 1000, max: 500, idlePolls: 0 }, 9, false), 1000)
})
