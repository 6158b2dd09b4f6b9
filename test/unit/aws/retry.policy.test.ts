import t from 'tap'
import { retry, retryDelay, retryPolicy, withinPolicy, DEFAULT_READ_RETRIES, READ_BASE_DELAY, READ_MAX_DELAY } from '../../../src/aws/retry.js'

const throttled = (): Error => Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })
const validation = (): Error => Object.assign(new Error('bad key'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })

t.test('the read defaults: 10 retries from 100 ms up to 10 s, no time budget, AWS classification', async (t) => {
  const p = retryPolicy()
  t.same([p.retries, p.baseDelay, p.maxDelay, p.budget], [DEFAULT_READ_RETRIES, READ_BASE_DELAY, READ_MAX_DELAY, Infinity])
  t.same([10, 100, 10_000], [DEFAULT_READ_RETRIES, READ_BASE_DELAY, READ_MAX_DELAY])
  t.equal(p.retryable(throttled()), true)
  t.equal(p.retryable(Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 503 } })), true)
  t.equal(p.retryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' })), true)
  t.equal(p.retryable(validation()), false)
  t.equal(p.retryable(Object.assign(new Error('stop'), { name: 'AbortError' })), false)
})

t.test('delays are full jitter under base·2^retry, capped at maxDelay', async (t) => {
  const top = retryPolicy({ baseDelay: 50, maxDelay: 1_000, random: () => 0.999999 })
  t.same([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelay(top, n)), [49, 99, 199, 399, 799, 999, 999])
  const bottom = retryPolicy({ random: () => 0 })
  t.equal(retryDelay(bottom, 7), 0)
  const half = retryPolicy({ baseDelay: 100, maxDelay: 10_000, random: () => 0.5 })
  t.equal(retryDelay(half, 2), 200)
})

t.test('a retry is allowed while under the count and while the wait fits in the budget', async (t) => {
  const p = retryPolicy({ retries: 3, budget: 1_000 })
  t.same([0, 1, 2, 3].map((n) => withinPolicy(p, n, 0, 0)), [true, true, true, false])
  t.equal(withinPolicy(p, 0, 900, 100), true)
  t.equal(withinPolicy(p, 0, 900, 101), false)
})

t.test('retry() retries retryable failures and returns the first success', async (t) => {
  let calls = 0
  const waits: number[] = []
  const out = await retry(retryPolicy({ retries: 5, random: () => 0 }), async () => {
    if (++calls < 4) throw throttled()
    return 'ok'
  }, new AbortController().signal, { onRetry: (_err, n, delay) => { waits.push(n, delay) } })
  t.equal(out, 'ok')
  t.equal(calls, 4)
  t.same(waits, [1, 0, 2, 0, 3, 0])
})

t.test('retry() gives up after retries + 1 attempts, through the exhausted hook', async (t) => {
  let calls = 0
  const err = await retry(retryPolicy({ retries: 2, random: () => 0 }), async () => { calls++; throw throttled() }, new AbortController().signal, {
    exhausted: (cause, { attempts }) => Object.assign(new Error(`gave up after ${attempts}`), { cause })
  }).catch((e: Error) => e)
  t.equal(calls, 3)
  t.equal(err.message, 'gave up after 3')
  t.equal((err.cause as Error).name, 'ThrottlingException')
})

t.test('retry() throws a final error at once, and nothing is retried with retries: 0', async (t) => {
  let calls = 0
  await t.rejects(retry(retryPolicy(), async () => { calls++; throw validation() }, new AbortController().signal), { name: 'ValidationException' })
  t.equal(calls, 1)
  calls = 0
  await t.rejects(retry(retryPolicy({ retries: 0 }), async () => { calls++; throw throttled() }, new AbortController().signal), { name: 'ThrottlingException' })
  t.equal(calls, 1)
})

t.test('retry() stops when the time budget cannot hold the next wait', async (t) => {
  let calls = 0
  await t.rejects(retry(retryPolicy({ retries: 100, budget: 5, baseDelay: 1_000, maxDelay: 1_000, random: () => 0.9 }), async () => { calls++; throw throttled() }, new AbortController().signal), { name: 'ThrottlingException' })
  t.equal(calls, 1)
})

t.test('retry() uses the policy classification, and an abort ends a wait with the reason', async (t) => {
  let calls = 0
  const custom = retryPolicy({ retryable: (e) => (e as Error).message === 'again', random: () => 0 })
  t.equal(await retry(custom, async () => { if (++calls === 1) throw new Error('again'); return calls }, new AbortController().signal), 2)
  const ac = new AbortController()
  const reason = new Error('cancelled')
  const pending = retry(retryPolicy({ baseDelay: 60_000, maxDelay: 60_000, random: () => 0.99 }), async () => { throw throttled() }, ac.signal)
  setImmediate(() => { ac.abort(reason) })
  await t.rejects(pending, reason)
})
