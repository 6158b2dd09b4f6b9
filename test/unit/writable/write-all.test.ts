import t from 'tap'
import { Readable, Writable } from 'node:stream'
import { writeAll } from '../../../src/writable/write-all.js'

function sink (delayMs = 0): Writable & { got: number[] } {
  const got: number[] = []
  const w = new Writable({
    objectMode: true,
    highWaterMark: 2,
    write (chunk: number, _e, cb) { setTimeout(() => { got.push(chunk); cb() }, delayMs) }
  })
  return Object.assign(w, { got })
}

t.test('writeAll writes everything with backpressure, ends and waits for the writable to finish', async (t) => {
  const w = sink(1)
  await writeAll(Readable.from([1, 2, 3, 4, 5, 6, 7, 8]), w)
  t.same(w.got, [1, 2, 3, 4, 5, 6, 7, 8])
  t.ok(w.writableFinished)
})

t.test('writeAll flushes what was accepted when the records fail, then rejects', async (t) => {
  const w = sink(5)
  async function * failing (): AsyncGenerator<number> { yield 1; yield 2; throw new Error('bad line 3') }
  await t.rejects(writeAll(failing(), w), /bad line 3/)
  t.same(w.got, [1, 2], 'records before the failure were written')
  t.ok(w.writableFinished)
})

t.test('writeAll rejects when the writable fails', async (t) => {
  const w = new Writable({ objectMode: true, highWaterMark: 1, write (_c, _e, cb) { cb(new Error('throttled for good')) } })
  await t.rejects(writeAll(Readable.from([1, 2, 3]), w), /throttled for good/)
})
