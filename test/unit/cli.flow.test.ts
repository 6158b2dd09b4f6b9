import t from 'tap'
import { Readable, Writable } from 'node:stream'
import { drainInto, take, type TakeEnd } from '../../src/cli/flow.js'

async function collect<T> (it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

function sink (delayMs = 0): Writable & { got: number[] } {
  const got: number[] = []
  const w = new Writable({
    objectMode: true,
    highWaterMark: 2,
    write (chunk: number, _e, cb) { setTimeout(() => { got.push(chunk); cb() }, delayMs) }
  })
  return Object.assign(w, { got })
}

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

t.test('drainInto writes everything with backpressure, ends and waits for the writable to finish', async (t) => {
  const w = sink(1)
  await drainInto(Readable.from([1, 2, 3, 4, 5, 6, 7, 8]), w)
  t.same(w.got, [1, 2, 3, 4, 5, 6, 7, 8])
  t.ok(w.writableFinished)
})

t.test('drainInto flushes what was accepted when the records fail, then rejects', async (t) => {
  const w = sink(5)
  async function * failing (): AsyncGenerator<number> { yield 1; yield 2; throw new Error('bad line 3') }
  await t.rejects(drainInto(failing(), w), /bad line 3/)
  t.same(w.got, [1, 2], 'records before the failure were written')
  t.ok(w.writableFinished)
})

t.test('drainInto rejects when the writable fails', async (t) => {
  const w = new Writable({ objectMode: true, highWaterMark: 1, write (_c, _e, cb) { cb(new Error('throttled for good')) } })
  await t.rejects(drainInto(Readable.from([1, 2, 3]), w), /throttled for good/)
})
