import t from 'tap'
import { classifyStreamError, dataLossError, restartPoint, streamChangedError } from '../../../../src/readable/cdc/faults.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'

const named = (name: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(name), { name, ...extra })

t.test('classifies the stream errors a shard reader can meet', async (t) => {
  t.equal(classifyStreamError(named('ExpiredIteratorException')), 'expired')
  t.equal(classifyStreamError(named('TrimmedDataAccessException')), 'trimmed')
  t.equal(classifyStreamError(named('ResourceNotFoundException')), 'missing')
  t.equal(classifyStreamError(named('AbortError')), 'aborted')
  t.equal(classifyStreamError(named('LimitExceededException')), 'retryable')
  t.equal(classifyStreamError(named('InternalServerError')), 'retryable')
  t.equal(classifyStreamError(named('Whatever', { $metadata: { httpStatusCode: 503 } })), 'retryable')
  t.equal(classifyStreamError(named('ValidationException')), 'fatal')
  t.equal(classifyStreamError(null), 'fatal')
})

t.test('an expired iterator resumes after the last sequence number read', async (t) => {
  t.same(restartPoint({ type: 'LATEST' }, '55'), { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '55' })
  t.same(restartPoint({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '3' }, '9'), { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '9' })
})

t.test('with nothing read, an expired iterator restarts where it began, but never at LATEST', async (t) => {
  t.same(restartPoint({ type: 'TRIM_HORIZON' }, undefined), { type: 'TRIM_HORIZON' })
  t.same(restartPoint({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '4' }, undefined), { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '4' })
  t.same(restartPoint({ type: 'LATEST' }, undefined), { type: 'TRIM_HORIZON' }, 'LATEST again would skip what arrived meanwhile')
})

t.test('the data-loss error names table, shard and sequence number and says how to recover', async (t) => {
  const err = dataLossError({ table: 'orders', streamArn: 'arn:s', shardId: 'shard-9', sequenceNumber: '77', reason: 'TrimmedDataAccessException' })
  t.ok(isOpenCDCError(err, 'ERR_DDB_STREAM_DATA_LOSS'))
  t.match(err.message, /table orders: stream records of shard shard-9 after sequence number 77 can no longer be read \(TrimmedDataAccessException\)/)
  t.match(err.message, /24 hours/)
  t.match(err.message, /onTrimmed: "resnapshot"/)
  t.same(err.details, { table: 'orders', streamArn: 'arn:s', shardId: 'shard-9', sequenceNumber: '77', reason: 'TrimmedDataAccessException' })
  t.match(dataLossError({ table: 't', streamArn: 'a', shardId: 's', reason: 'r' }).message, /shard s from its start/)
})

t.test('a changed stream ARN is an error naming both streams', async (t) => {
  const err = streamChangedError('orders', 'arn:old', 'arn:new')
  t.ok(isOpenCDCError(err, 'ERR_DDB_STREAM_CHANGED'))
  t.match(err.message, /arn:old.*arn:new/)
})
