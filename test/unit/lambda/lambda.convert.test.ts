import t from 'tap'
import { fromLambdaRecord, tableOfStreamArn } from '../../../src/lambda/convert.js'
import type { LambdaStreamRecord } from '../../../src/lambda/event.js'
import { decodeCdcPosition } from '../../../src/readable/cdc/position.js'
import { isOpenCDCError } from '../../../src/errors/index.js'

const ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-11-26T09:00:00.000'
const readAt = 1_700_000_000_123

/** A record as Lambda's JSON delivers it (binaries as base64 text, seconds as a number). */
const lambdaRecord = (over: Partial<LambdaStreamRecord> = {}, data: Partial<NonNullable<LambdaStreamRecord['dynamodb']>> = {}): LambdaStreamRecord => ({
  eventID: 'ev-1',
  eventName: 'MODIFY',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'eu-west-1',
  eventSourceARN: ARN,
  dynamodb: {
    ApproximateCreationDateTime: 1_764_150_000,
    Keys: { id: { S: 'k1' } },
    OldImage: { id: { S: 'k1' }, n: { N: '1' } },
    NewImage: { id: { S: 'k1' }, n: { N: '2' } },
    SequenceNumber: '4100000000000001234567',
    SizeBytes: 40,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
    ...data
  },
  ...over
})

t.test('a MODIFY becomes an update with the CDC metadata, the table taken from eventSourceARN', async (t) => {
  const r = fromLambdaRecord(lambdaRecord(), readAt)
  t.equal(r.operation, 'update')
  t.same(r.key, { id: 'k1' })
  t.same(r.payload, { before: { id: 'k1', n: 1 }, after: { id: 'k1', n: 2 } })
  t.same(r.metadata, {
    'opencdc.collection': 'orders',
    'opencdc.readAt': '1700000000123000000',
    'opencdc.createdAt': '1764150000000000000',
    'dynamodb.sequenceNumber': '4100000000000001234567',
    'dynamodb.eventId': 'ev-1',
    'dynamodb.streamArn': ARN
  })
})

t.test('ApproximateCreationDateTime is read as epoch seconds, not milliseconds', async (t) => {
  const r = fromLambdaRecord(lambdaRecord({}, { ApproximateCreationDateTime: 2 }), readAt)
  t.equal(r.metadata['opencdc.createdAt'], '2000000000')
})

t.test('the position decodes with decodeCdcPosition: the stream ARN stands in for the shard', async (t) => {
  const r = fromLambdaRecord(lambdaRecord(), readAt)
  t.same(decodeCdcPosition(r.position), { kind: 'cdc', shardId: ARN, sequenceNumber: '4100000000000001234567' })
})

t.test('B and BS given as base64 text become bytes, at any depth', async (t) => {
  const r = fromLambdaRecord(lambdaRecord({ eventName: 'INSERT' }, {
    OldImage: undefined,
    NewImage: { id: { S: 'k1' }, b: { B: 'AAH+/w==' }, bs: { BS: ['AQ==', ''] }, l: { L: [{ B: 'AgM=' }, { M: { deep: { BS: ['/w=='] } } }] } }
  }), readAt)
  const after = r.payload.after as Record<string, unknown>
  t.same(after.b, Uint8Array.from([0, 1, 254, 255]))
  t.ok(after.b instanceof Uint8Array)
  t.same([...(after.bs as Set<Uint8Array>)].map((b) => [...b]), [[1], []])
  const l = after.l as [Uint8Array, { deep: Set<Uint8Array> }]
  t.same([...l[0]], [2, 3])
  t.same([...l[1].deep].map((b) => [...b]), [[255]])
})

t.test('a binary key given as base64 text becomes bytes', async (t) => {
  const r = fromLambdaRecord(lambdaRecord({ eventName: 'REMOVE' }, { Keys: { id: { B: 'q80=' } }, NewImage: undefined, OldImage: { id: { B: 'q80=' } } }), readAt)
  t.same([...(r.key as { id: Uint8Array }).id], [0xab, 0xcd])
})

t.test('a bare {} is an empty map, as in GetRecords images of DynamoDB Local', async (t) => {
  const r = fromLambdaRecord(lambdaRecord({}, { NewImage: { id: { S: 'k1' }, m: {} as never, l: { L: [{} as never] } } }), readAt)
  t.same((r.payload.after as Record<string, unknown>).m, {})
  t.same((r.payload.after as Record<string, unknown>).l, [{}])
})

t.test('a TTL delete (lower-case userIdentity, as Lambda sends it) is flagged', async (t) => {
  const r = fromLambdaRecord(lambdaRecord({ eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }, { NewImage: undefined }), readAt)
  t.equal(r.operation, 'delete')
  t.equal(r.metadata['dynamodb.ttlDelete'], 'true')
  const user = fromLambdaRecord(lambdaRecord({ eventName: 'REMOVE', userIdentity: { type: 'User', principalId: 'someone' } }, { NewImage: undefined }), readAt)
  t.equal(user.metadata['dynamodb.ttlDelete'], undefined)
})

function caught (fn: () => unknown): Error {
  try { fn() } catch (err) { return err as Error }
  throw new Error('expected a throw')
}

t.test('a binary that is not base64 fails the record, naming the part and path, never decoded quietly', async (t) => {
  const err = caught(() => fromLambdaRecord(lambdaRecord({}, { NewImage: { id: { S: 'k1' }, m: { M: { b: { B: 'not base64!' } } } } }), readAt))
  t.ok(isOpenCDCError(err, 'ERR_DDB_INVALID_STREAM_RECORD'))
  t.match(err.message, /sequence number 4100000000000001234567 .*NewImage attribute \$\.m\.b is a binary whose text is not base64/)
  t.match(err.message, /key \{"id":"k1"\}/)
  t.match(caught(() => fromLambdaRecord(lambdaRecord({}, { OldImage: { bs: { BS: ['AQ==', 'A'] } } }), readAt)).message, /OldImage attribute \$\.bs\[1\] is a binary/)
})

t.test('an eventSourceARN that is not a DynamoDB stream ARN fails the record', async (t) => {
  const err = caught(() => fromLambdaRecord(lambdaRecord({ eventSourceARN: 'arn:aws:kinesis:eu-west-1:1:stream/x' }), readAt))
  t.ok(isOpenCDCError(err, 'ERR_DDB_INVALID_STREAM_RECORD'))
  t.match(err.message, /eventSourceARN .* is not a DynamoDB stream ARN/)
  t.match(caught(() => fromLambdaRecord(lambdaRecord({ eventSourceARN: undefined }), readAt)).message, /is not a DynamoDB stream ARN/)
})

t.test('the CDC rules apply: an unknown eventName or a missing SequenceNumber fails the record', async (t) => {
  t.throws(() => fromLambdaRecord(lambdaRecord({ eventName: 'UPSERT' as never }), readAt), /unknown eventName "UPSERT"/)
  t.throws(() => fromLambdaRecord(lambdaRecord({}, { SequenceNumber: undefined }), readAt), /no SequenceNumber/)
})

t.test('tableOfStreamArn reads the table name, and nothing from other ARNs', async (t) => {
  t.equal(tableOfStreamArn(ARN), 'orders')
  t.equal(tableOfStreamArn('arn:aws-cn:dynamodb:cn-north-1:1:table/a.b-c_d/stream/label'), 'a.b-c_d')
  t.equal(tableOfStreamArn('arn:aws:dynamodb:eu-west-1:1:table/orders'), undefined)
  t.equal(tableOfStreamArn(42), undefined)
})
