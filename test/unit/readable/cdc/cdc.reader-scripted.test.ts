import t from 'tap'
import { fakeStreams, readerOptions as base } from '../../../helpers/fake-streams.js'
import { ChangeReader, type ChangeReaderOptions } from '../../../../src/readable/cdc/change-reader.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'

async function collect (reader: ChangeReader, records: OpenCDCRecord[], n: number): Promise<void> {
  for (let i = 0; i < 400 && records.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 5))
}

function run (opts: ChangeReaderOptions): { reader: ChangeReader, records: OpenCDCRecord[], errors: Error[] } {
  const records: OpenCDCRecord[] = []
  const errors: Error[] = []
  const reader = new ChangeReader(opts, { push: (r) => { records.push(r); return true }, progress: () => {}, error: (e) => { errors.push(e) } })
  return { reader, records, errors }
}

const keys = (records: OpenCDCRecord[]): string[] => records.map((r) => (r.key as { id: string }).id)

t.test('reads a closed parent to its end, including its last page, before any of its children', async (t) => {
  const streams = fakeStreams([
    { id: 'p', seqs: [1, 2, 3, 4, 5, 6, 7], closed: true },
    { id: 'a', parent: 'p', seqs: [10, 11], closed: false },
    { id: 'b', parent: 'p', seqs: [20, 21, 22, 23], closed: false }
  ])
  const { reader, records, errors } = run(base(streams))
  await reader.anchor()
  reader.startEmitting()
  await collect(reader, records, 13)
  await reader.close()
  t.same(errors, [])
  const k = keys(records)
  t.same(k.slice(0, 7), ['p/1', 'p/2', 'p/3', 'p/4', 'p/5', 'p/6', 'p/7'], 'the parent first, its final page included')
  t.same(k.filter((x) => x.startsWith('a/')), ['a/10', 'a/11'])
  t.same(k.filter((x) => x.startsWith('b/')), ['b/20', 'b/21', 'b/22', 'b/23'])
  t.equal(k.length, 13, 'nothing twice')
})

t.test('an expired iterator is replaced after the last sequence number read: nothing lost, nothing twice', async (t) => {
  const streams = fakeStreams([{ id: 's', seqs: [1, 2, 3, 4, 5, 6, 7, 8], closed: true }], { expireOnce: new Set(['s:3']) })
  const { reader, records, errors } = run(base(streams))
  await reader.anchor()
  reader.startEmitting()
  await collect(reader, records, 8)
  await reader.close()
  t.same(errors, [])
  t.same(keys(records), [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `s/${n}`))
  t.ok(streams.calls.filter((c) => c === 'GetShardIteratorCommand').length >= 2, 'a new iterator was taken')
})

t.test('a trimmed shard stops the reader with a data-loss error, never a skip', async (t) => {
  const streams = fakeStreams([{ id: 's', seqs: [1, 2], closed: false }], { trimmed: new Set(['s']) })
  const { reader, errors } = run(base(streams, { progress: { s: { after: '1' } } }))
  await t.rejects(reader.anchor(), { code: 'ERR_DDB_STREAM_DATA_LOSS', message: /shard s after sequence number 1 can no longer be read \(GetShardIterator: TrimmedDataAccessException\)/ })
  await reader.close()
  t.same(errors, [])
})

t.test('a resume continues after the acknowledged sequence number and resumes children after a completed parent', async (t) => {
  const streams = fakeStreams([
    { id: 'p', seqs: [1, 2, 3], closed: true },
    { id: 'c', parent: 'p', seqs: [10, 11, 12], closed: false }
  ])
  const { reader, records } = run(base(streams, { progress: { p: { done: true }, c: { parent: 'p', after: '10' } } }))
  await reader.anchor()
  reader.startEmitting()
  await collect(reader, records, 2)
  await reader.close()
  t.same(keys(records), ['c/11', 'c/12'])
})

t.test('records read before startEmitting are held back, then emitted first and in order', async (t) => {
  const shard = { id: 's', seqs: [1, 2], closed: false }
  const streams = fakeStreams([shard])
  const { reader, records } = run(base(streams, { startFrom: 'latest', spool: { memoryLimit: 1 } }))
  await reader.anchor()
  shard.seqs.push(3, 4, 5)
  for (let i = 0; i < 100 && reader.buffered < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5))
  t.equal(records.length, 0, 'nothing is emitted before startEmitting')
  t.equal(reader.buffered, 3)
  t.equal(reader.spilled, 2, 'beyond the memory limit the spool spills to disk')
  reader.startEmitting()
  shard.seqs.push(6)
  await collect(reader, records, 4)
  await reader.close()
  t.same(keys(records), ['s/3', 's/4', 's/5', 's/6'], 'LATEST anchored before the changes: only they come out, spooled ones first')
})

