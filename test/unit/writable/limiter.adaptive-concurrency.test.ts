import t from 'tap'
import { ConcurrencyController } from '../../../src/writable/concurrency.js'

/** Drives a controller against a simulated service whose request latency depends on the requests in flight. */
function simulate (ctl: ConcurrencyController, latencyAt: (inFlight: number) => number, ms: number, throttleAt = Infinity): number[] {
  const limits: number[] = []
  let now = 0
  while (now < ms) {
    const n = ctl.limit
    const latency = latencyAt(n)
    const started = now
    now += latency
    for (let i = 0; i < n; i++) ctl.record({ startedAt: started, now, items: 25, inFlight: n, throttled: n >= throttleAt })
    limits.push(ctl.limit)
  }
  return limits
}

t.test('starts at one request in flight', async (t) => {
  t.equal(new ConcurrencyController({ max: 16, adaptive: true }).limit, 1)
})

t.test('climbs to the cap while each step raises throughput', async (t) => {
  const ctl = new ConcurrencyController({ max: 8, adaptive: true })
  simulate(ctl, () => 10, 5_000)
  t.equal(ctl.limit, 8)
})

t.test('slow start: doubles while each step pays off, over short windows, so it is at 8 within 400 ms', async (t) => {
  const ctl = new ConcurrencyController({ max: 64, adaptive: true, windowMs: 250 })
  const limits = simulate(ctl, () => 10, 1_100)
  const steps = [...new Set(limits)]
  t.same(steps.slice(0, 4), [1, 2, 4, 8], `every step a doubling (${steps.join(', ')})`)
  t.ok(limits.indexOf(8) * 10 <= 400, `(shorter windows while doubling) 8 in flight after ${limits.indexOf(8) * 10} ms`)
})

t.test('after the first step that does not pay off it steps back and adds one at a time', async (t) => {
  const ctl = new ConcurrencyController({ max: 64, adaptive: true, cooldownMs: 100 })
  // Throughput grows up to 6 in flight, then latency grows in proportion: 8 still gains over 4, 16 does not.
  const limits = simulate(ctl, (n) => 10 * Math.max(1, n / 6), 20_000)
  const probe = limits.indexOf(16)
  const after = limits.slice(limits.findIndex((l, i) => i > probe && l < 16))
  t.ok(probe > 0 && after.length > 0 && after.every((l) => l <= 9), `once back from the probe at 16 it stays at ≤ 9 (max ${Math.max(...after)})`)
  t.ok(ctl.limit >= 6 && ctl.limit <= 9, `settled at ${ctl.limit}`)
})

t.test('stops where more requests only add latency', async (t) => {
  const ctl = new ConcurrencyController({ max: 16, adaptive: true, cooldownMs: 60_000 })
  // Throughput saturates at 4 in flight: beyond it latency grows in proportion.
  simulate(ctl, (n) => 10 * Math.max(1, n / 4), 5_000)
  t.ok(ctl.limit >= 3 && ctl.limit <= 5, `settled at ${ctl.limit}`)
})

t.test('a collapse under concurrency (DynamoDB Local, stream-enabled table) keeps it at one', async (t) => {
  const ctl = new ConcurrencyController({ max: 16, adaptive: true })
  const limits = simulate(ctl, (n) => (n === 1 ? 10 : 500), 60_000)
  t.equal(ctl.limit, 1)
  const share = limits.filter((l) => l === 1).length / limits.length
  t.ok(share > 0.9, `at one request in flight ${Math.round(share * 100)} % of the time`)
})

t.test('probes again after the cooldown and finds capacity that appeared', async (t) => {
  const ctl = new ConcurrencyController({ max: 8, adaptive: true, cooldownMs: 1_000 })
  let healthy = false
  const latency = (n: number): number => healthy ? 10 : (n === 1 ? 10 : 200)
  simulate(ctl, latency, 2_000)
  t.equal(ctl.limit, 1)
  healthy = true
  simulate(ctl, latency, 120_000)
  t.equal(ctl.limit, 8)
})

t.test('halves on throttling', async (t) => {
  const ctl = new ConcurrencyController({ max: 8, adaptive: true })
  simulate(ctl, () => 10, 5_000)
  t.equal(ctl.limit, 8)
  ctl.record({ startedAt: 1e9, now: 1e9 + 1, items: 0, inFlight: 8, throttled: true })
  t.equal(ctl.limit, 4)
  ctl.record({ startedAt: 1e9, now: 1e9 + 2, items: 0, inFlight: 8, throttled: true })
  t.equal(ctl.limit, 4, 'requests sent before the cut do not cut again')
  ctl.record({ startedAt: 1e9 + 1, now: 1e9 + 3, items: 0, inFlight: 4, throttled: true })
  t.equal(ctl.limit, 2)
  ctl.record({ startedAt: 1e9 + 3, now: 1e9 + 4, items: 0, inFlight: 2, throttled: true })
  ctl.record({ startedAt: 1e9 + 4, now: 1e9 + 5, items: 0, inFlight: 1, throttled: true })
  t.equal(ctl.limit, 1, 'never below one')
})

t.test('a service that throttles above 3 in flight is held at or below 3', async (t) => {
  const ctl = new ConcurrencyController({ max: 16, adaptive: true, cooldownMs: 1_000 })
  const limits = simulate(ctl, () => 10, 30_000, 4)
  t.ok(Math.max(...limits.slice(-50)) <= 4)
  t.ok(ctl.limit <= 3)
})

t.test('ignores samples of requests sent before the last change', async (t) => {
  const ctl = new ConcurrencyController({ max: 8, adaptive: true })
  simulate(ctl, () => 10, 200)
  const before = ctl.limit
  for (let i = 0; i < 100; i++) ctl.record({ startedAt: -1, now: 1e6, items: 0, inFlight: 1, throttled: false })
  t.equal(ctl.limit, before)
})

t.test('with adaptive off the limit is always the cap', async (t) => {
  const ctl = new ConcurrencyController({ max: 6, adaptive: false })
  simulate(ctl, (n) => (n === 1 ? 10 : 500), 5_000, 2)
  t.equal(ctl.limit, 6)
})
