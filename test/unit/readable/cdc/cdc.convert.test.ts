import t from 'tap'
import type { _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { toOpenCDC, isTtlDelete } from '../../../../src/readable/cdc/convert.js'
import { decodeCdcPosition } from '../../../../src/readable/cdc/position.js'
import { isPreciseNumber } from '../../../../src/model/record.js'
import { decodeNumber } from '../../../../src/model/codec.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'

const ctx = { table: 'orders', shardId: 'shard-1', readAt: 1_700_000_000_123 }
const created = new Date('2026-11-26T09:56:56Z')
const event = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', extra: Partial<NonNullable<StreamEvent['dynamodb']>> = {}, rest: Partial<StreamEvent> = {}): StreamEvent => ({
  eventID: 'ev-1',
  eventName,
  dynamodb: { ApproximateCreationDateTime: created, Keys: { id: { S: 'k1' } }, SequenceNumber: '100', StreamViewType: 'NEW_AND_OLD_IMAGES', ...extra },
  ...rest
})

t.test('INSERT becomes create with the new image as after and no before', async (t) => {
  const r = toOpenCDC(event('INSERT', { NewImage: { id: { S: 'k1' }, n: { N: '1' } }, OldImage: { id: { S: 'ignored' } } }), ctx)
  t.equal(r.operation, 'create')
  t.same(r.key, { id: 'k1' })
  t.same(r.payload, { before: null, after: { id: 'k1', n: 1 } })
})

t.test('MODIFY becomes update with before = old image and after = new image', async (t) => {
  const r = toOpenCDC(event('MODIFY', { OldImage: { id: { S: 'k1' }, n: { N: '1' } }, NewImage: { id: { S: 'k1' }, n: { N: '2' } } }), ctx)
  t.equal(r.operation, 'update')
  t.same(r.payload, { before: { id: 'k1', n: 1 }, after: { id: 'k1', n: 2 } })
})

t.test('REMOVE becomes delete with before = old image and no after', async (t) => {
  const r = toOpenCDC(event('REMOVE', { OldImage: { id: { S: 'k1' } }, NewImage: { id: { S: 'x' } } }), ctx)
  t.equal(r.operation, 'delete')
  t.same(r.payload, { before: { id: 'k1' }, after: null })
})

t.test('a missing image (NEW_IMAGE / KEYS_ONLY streams) is null, never invented', async (t) => {
  const r = toOpenCDC(event('MODIFY', { NewImage: { id: { S: 'k1' } }, StreamViewType: 'NEW_IMAGE' }), ctx)
  t.equal(r.payload.before, null)
  const k = toOpenCDC(event('INSERT', { StreamViewType: 'KEYS_ONLY' }), ctx)
  t.equal(k.payload.after, null)
  t.same(k.key, { id: 'k1' })
})

t.test('metadata carries collection, readAt, createdAt in unix ns, event id, sequence number and shard', async (t) => {
  const r = toOpenCDC(event('INSERT', { NewImage: { id: { S: 'k1' } } }), ctx)
  t.same(r.metadata, {
    'opencdc.collection': 'orders',
    'opencdc.readAt': '1700000000123000000',
    'opencdc.createdAt': String(BigInt(created.getTime()) * 1_000_000n),
    'dynamodb.eventId': 'ev-1',
    'dynamodb.sequenceNumber': '100',
    'dynamodb.shardId': 'shard-1'
  })
})

t.test('the position names the shard and the sequence number', async (t) => {
  const r = toOpenCDC(event('INSERT', { NewImage: { id: { S: 'k1' } } }), ctx)
  t.same(decodeCdcPosition(r.position), { kind: 'cdc', shardId: 'shard-1', sequenceNumber: '100' })
})

t.test('deletes by the TTL service are marked; client deletes are not', async (t) => {
  const ttl = event('REMOVE', { OldImage: { id: { S: 'k1' } } }, { userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } })
  t.ok(isTtlDelete(ttl))
  t.equal(toOpenCDC(ttl, ctx).metadata['dynamodb.ttlDelete'], 'true')
  const plain = event('REMOVE', { OldImage: { id: { S: 'k1' } } })
  t.notOk(isTtlDelete(plain))
  t.equal(toOpenCDC(plain, ctx).metadata['dynamodb.ttlDelete'], undefined)
  t.notOk(isTtlDelete(event('MODIFY', {}, { userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } })))
})

t.test('every DynamoDB type in an image survives bit-exact', async (t) => {
  const r = toOpenCDC(event('INSERT', {
    NewImage: {
      id: { S: 'k1' },
      big: { N: '12345678901234567890123456789012345678' },
      tiny: { N: '1E-130' },
      bin: { B: new Uint8Array([0, 1, 255]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      nul: { NULL: true },
      nested: { M: { l: { L: [{ BOOL: true }, { S: 'x' }] } } }
    }
  }), ctx)
  const after = r.payload.after as Record<string, unknown>
  t.ok(isPreciseNumber(after.big))
  t.equal((after.big as { value: string }).value, '12345678901234567890123456789012345678')
  t.same(after.tiny, decodeNumber('1E-130'), 'decoded exactly as the codec decodes N')
  t.same(after.bin, new Uint8Array([0, 1, 255]))
  t.same(after.ss, new Set(['a', 'b']))
  t.equal(after.nul, null)
  t.same(after.nested, { l: [true, 'x'] })
})

t.test('a record without a usable event name, sequence number or keys is an error naming it', async (t) => {
  const bad: Array<[StreamEvent, RegExp]> = [
    [{ ...event('INSERT'), eventName: 'TRUNCATE' as 'INSERT' }, /sequence number 100 of shard shard-1 .*unknown eventName "TRUNCATE"/],
    [{ eventID: 'e', eventName: 'INSERT', dynamodb: { Keys: { id: { S: 'a' } } } }, /no SequenceNumber/],
    [{ eventID: 'e', eventName: 'INSERT', dynamodb: { SequenceNumber: '7' } }, /sequence number 7 .*no Keys/]
  ]
  for (const [e, message] of bad) {
    t.throws(() => toOpenCDC(e, ctx), message)
    try { toOpenCDC(e, ctx) } catch (err) { t.ok(isOpenCDCError(err, 'ERR_DDB_INVALID_STREAM_RECORD')) }
  }
})
