import t from 'tap'
import type { _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { fromStreamImage, fromStreamKeys, toOpenCDC } from '../../../../src/readable/cdc/convert.js'
import { fromAttributeMap, type AttributeMap } from '../../../../src/model/codec.js'
import { isPreciseNumber } from '../../../../src/model/record.js'

// Images as DynamoDB Local 3.3's GetRecords sends them (an empty map is a bare {}), written out by hand.
const bare = {} as AttributeMap[string]

t.test('a bare {} is an empty map at every depth of an image', async (t) => {
  const image = {
    id: { S: 'k' },
    m: bare,
    l: { L: [bare] },
    mm: { M: { a: bare } },
    ll: { L: [{ L: [bare] }] },
    deep: { M: { x: { L: [{ M: { y: bare, z: { S: 'z' } } }, { N: '1' }] } } }
  } as AttributeMap
  t.same(fromStreamImage(image), { id: 'k', m: {}, l: [{}], mm: { a: {} }, ll: [[{}]], deep: { x: [{ y: {}, z: 'z' }, 1] } })
  const out = fromStreamImage(image) as { m: object, l: unknown[] }
  t.equal(Object.getPrototypeOf(out.m), Object.prototype, 'a plain object, as the codec makes for {"M":{}}')
  t.same(fromStreamImage({ m: { M: {} }, l: { L: [] } }), { m: {}, l: [] }, 'the well-formed shapes still decode')
})

t.test('the Scan/GetItem codec stays strict: a bare {} there is an error', async (t) => {
  t.throws(() => fromAttributeMap({ m: bare }), { code: 'ERR_DDB_INVALID_VALUE' })
})

t.test('the slow path keeps every other type exact (numbers, bytes, sets) next to an empty map', async (t) => {
  const out = fromStreamImage({
    e: bare,
    big: { N: '12345678901234567890123456789012345678' },
    b: { B: new Uint8Array([0, 255]) },
    ns: { NS: ['1', '2.5'] },
    l: { L: [bare, { SS: ['a'] }, { NULL: true }, { BOOL: false }] }
  }) as Record<string, unknown>
  t.ok(isPreciseNumber(out.big))
  t.equal((out.big as { value: string }).value, '12345678901234567890123456789012345678')
  t.same(out.b, new Uint8Array([0, 255]))
  t.same(out.ns, new Set([1, 2.5]))
  t.same(out.l, [{}, new Set(['a']), null, false])
  t.same(out.e, {})
})

t.test('a value with no known type is an error naming its path and shape', async (t) => {
  const cases: Array<[AttributeMap, string, string]> = [
    [{ a: { M: { b: { L: [{ S: 'x' }, { N: '1' }, { X: 1 } as never] } } } }, '$.a.b[2]', '{"X":1}'],
    // What the SDK makes of an unknown member on the wire.
    [{ a: { $unknown: ['X', 1] } as never }, '$.a', '{"X":1}'],
    [{ 'a.b': { L: [null as never] } }, '$["a.b"][0]', 'null'],
    [{ a: { M: { c: 'text' as never } } }, '$.a.c', '"text"']
  ]
  for (const [image, path, shape] of cases) {
    t.throws(() => fromStreamImage(image), { code: 'ERR_DDB_INVALID_VALUE', details: { path, shape } }, path)
  }
})

t.test('Keys stay strict: a bare {} in Keys is an error, not a map', async (t) => {
  t.same(fromStreamKeys({ id: { S: 'a' }, n: { N: '5' } }), { id: 'a', n: 5 })
  t.throws(() => fromStreamKeys({ id: bare }), { code: 'ERR_DDB_INVALID_VALUE', details: { path: '$.id', shape: '{}' } })
})

const ctx = { table: 'orders', shardId: 'shard-7', readAt: 0 }
const record = (dynamodb: NonNullable<StreamEvent['dynamodb']>, eventName: StreamEvent['eventName'] = 'MODIFY'): StreamEvent =>
  ({ eventID: 'ev-9', eventName, dynamodb: { SequenceNumber: '4200', ...dynamodb } })

t.test('toOpenCDC decodes empty maps in both images of a MODIFY', async (t) => {
  const r = toOpenCDC(record({ Keys: { id: { S: 'k' } }, OldImage: { id: { S: 'k' }, m: bare }, NewImage: { id: { S: 'k' }, m: { M: { a: bare } } } }), ctx)
  t.same(r.payload, { before: { id: 'k', m: {} }, after: { id: 'k', m: { a: {} } } })
})

t.test('an undecodable image value fails the record with table, shard, sequence number, key, image, path and shape', async (t) => {
  const keys = { id: { S: 'k"1' }, n: { N: '5' } }
  const bad = record({ Keys: keys, NewImage: { ...keys, a: { M: { b: { L: [{ S: 'x' }, bare, { X: 1 } as never] } } } } })
  const err = t.throws(() => toOpenCDC(bad, ctx), {
    code: 'ERR_DDB_INVALID_STREAM_RECORD',
    details: { table: 'orders', shardId: 'shard-7', sequenceNumber: '4200', key: '{"id":"k\\"1","n":5}', part: 'NewImage', path: '$.a.b[2]', shape: '{"X":1}' }
  }) as Error
  t.equal(err.message, 'stream record sequence number 4200 of shard shard-7 (table orders, key {"id":"k\\"1","n":5}, event ev-9): NewImage attribute $.a.b[2] has no known DynamoDB type: {"X":1}')
  t.throws(() => toOpenCDC(record({ Keys: keys, OldImage: { ...keys, o: { Q: 'x' } as never } }, 'REMOVE'), ctx), { message: /OldImage attribute \$\.o/, details: { part: 'OldImage', path: '$.o', shape: '{"Q":"x"}' } })
  t.throws(() => toOpenCDC(record({ Keys: { id: bare }, NewImage: { id: { S: 'x' } } }), ctx), { message: /key \{"id":\{\}\}.*Keys attribute \$\.id has no known DynamoDB type: \{\}/ })
})
