import t from 'tap'
import { EventEmitter } from 'node:events'
import { stallStep, type StallSample, type StallState, type StallStep, type StallWork } from '../../../src/metrics/stall.js'
import { watchStalls } from '../../../src/metrics/stall-watch.js'

const idle: StallWork = { phase: 'cdc', waiting: 0, unacked: 0, inFlight: 0, shards: [], segments: [] }
const work = (w: Partial<StallWork>): StallWork => ({ ...idle, ...w })

/** Feeds samples at the given times (the injected clock) and collects every step. */
function run (timeout: number, samples: Array<[number, StallSample]>): StallStep[] {
  let state: StallState | undefined
  return samples.map(([now, sample]) => {
    const step = stallStep(state, sample, now, timeout, 'source (table t)')
    state = step.state
    return step
  })
}

t.test('reports a stall once when work is pending and nothing moves for the timeout', (t) => {
  const stuck = { moved: 7, work: work({ phase: 'snapshot', waiting: 2000, segments: [1, 3] }) }
  const steps = run(1000, [[0, stuck], [500, stuck], [999, stuck], [1000, stuck], [5000, stuck], [9000, stuck]])
  t.same(steps.map((s) => s.stall !== undefined), [false, false, false, true, false, false], 'exactly once, at the timeout')
  const report = steps[3]?.stall
  t.equal(report?.idleMs, 1000)
  t.equal(report?.phase, 'snapshot')
  t.same(report?.segments, [1, 3])
  t.equal(report?.message, 'source (table t) stalled: nothing moved for 1s in the snapshot phase; 2000 records waiting for the consumer to read them; segments 1, 3 not done')
  t.end()
})

t.test('movement restarts the clock', (t) => {
  const at = (moved: number): StallSample => ({ moved, work: work({ waiting: 5 }) })
  const steps = run(1000, [[0, at(1)], [900, at(2)], [1800, at(3)], [2700, at(3)], [3600, at(3)]])
  t.same(steps.map((s) => s.stall !== undefined), [false, false, false, false, true], 'only 1000 ms after the last move (at 1800)')
  t.end()
})

t.test('nothing pending is idle, not a stall, however long it lasts', (t) => {
  const quiet = { moved: 0, work: idle }
  const steps = run(1000, [[0, quiet], [10_000, quiet], [1_000_000, quiet]])
  t.same(steps.filter((s) => s.stall !== undefined), [])
  t.end()
})

t.test('the clock starts when work becomes pending, not at the last movement before an idle spell', (t) => {
  const steps = run(1000, [[0, { moved: 3, work: idle }], [60_000, { moved: 3, work: idle }], [60_500, { moved: 3, work: work({ shards: ['s1'] }) }], [60_900, { moved: 3, work: work({ shards: ['s1'] }) }]])
  t.same(steps.map((s) => s.stall !== undefined), [false, false, false, false])
  t.end()
})

t.test('recovers once when it moves again, and can stall again later', (t) => {
  const w = work({ phase: 'write', waiting: 10, inFlight: 2 })
  const steps = run(1000, [[0, { moved: 0, work: w }], [1000, { moved: 0, work: w }], [2500, { moved: 4, work: w }], [2600, { moved: 4, work: w }], [3600, { moved: 4, work: w }]])
  t.ok(steps[1]?.stall, 'stalled')
  t.match(steps[1]?.stall?.message, /10 records waiting to be written; 2 writes in flight/)
  t.equal(steps[2]?.recovered?.stalledMs, 2500)
  t.equal(steps[2]?.recovered?.message, 'source (table t) recovered: moving again after 2s')
  t.notOk(steps[3]?.recovered, 'recovered once')
  t.ok(steps[4]?.stall, 'a second stall is reported')
  t.end()
})

t.test('work that goes away without movement also ends the stall', (t) => {
  const steps = run(100, [[0, { moved: 0, work: work({ unacked: 3 }) }], [100, { moved: 0, work: work({ unacked: 3 }) }], [150, { moved: 0, work: idle }]])
  t.ok(steps[1]?.stall)
  t.match(steps[2]?.recovered?.message, /nothing pending any more/)
  t.end()
})

t.test('timeout 0 never reports', (t) => {
  const stuck = { moved: 0, work: work({ waiting: 1 }) }
  t.same(run(0, [[0, stuck], [1e9, stuck]]).filter((s) => s.stall !== undefined), [])
  t.end()
})

t.test('the message names shards, unacked records and the note; long lists are cut', (t) => {
  const steps = run(10, [[0, { moved: 0, work: work({ unacked: 1000, shards: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }) }], [10, { moved: 0, work: work({ unacked: 1000, shards: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }) }]])
  t.match(steps[1]?.stall?.message, /1000 records emitted and not acknowledged; shards a, b, c, d, e and 2 more with more data/)
  const noted = stallStep({ moved: 0, since: 0, stalled: false }, { moved: 0, work: work({ unacked: 5 }) }, 300_000, 300_000, 'x', 'paused at maxUnacked')
  t.match(noted.stall?.message, /nothing moved for 5m0s .* \(paused at maxUnacked\)$/)
  t.end()
})

t.test('watchStalls emits stall and recovered on the stream (injected clock)', async (t) => {
  const stream = new EventEmitter()
  let now = 0
  let sample: StallSample = { moved: 0, work: work({ waiting: 1 }) }
  const events: string[] = []
  stream.on('stall', (r) => events.push('stall ' + String(r.waiting)))
  stream.on('recovered', () => events.push('recovered'))
  const watch = watchStalls(stream, { component: 'c', timeoutMs: 50, sample: () => sample, now: () => now })
  t.teardown(watch.stop)
  const until = async (n: number): Promise<void> => { for (let i = 0; i < 500 && events.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 10)) }
  await new Promise((resolve) => setTimeout(resolve, 50)) // a few ticks at time 0
  t.same(events, [], 'no stall while the clock stands')
  now = 1000
  await until(1)
  t.same(events, ['stall 1'])
  sample = { moved: 1, work: work({ waiting: 1 }) }
  await until(2)
  t.same(events, ['stall 1', 'recovered'])
})
