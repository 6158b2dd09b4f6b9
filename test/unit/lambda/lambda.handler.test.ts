import t from 'tap'
import { Writable } from 'node:stream'
import { createStreamHandler } from '../../../src/lambda/handler.js'
import type { LambdaStreamRecord } from '../../../src/lambda/event.js'
import { isOpenCDCError, type OpenCDCError } from '../../../src/errors/index.js'
import type { OpenCDCRecord } from '../../../src/model/record.js'

// The handler's shell over in-memory sinks (its DynamoDB paths: test/integration/lambda/lambda.*.test.ts).
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/src/stream/2026-01-01T00:00:00.000'
const rec = (i: number, over: Partial<LambdaStreamRecord> = {}): LambdaStreamRecord => ({
  eventID: `e${i}`, eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1', eventSourceARN: ARN,
  dynamodb: { ApproximateCreationDateTime: 1_700_000_000, Keys: { id: { S: `k${i}` } }, NewImage: { id: { S: `k${i}` }, i: { N: String(i) } }, SequenceNumber: String(100 + i), SizeBytes: 10, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  ...over
})
const batch = (n: number): LambdaStreamRecord[] => Array.from({ length: n }, (_, i) => rec(i))
const ids = (records: OpenCDCRecord[]): string[] => records.map((r) => (r.key as { id: string }).id)

/** A Writable that keeps what it was given and fails the write of one key. */
function memory (failOn?: string): { stream: Writable, written: OpenCDCRecord[] } {
  const written: OpenCDCRecord[] = []
  const stream = new Writable({
    objectMode: true,
    write (r: OpenCDCRecord, _enc, cb) {
      if ((r.key as { id: string }).id === failOn) { cb(new Error(`cannot write ${failOn}`)); return }
      written.push(r)
      setImmediate(cb)
    }
  })
  return { stream, written }
}

t.test('every record is written in order and none is reported', async (t) => {
  const { stream, written } = memory()
  const handler = createStreamHandler({ destination: stream })
  t.same(await handler({ Records: batch(5) }), { batchItemFailures: [] })
  t.same(ids(written), ['k0', 'k1', 'k2', 'k3', 'k4'])
})

t.test('an empty event is answered at once', async (t) => {
  const handler = createStreamHandler({ destination: async () => { throw new Error('not called') } })
  t.same(await handler({ Records: [] }), { batchItemFailures: [] })
})

t.test('an event without Records throws ERR_DDB_INVALID_STREAM_RECORD', async (t) => {
  const handler = createStreamHandler({ destination: async () => {} })
  await t.rejects(handler({} as never), { code: 'ERR_DDB_INVALID_STREAM_RECORD' })
})

t.test('a sink function gets the transformed records; a failing transform fails its record and everything after it', async (t) => {
  const got: string[][] = []
  const handler = createStreamHandler({
    destination: async (records) => { got.push(ids(records)) },
    transforms: [
      (r) => ((r.key as { id: string }).id === 'k1' ? null : r), // filter
      (r) => [r, { ...r, key: { id: `${(r.key as { id: string }).id}-copy` } }], // flatMap
      (r) => { if ((r.key as { id: string }).id === 'k3-copy') throw new Error('transform broke'); return r }
    ]
  })
  t.same(await handler({ Records: batch(5) }), { batchItemFailures: [{ itemIdentifier: '103' }] })
  t.same(got, [['k0', 'k0-copy', 'k2', 'k2-copy']], 'nothing of the failed record, nor after it')
})

t.test('a rejected sink fails from the first record it was given', async (t) => {
  const handler = createStreamHandler({ destination: async () => { throw new Error('sink down') }, transforms: [(r) => ((r.key as { id: string }).id === 'k0' ? null : r)] })
  t.same(await handler({ Records: batch(3) }), { batchItemFailures: [{ itemIdentifier: '101' }] })
})

t.test('near the deadline the handler takes no more records and reports the first one it did not take', async (t) => {
  const { stream, written } = memory()
  let calls = 0
  // 3 records pass the check, then less than the margin is left.
  const context = { getRemainingTimeInMillis: () => (++calls <= 3 ? 60_000 : 4000) }
  const handler = createStreamHandler({ destination: stream, deadlineMarginMs: 5000 })
  t.same(await handler({ Records: batch(6) }, context), { batchItemFailures: [{ itemIdentifier: '103' }] })
  t.same(ids(written), ['k0', 'k1', 'k2'])
})

t.test('writes still pending at half the margin are aborted and reported, never left in flight', async (t) => {
  const stuck = new Writable({ objectMode: true, write (_r, _e, _cb) { /* never calls back */ } })
  const handler = createStreamHandler({ destination: stuck, deadlineMarginMs: 100 })
  const res = await handler({ Records: batch(3) }, { getRemainingTimeInMillis: () => 150 })
  t.same(res, { batchItemFailures: [{ itemIdentifier: '100' }] })
  t.equal(stuck.destroyed, true)
  t.ok(isOpenCDCError(stuck.errored, 'ERR_DDB_LAMBDA_DEADLINE'))
})

t.test('a failed write is reported as the first failure, whatever was written after it', async (t) => {
  const { stream, written } = memory('k2')
  const handler = createStreamHandler({ destination: stream })
  t.same(await handler({ Records: batch(5) }), { batchItemFailures: [{ itemIdentifier: '102' }] })
  t.same(ids(written).slice(0, 2), ['k0', 'k1'])
  t.notOk(ids(written).includes('k2'))
})

t.test('without reportBatchItemFailures a failed write throws ERR_DDB_LAMBDA_BATCH_FAILED', async (t) => {
  const { stream } = memory('k1')
  const handler = createStreamHandler({ destination: stream, reportBatchItemFailures: false })
  await t.rejects(handler({ Records: batch(3) }), { code: 'ERR_DDB_LAMBDA_BATCH_FAILED', cause: { message: 'cannot write k1' } })
})

t.test('an undecodable record fails by default, with what was before it written', async (t) => {
  const { stream, written } = memory()
  const handler = createStreamHandler({ destination: stream })
  const records = [rec(0), rec(1, { eventName: 'UPSERT' as never }), rec(2)]
  t.same(await handler({ Records: records }), { batchItemFailures: [{ itemIdentifier: '101' }] })
  t.same(ids(written), ['k0'])
})

t.test('onInvalidRecord: dead-letter hands the record over as delivered and moves past it', async (t) => {
  const { stream, written } = memory()
  const dead: Array<[LambdaStreamRecord, OpenCDCError]> = []
  const handler = createStreamHandler({ destination: stream, onInvalidRecord: 'dead-letter', deadLetter: (r, e) => { dead.push([r, e]) } })
  const bad = rec(1, { eventName: 'UPSERT' as never })
  const warned = new Promise((resolve) => process.once('warning', resolve))
  t.same(await handler({ Records: [rec(0), bad, rec(2)] }), { batchItemFailures: [] })
  t.same(ids(written), ['k0', 'k2'])
  t.equal(dead.length, 1)
  t.equal(dead[0]?.[0], bad)
  t.equal(dead[0]?.[1].code, 'ERR_DDB_INVALID_STREAM_RECORD')
  t.match(String((await warned as Error).message), /unknown eventName "UPSERT"/)
})

t.test('a failing dead letter stops at its record with ERR_DDB_DEAD_LETTER', async (t) => {
  const { stream } = memory()
  const handler = createStreamHandler({ destination: stream, reportBatchItemFailures: false, onInvalidRecord: 'dead-letter', deadLetter: async () => { throw new Error('queue down') } })
  await t.rejects(handler({ Records: [rec(0), rec(1, { eventName: 'UPSERT' as never })] }), { code: 'ERR_DDB_LAMBDA_BATCH_FAILED', cause: { code: 'ERR_DDB_DEAD_LETTER' } })
})

t.test('options are validated with coded errors naming the option', async (t) => {
  t.throws(() => createStreamHandler({} as never), { code: 'ERR_DDB_MISSING_OPTION', message: /"destination" is required/ })
  t.throws(() => createStreamHandler({ destination: { table: 'x', maxInFlite: 3 } } as never), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /destination: unknown option "maxInFlite"/ })
  t.throws(() => createStreamHandler({ destination: async () => {}, deadlineMarginMs: -1 }), { code: 'ERR_DDB_INVALID_OPTION', message: /deadlineMarginMs/ })
  t.throws(() => createStreamHandler({ destination: async () => {}, transforms: ['x'] as never }), { code: 'ERR_DDB_INVALID_OPTION', message: /transforms/ })
  t.throws(() => createStreamHandler({ destination: async () => {}, onInvalidRecord: 'dead-letter' }), { code: 'ERR_DDB_MISSING_OPTION', message: /deadLetter/ })
  t.throws(() => createStreamHandler({ destination: async () => {}, reportBatchItemFailure: true } as never), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /did you mean "reportBatchItemFailures"/ })
  const input = { destination: async () => {}, deadlineMarginMs: '2s' }
  createStreamHandler(input)
  t.same(input.deadlineMarginMs, '2s', 'the caller\'s object is not changed')
})
