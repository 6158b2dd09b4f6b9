import t from 'tap'
import { Writable } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { ackOnWrite } from '../../../src/readable/ack.js'

const record = (n: number): { position: Buffer, n: number } => ({ position: Buffer.from(`p${n}`), n })

t.test('acknowledges each record once the destination write callback succeeds', async (t) => {
  const acked: string[] = []
  const done: number[] = []
  const dest = new Writable({
    objectMode: true,
    write (chunk: { n: number }, _enc, cb) { setTimeout(() => { done.push(chunk.n); t.equal(acked.length, chunk.n, 'not acknowledged before its callback'); cb() }, 1) }
  })
  await pipeline(Readable.from([record(0), record(1), record(2)]), ackOnWrite({ ack: (p) => { acked.push(Buffer.from(p as Uint8Array).toString()) } }, dest))
  t.same(acked, ['p0', 'p1', 'p2'])
  t.same(done, [0, 1, 2])
})

t.test('acknowledges every record of a writev batch after the batch callback', async (t) => {
  const acked: string[] = []
  let batches = 0
  const dest = new Writable({
    objectMode: true,
    write (_chunk, _enc, cb) { setTimeout(cb, 5) },
    writev (chunks, cb) { batches++; setTimeout(cb, 5) }
  })
  const wrapped = ackOnWrite({ ack: (p) => { acked.push(Buffer.from(p as Uint8Array).toString()) } }, dest)
  t.equal(wrapped, dest, 'returns the same Writable')
  for (const n of [0, 1, 2, 3, 4, 5]) wrapped.write(record(n))
  wrapped.end()
  await finished(wrapped)
  t.same(acked, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'])
  t.ok(batches > 0, 'writev was used')
})

t.test('does not acknowledge a record whose write failed', async (t) => {
  const acked: string[] = []
  const dest = new Writable({ objectMode: true, write (chunk: { n: number }, _enc, cb) { cb(chunk.n === 1 ? new Error('write failed') : null) } })
  await t.rejects(pipeline(Readable.from([record(0), record(1), record(2)]), ackOnWrite({ ack: (p) => { acked.push(Buffer.from(p as Uint8Array).toString()) } }, dest)), { message: 'write failed' })
  t.same(acked, ['p0'])
})

t.test('a chunk without a position fails the write instead of going unacknowledged', async (t) => {
  const dest = new Writable({ objectMode: true, write (_chunk, _enc, cb) { cb() } })
  await t.rejects(pipeline(Readable.from([{ n: 1 }]), ackOnWrite({ ack: () => {} }, dest)), { code: 'ERR_DDB_INVALID_ACK', message: /without a position Buffer/ })
})

t.test('pipeline() resolves only after the checkpoint the last acks produced is saved, and after the destination\'s own final', async (t) => {
  const events: string[] = []
  const dest = new Writable({
    objectMode: true,
    write (_chunk, _enc, cb) { setTimeout(cb, 1) },
    final (cb) { setTimeout(() => { events.push('destination final'); cb() }, 10) }
  })
  const source = {
    ack: () => { events.push('ack') },
    flushCheckpoint: async () => { await new Promise((resolve) => setTimeout(resolve, 30)); events.push('checkpoint saved') }
  }
  await pipeline(Readable.from([record(0), record(1)]), ackOnWrite(source, dest))
  events.push('pipeline resolved')
  t.same(events, ['ack', 'ack', 'destination final', 'checkpoint saved', 'pipeline resolved'])
})

t.test('a failed checkpoint save at the end fails the pipeline instead of passing unnoticed', async (t) => {
  const dest = new Writable({ objectMode: true, write (_chunk, _enc, cb) { cb() } })
  const source = { ack: () => {}, flushCheckpoint: async () => { throw new Error('disk full') } }
  await t.rejects(pipeline(Readable.from([record(0)]), ackOnWrite(source, dest)), { message: 'disk full' })
})
