import t from 'tap'
import { batchResponse, firstNotDone, msUntilAbort, nearDeadline } from '../../../src/lambda/report.js'
import type { LambdaStreamRecord } from '../../../src/lambda/event.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

const records: LambdaStreamRecord[] = ['11', '12', '13', '14'].map((seq) => ({ eventSourceARN: 'arn:x', dynamodb: { SequenceNumber: seq } }))
const context = (ms: number): { getRemainingTimeInMillis: () => number } => ({ getRemainingTimeInMillis: () => ms })

function caught (fn: () => unknown): Error {
  try { fn() } catch (err) { return err as Error }
  throw new Error('expected a throw')
}

t.test('firstNotDone is the lowest index given, or the length when nothing failed', async (t) => {
  t.equal(firstNotDone(4), 4)
  t.equal(firstNotDone(4, undefined, undefined), 4)
  t.equal(firstNotDone(4, 3, 1, undefined, 2), 1)
  t.equal(firstNotDone(4, 0), 0)
  t.equal(firstNotDone(4, 7), 4)
})

t.test('a batch with every record done reports no failures', async (t) => {
  t.same(batchResponse(records, { firstNotDone: 4 }, true), { batchItemFailures: [] })
  t.same(batchResponse(records, { firstNotDone: 4 }, false), { batchItemFailures: [] })
})

t.test('a failure names only the first record not done, by its sequence number', async (t) => {
  t.same(batchResponse(records, { firstNotDone: 2, error: new Error('boom') }, true), { batchItemFailures: [{ itemIdentifier: '13' }] })
  t.same(batchResponse(records, { firstNotDone: 0 }, true), { batchItemFailures: [{ itemIdentifier: '11' }] })
})

t.test('without reportBatchItemFailures a failure throws ERR_DDB_LAMBDA_BATCH_FAILED with the cause', async (t) => {
  const cause = new Error('table gone')
  const err = caught(() => batchResponse(records, { firstNotDone: 1, error: cause }, false))
  t.ok(isOpenCDCError(err, 'ERR_DDB_LAMBDA_BATCH_FAILED'))
  t.equal(err.cause, cause)
  t.match(err.message, /record 2 of 4 \(sequence number 12, arn:x\) and the 2 after it were not written: .*: table gone/)
})

t.test('a failed record without a sequence number cannot be reported: it throws', async (t) => {
  const err = caught(() => batchResponse([...records, { dynamodb: {} }], { firstNotDone: 4 }, true))
  t.ok(isOpenCDCError(err, 'ERR_DDB_LAMBDA_BATCH_FAILED'))
  t.match(err.message, /no SequenceNumber/)
})

t.test('nearDeadline: below the margin only; no context is never near', async (t) => {
  t.equal(nearDeadline(context(4999), 5000), true)
  t.equal(nearDeadline(context(5000), 5000), false)
  t.equal(nearDeadline(context(60_000), 5000), false)
  t.equal(nearDeadline(undefined, 5000), false)
})

t.test('msUntilAbort: the remaining time less half the margin, never negative; Infinity without a context', async (t) => {
  t.equal(msUntilAbort(context(10_000), 5000), 7500)
  t.equal(msUntilAbort(context(1000), 5000), 0)
  t.equal(msUntilAbort(undefined, 5000), Infinity)
})
