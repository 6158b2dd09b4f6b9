import t from 'tap'
import { RateLimiter, planRate } from '../../../src/writable/rate-limit.js'

t.test('no rate (0) means no limiter', async (t) => {
  t.equal(planRate(0, 0, 25), undefined)
  const limiter = new RateLimiter(undefined, 25)
  t.equal(limiter.maxWeight, 25)
  await limiter.take(25)
})

t.test('tokens drip about every 50 ms so the rate is smooth', async (t) => {
  const plan = planRate(200, 0, 25)
  t.same(plan, { reservoir: 25, increaseAmount: 10, increaseInterval: 47.5, heartbeat: 5, maximum: 34, maxWeight: 25 })
  const slow = planRate(2, 0, 25)
  t.equal(slow?.increaseAmount, 1)
  t.equal(slow?.heartbeat, 25)
  t.equal(slow?.increaseInterval, 487.5)
})

t.test('a burst below the batch size caps the request size so no job outweighs the reservoir', async (t) => {
  const plan = planRate(100, 10, 25)
  t.equal(plan?.maxWeight, 10)
  t.equal(plan?.maximum, 14, 'one request plus one drip, so no token is discarded')
  t.ok((plan?.maxWeight ?? Infinity) <= (plan?.maximum ?? 0))
  const big = planRate(100, 500, 25)
  t.equal(big?.maxWeight, 25)
  t.equal(big?.maximum, 500)
  t.equal(big?.reservoir, 500, 'the first burst is available at once')
})

t.test('every weight up to the cap gets through bottleneck (none waits forever)', async (t) => {
  for (const [perSecond, burst] of [[1000, 0], [1000, 3], [1000, 40]] as const) {
    const limiter = new RateLimiter(planRate(perSecond, burst, 25), 25)
    const jobs = []
    for (let w = 1; w <= limiter.maxWeight; w++) jobs.push(limiter.take(w))
    const outcome = await Promise.race([Promise.all(jobs).then(() => 'done'), new Promise((resolve) => setTimeout(resolve, 3000, 'hung'))])
    t.equal(outcome, 'done', `perSecond ${perSecond} burst ${burst}`)
    await t.rejects(limiter.take(limiter.maxWeight + 1), RangeError)
    await limiter.stop()
  }
})

t.test('425 items at 400/s take about a second (the first 25 are the burst)', async (t) => {
  const limiter = new RateLimiter(planRate(400, 0, 25), 25)
  const started = Date.now()
  for (let i = 0; i < 17; i++) await limiter.take(25)
  const ms = Date.now() - started
  t.ok(ms >= 900 && ms <= 2000, `took ${ms} ms (no faster than the rate; a loaded machine may add some)`)
  await limiter.stop()
})

t.test('a waiting take rejects with an AbortError when its signal aborts', async (t) => {
  const limiter = new RateLimiter(planRate(1, 0, 25), 25)
  await limiter.take(25)
  const ac = new AbortController()
  const waiting = limiter.take(25, ac.signal)
  setTimeout(() => ac.abort(), 20)
  await t.rejects(waiting, { name: 'AbortError', code: 'ABORT_ERR' })
  await t.rejects(limiter.take(1, ac.signal), { name: 'AbortError' })
  await limiter.stop()
})