t.test('stops polling while the consumer does not want more, and resumes when asked', async (t) => {
  const streams = fakeStreams([{ id: 's', seqs: Array.from({ length: 50 }, (_, i) => i + 1), closed: false }])
  const records: OpenCDCRecord[] = []
  const reader = new ChangeReader(base(streams, { maxBufferedRecords: 5 }), { push: (r) => { records.push(r); return false }, progress: () => {}, error: () => {} })
  await reader.anchor()
  reader.startEmitting()
  await new Promise((resolve) => setTimeout(resolve, 100))
  const polls = streams.calls.filter((c) => c === 'GetRecordsCommand').length
  t.equal(records.length, 1, 'one push, which returned false')
  t.ok(reader.buffered <= 5, `at most maxBufferedRecords are held (${reader.buffered})`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(streams.calls.filter((c) => c === 'GetRecordsCommand').length, polls, 'no polling while the consumer is full')
  reader.resume()
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(records.length, 2)
  await reader.close()
})

t.test('the checkpoint moves over the contiguous acknowledged prefix of each shard', async (t) => {
  const streams = fakeStreams([{ id: 's', seqs: [1, 2, 3, 4], closed: false }])
  const { reader, records } = run(base(streams))
  await reader.anchor()
  reader.startEmitting()
  await collect(reader, records, 4)
  t.same(reader.checkpoint(), { streamArn: 'arn:stream', shards: { s: { at: '1' } } })
  reader.ack(records[0] as OpenCDCRecord)
  reader.ack(records[2] as OpenCDCRecord)
  t.same(reader.checkpoint().shards, { s: { after: '1' } })
  reader.ack(records[1] as OpenCDCRecord)
  t.same(reader.checkpoint().shards, { s: { after: '3' } })
  reader.ack(records[1] as OpenCDCRecord)
  t.throws(() => { reader.ack({ position: Buffer.from('{"v":1,"kind":"cdc","shard":"s","seq":"99"}') }) }, { code: 'ERR_DDB_INVALID_ACK' })
  await reader.close()
})

t.test('polling pauses while maxUnacked emitted records wait for their ack, and resumes on ack', async (t) => {
  const shard = { id: 's', seqs: [1, 2, 3, 4, 5, 6], closed: false }
  const streams = fakeStreams([shard])
  const { reader, records } = run(base(streams, { maxUnacked: 3 }))
  await reader.anchor()
  reader.startEmitting()
  await collect(reader, records, 3)
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(records.length, 3, 'only one page (3 records) came out')
  const polls = streams.calls.filter((c) => c === 'GetRecordsCommand').length
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(streams.calls.filter((c) => c === 'GetRecordsCommand').length, polls, 'no polling while 3 records are unacknowledged')
  for (const r of records) reader.ack(r)
  await collect(reader, records, 6)
  t.equal(records.length, 6)
  await reader.close()
})

t.test('without ack tracking, acks are ignored and no per-record state is kept', async (t) => {
  const streams = fakeStreams([{ id: 's', seqs: [1, 2], closed: false }])
  const { reader, records } = run(base(streams, { trackAcks: false, maxUnacked: 1 }))
  await reader.anchor()
  reader.startEmitting()
  await collect(reader, records, 2)
  t.equal(records.length, 2, 'maxUnacked does not apply when nothing is tracked')
  reader.ack(records[0] as OpenCDCRecord)
  t.same(reader.checkpoint().shards, { s: { at: '1' } })
  await reader.close()
})

t.test('a resumed LATEST start reads from the horizon but emits only records created after its anchor minus the margin', async (t) => {
  const since = Date.UTC(2026, 11, 1, 12, 0, 0)
  const created: Record<number, number> = { 1: since - 3_600_000, 2: since - 600_000, 3: since - 121_000, 4: since - 60_000, 5: since + 1000, 6: since + 2000 }
  const streams = fakeStreams([{ id: 's', seqs: [1, 2, 3, 4, 5, 6], closed: false }], { createdAt: (_id, seq) => new Date(created[seq] as number) })
  const { reader, records, errors } = run(base(streams, { startFrom: 'latest', progress: { s: { since } } }))
  await reader.anchor()
  reader.startEmitting()
  await collect(reader, records, 3)
  await new Promise((resolve) => setTimeout(resolve, 50))
  await reader.close()
  t.same(errors, [])
  t.same(keys(records), ['s/4', 's/5', 's/6'], 'the hour-old history is not replayed; the margin keeps the last two minutes')
  t.same(reader.checkpoint().shards.s, { at: '4' }, 'the first record kept becomes the floor')
})
