import t from 'tap'
import { Readable } from 'node:stream'
import { take, type TakeEnd } from '../../../src/cli/support/flow.js'
import { collect } from '../../helpers/collect.js'

t.test('take yields every record and reports the end of the stream', async (t) => {
  let why: TakeEnd | undefined
  t.same(await collect(take<number>(Readable.from([1, 2, 3]), { signal: new AbortController().signal }, (w) => { why = w })), [1, 2, 3])
  t.equal(why, 'end')
})

t.test('take stops after maxRecords without destroying the stream', async (t) => {
  const src = Readable.from([1, 2, 3, 4, 5])
  let why: TakeEnd | undefined
  t.same(await collect(take<number>(src, { signal: new AbortController().signal, maxRecords: 2 }, (w) => { why = w })), [1, 2])
  t.equal(why, 'max')
  t.notOk(src.destroyed, 'the caller decides when to destroy')
})

t.test('take stops when the signal aborts while waiting for a record', async (t) => {
  const src = new Readable({ objectMode: true, read () {} })
  src.push(1)
  const ac = new AbortController()
  let why: TakeEnd | undefined
  setTimeout(() => ac.abort(), 50)
  t.same(await collect(take<number>(src, { signal: ac.signal }, (w) => { why = w })), [1])
  t.equal(why, 'stopped')
  src.destroy()
})

t.test('take stops after idleMs without a record, the timer re-armed by each record', async (t) => {
  const src = new Readable({ objectMode: true, read () {} })
  let n = 0
  const timer = setInterval(() => { if (n < 3) src.push(++n) }, 30)
  let why: TakeEnd | undefined
  const started = Date.now()
  t.same(await collect(take<number>(src, { signal: new AbortController().signal, idleMs: 200 }, (w) => { why = w })), [1, 2, 3])
  clearInterval(timer)
  t.equal(why, 'idle')
  t.ok(Date.now() - started >= 250, 'it waited for the idle time after the last record')
  src.destroy()
})

t.test('take passes a stream error through', async (t) => {
  const src = new Readable({ objectMode: true, read () { this.destroy(new Error('scan failed')) } })
  await t.rejects(collect(take(src, { signal: new AbortController().signal })), /scan failed/)
})
