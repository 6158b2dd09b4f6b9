import t from 'tap'
import { Readable, PassThrough } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { batch } from '../../../src/transforms/index.js'
import { collect } from '../../helpers/collect.js'

t.test('groups records into arrays of at most size, the last one partial', async (t) => {
  t.same(await collect(Readable.from([1, 2, 3, 4, 5, 6, 7]).pipe(batch({ size: 3 }))), [[1, 2, 3], [4, 5, 6], [7]])
})

t.test('accepts the seed settings verbatim', async (t) => {
  t.same(await collect(Readable.from([1, 2, 3]).pipe(batch({ 'sdk.batch.size': '2', 'sdk.batch.delay': '1s' }))), [[1, 2], [3]])
})

t.test('emits a partial batch once its first record has waited delay', async (t) => {
  const src = new PassThrough({ objectMode: true })
  const b = src.pipe(batch({ size: 100, delay: '50ms' }))
  const seen: Array<{ at: number, batch: unknown }> = []
  const start = Date.now()
  b.on('data', (x) => seen.push({ at: Date.now() - start, batch: x }))
  src.write(1); src.write(2)
  await sleep(150)
  t.same(seen.map((s) => s.batch), [[1, 2]], 'the partial batch left without more input')
  t.ok((seen[0]?.at ?? 0) >= 40, `not before the delay (${seen[0]?.at} ms)`)
  src.write(3)
  src.end()
  await new Promise((resolve) => b.on('end', resolve))
  t.same(seen.map((s) => s.batch), [[1, 2], [3]])
})

t.test('with only a delay, batches have no size limit', async (t) => {
  t.same(await collect(Readable.from([1, 2, 3, 4]).pipe(batch({ delay: 1000 }))), [[1, 2, 3, 4]])
})

t.test('without size and delay every record is its own batch', async (t) => {
  t.same(await collect(Readable.from(['a', 'b']).pipe(batch())), [['a'], ['b']])
})

t.test('empty input gives no batches', async (t) => {
  t.same(await collect(Readable.from([]).pipe(batch({ size: 5 }))), [])
})

t.test('destroying a batcher with a pending delay clears its timer', async (t) => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  const before = timers()
  const b = batch({ size: 10, delay: 60_000 })
  b.write(1)
  t.equal(timers(), before + 1, 'the delay timer is armed')
  b.destroy()
  await new Promise((resolve) => b.on('close', resolve))
  t.equal(timers(), before, 'and gone after destroy')
})

t.test('rejects a bad size or delay with the setting named', async (t) => {
  t.throws(() => batch({ 'sdk.batch.size': '-1' }), { code: 'ERR_DDB_INVALID_OPTION', message: /sdk.batch.size/ })
  t.throws(() => batch({ 'sdk.batch.delay': 'soon' }), { code: 'ERR_DDB_INVALID_OPTION', message: /sdk.batch.delay/ })
})
