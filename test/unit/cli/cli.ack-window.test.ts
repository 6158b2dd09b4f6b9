import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { AckWindow, defaultAckLag } from '../../../src/cli/support/ack-window.js'

function windowOf (lag: number): { w: AckWindow<string>, acked: string[] } {
  const acked: string[] = []
  return { w: new AckWindow<string>(lag, (item) => { acked.push(item) }), acked }
}

t.test('a line is acknowledged once lag bytes were written after it, in write order', async (t) => {
  const { w, acked } = windowOf(100)
  w.written('a', 10)
  w.written('b', 60)
  t.same(acked, [], '60 bytes after a: not yet')
  w.written('c', 39)
  t.same(acked, [], '99 bytes after a')
  w.written('d', 1)
  t.same(acked, ['a'], '100 bytes after a; b has only 40 behind it')
  w.written('e', 200)
  t.same(acked, ['a', 'b', 'c', 'd'], 'e is the only line still inside the window')
  t.equal(w.pending, 1)
  t.equal(w.bytes, 310)
})

t.test('a line bigger than the window releases everything before it, not itself', async (t) => {
  const { w, acked } = windowOf(50)
  w.written('a', 5)
  w.written('big', 1000)
  t.same(acked, ['a'])
  t.equal(w.pending, 1)
})

t.test('finish (the output ended without error) acknowledges the rest', async (t) => {
  const { w, acked } = windowOf(1000)
  for (const x of ['a', 'b', 'c']) w.written(x, 10)
  t.same(acked, [])
  w.finish()
  t.same(acked, ['a', 'b', 'c'])
  t.equal(w.pending, 0)
  w.finish()
  t.same(acked, ['a', 'b', 'c'], 'finishing twice acknowledges nothing twice')
})

t.test('an early close (no finish) never acknowledges a line inside the window', async (t) => {
  const { w, acked } = windowOf(4 * 1024 * 1024)
  for (let i = 0; i < 20_000; i++) w.written(`r${i}`, 300)
  // 6,000,000 bytes written: the lines in the last 4 MiB (13,981 of them, 300 bytes each) stay unacknowledged.
  const inWindow = Math.ceil(4 * 1024 * 1024 / 300)
  t.equal(acked.length, 20_000 - inWindow)
  t.equal(acked[acked.length - 1], `r${20_000 - inWindow - 1}`)
  t.equal(w.pending, inWindow)
})

t.test('lag 0 acknowledges each line as it is written (a regular file)', async (t) => {
  const { w, acked } = windowOf(0)
  w.written('a', 10)
  t.same(acked, ['a'])
  w.written('b', 0)
  t.same(acked, ['a', 'b'])
})

t.test('many lines through a small window keep their order across compactions', async (t) => {
  const { w, acked } = windowOf(10)
  for (let i = 0; i < 5000; i++) w.written(i.toString(), 1)
  t.equal(acked.length, 4990)
  t.ok(acked.every((x, i) => x === i.toString()))
  w.finish()
  t.equal(acked.length, 5000)
  t.equal(acked[4999], '4999')
})

t.test('the window must be a whole number of bytes', async (t) => {
  t.throws(() => new AckWindow(-1, () => {}), RangeError)
  t.throws(() => new AckWindow(1.5, () => {}), RangeError)
})

t.test('the default lag covers the largest pipe buffer plus 3 MiB for the reader', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ack-lag-'))
  const file = path.join(dir, 'pipe-max-size')
  writeFileSync(file, '1048576\n')
  t.equal(defaultAckLag(file), 4 * 1024 * 1024)
  writeFileSync(file, '16777216\n')
  t.equal(defaultAckLag(file), 19 * 1024 * 1024, 'a raised pipe-max-size widens the window')
  t.equal(defaultAckLag(path.join(dir, 'missing')), 4 * 1024 * 1024, 'no /proc: 1 MiB assumed')
})
