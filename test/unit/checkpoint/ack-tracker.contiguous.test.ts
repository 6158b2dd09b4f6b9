import t from 'tap'
import { ContiguousTracker } from '../../../src/checkpoint/tracker.js'
import { rng } from '../../helpers/random.js'

t.test('the frontier is the last point of the acknowledged prefix of each lane', async (t) => {
  const tr = new ContiguousTracker<string>()
  const a = tr.track('s0', 'a')
  const b = tr.track('s0', 'b')
  const x = tr.track('s1', 'x')
  t.same([a, b, x], [0, 1, 0], 'sequence numbers count per lane')
  t.equal(tr.frontier('s0'), undefined)
  t.notOk(tr.ack('s0', b), 'b out of order does not move the frontier')
  t.equal(tr.pending('s0'), 2)
  t.ok(tr.ack('s0', a))
  t.equal(tr.frontier('s0'), 'b')
  t.equal(tr.frontier('s1'), undefined, 'lanes are independent')
  t.equal(tr.pending(), 1)
  t.same(tr.lanes(), ['s0', 's1'])
})

t.test('acknowledging twice is harmless', async (t) => {
  const tr = new ContiguousTracker<number>()
  tr.track('s', 1)
  tr.track('s', 2)
  t.ok(tr.ack('s', 0))
  t.notOk(tr.ack('s', 0))
  t.ok(tr.ack('s', 1))
  t.notOk(tr.ack('s', 1), 'also once the lane is empty')
  t.equal(tr.frontier('s'), 2)
})

t.test('acknowledging a point never tracked is an error, even on an empty lane', async (t) => {
  const tr = new ContiguousTracker<number>()
  t.throws(() => tr.ack('nope', 0), RangeError)
  tr.track('s', 1)
  t.throws(() => tr.ack('s', 1), /untracked point 1 of lane s/)
  tr.ack('s', 0)
  t.throws(() => tr.ack('s', 5), /untracked point 5/)
  t.throws(() => tr.ack('s', -1), /untracked point -1/)
})

t.test('a long lane acknowledged in reverse order moves the frontier once, to the end', async (t) => {
  const tr = new ContiguousTracker<number>()
  for (let i = 0; i < 10_000; i++) tr.track('s', i)
  let moves = 0
  for (let i = 9_999; i >= 0; i--) if (tr.ack('s', i)) moves++
  t.equal(moves, 1)
  t.equal(tr.frontier('s'), 9_999)
  t.equal(tr.pending('s'), 0)
})

t.test('errors name the lane and the point; unknown lanes have no frontier and nothing pending', async (t) => {
  const tr = new ContiguousTracker<number>()
  t.throws(() => tr.ack('nope', 0), { name: 'RangeError', message: 'ack for unknown lane nope' })
  tr.track('s', 10)
  t.throws(() => tr.ack('s', 0.5), { message: 'ack for untracked point 0.5 of lane s' })
  t.throws(() => tr.ack('s', Number.NaN), RangeError)
  t.equal(tr.pending('other'), 0)
  t.equal(tr.frontier('other'), undefined)
  t.same(tr.lanes(), ['s'])
  t.equal(tr.pending(), 1)
})

t.test('random acks in random order: the frontier is always the end of the acknowledged prefix (an independent model)', async (t) => {
  const r = rng(7)
  for (let round = 0; round < 50; round++) {
    const tr = new ContiguousTracker<string>()
    const acked = new Map<string, boolean[]>()
    const todo: Array<[string, number]> = []
    let bad = 0
    for (let i = 0; i < 200; i++) {
      const lane = `l${Math.floor(r() * 3)}`
      const list = acked.get(lane) ?? []
      acked.set(lane, list)
      if (tr.track(lane, `${lane}:${list.length}`) !== list.length) bad++
      list.push(false)
      todo.push([lane, list.length - 1])
    }
    while (todo.length > 0) {
      const [lane, seq] = todo.splice(Math.floor(r() * todo.length), 1)[0] as [string, number]
      const list = acked.get(lane) as boolean[]
      const before = list.indexOf(false)
      list[seq] = true
      const prefix = list.indexOf(false) === -1 ? list.length : list.indexOf(false)
      if (tr.ack(lane, seq) !== (prefix > before)) bad++
      if (tr.frontier(lane) !== (prefix === 0 ? undefined : `${lane}:${prefix - 1}`)) bad++
      if (tr.pending(lane) !== list.length - prefix) bad++
      if (tr.ack(lane, seq)) bad++
    }
    t.equal(bad, 0, `round ${round}: sequence numbers, frontier, pending and moves match the model`)
    t.equal(tr.pending(), 0)
  }
})
