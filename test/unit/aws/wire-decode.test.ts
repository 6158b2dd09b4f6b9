import t from 'tap'
import { bytesOf, decodeGetRecords, decodeScan, wireAttributeMap } from '../../../src/aws/wire-decode.js'
import { fromAttributeMap } from '../../../src/model/codec.js'
import { fromStreamImage } from '../../../src/readable/cdc/image.js'
import { PreciseNumber } from '../../../src/model/record.js'

const parse = (text: string): unknown => JSON.parse(text)
const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64')

t.test('every wire type, nested, in the SDK\'s shape; bytes as Uint8Array views', async (t) => {
  const body = parse(JSON.stringify({
    Items: [{
      s: { S: 'x' },
      n: { N: '12345678901234567890123456789012345678' },
      small: { N: '-1.50E-130' },
      b: { B: b64([0, 1, 255]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.50'] },
      bs: { BS: [b64([1]), b64([2, 3])] },
      m: { M: { inner: { L: [{ B: b64([9]) }, { M: { deep: { BS: [b64([7])] } } }, { NULL: true }, { BOOL: false }] } } },
      l: { L: [{ L: [{ S: '' }] }] }
    }],
    Count: 1,
    ScannedCount: 3
  }))
  const out = decodeScan(body)
  t.equal(out.Count, 1)
  t.equal(out.ScannedCount, 3)
  const item = out.Items?.[0] ?? {}
  t.equal(item.s?.S, 'x')
  t.equal(item.n?.N, '12345678901234567890123456789012345678', 'N stays text')
  t.equal(item.b?.B?.constructor, Uint8Array, 'not a Buffer')
  t.same([...(item.b?.B ?? [])], [0, 1, 255])
  t.same(item.ss?.SS, ['a', 'b'])
  t.same(item.ns?.NS, ['1', '2.50'])
  t.same(item.bs?.BS?.map((x) => [x.constructor, [...x]]), [[Uint8Array, [1]], [Uint8Array, [2, 3]]])
  const inner = item.m?.M?.inner?.L ?? []
  t.same([...(inner[0]?.B ?? [])], [9], 'B inside L inside M')
  t.equal(inner[1]?.M?.deep?.BS?.[0]?.constructor, Uint8Array, 'BS inside M inside L')
  t.same(inner.slice(2), [{ NULL: true }, { BOOL: false }])
  const data = fromAttributeMap(item)
  t.equal(data.n instanceof PreciseNumber && data.n.value, '12345678901234567890123456789012345678', 'the codec keeps a 38-digit number exact')
  t.equal(data.small instanceof PreciseNumber && data.small.value, '-1.50E-130', 'and the text of a denormalized one')
  t.same(data.ns, new Set([1, new PreciseNumber('2.50')]), 'NS members by decodeNumber: "2.50" kept as text')
})

t.test('empties: M, L, S, B and an empty page', async (t) => {
  const item = wireAttributeMap(parse('{"m":{"M":{}},"l":{"L":[]},"s":{"S":""},"b":{"B":""}}'))
  t.same(fromAttributeMap(item as never), { m: {}, l: [], s: '', b: new Uint8Array() })
  t.equal((item.b as { B: Uint8Array }).B.constructor, Uint8Array)
  t.same(decodeScan(parse('{"Count":0,"ScannedCount":0}')), { Count: 0, ScannedCount: 0 }, 'no Items member when the body has none')
  t.same(decodeScan(parse('{"Items":[],"Count":0,"ScannedCount":0}')).Items, [])
})

t.test('a nested or top-level __proto__ name is an own attribute with its value, the prototype untouched', async (t) => {
  const item = wireAttributeMap(parse('{"__proto__":{"S":"top"},"m":{"M":{"__proto__":{"M":{"polluted":{"BOOL":true}}}}},"l":{"L":[{"M":{"__proto__":{"B":"AQ=="}}}]}}'))
  const data = fromAttributeMap(item as never)
  t.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'top')
  const m = data.m as Record<string, unknown>
  t.same(Object.getOwnPropertyDescriptor(m, '__proto__')?.value, { polluted: true })
  t.equal(Object.getPrototypeOf(m), Object.prototype)
  const l = (data.l as Array<Record<string, unknown>>)[0] ?? {}
  t.same([...(Object.getOwnPropertyDescriptor(l, '__proto__')?.value as Uint8Array)], [1], 'bytes under a __proto__ name decoded too')
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype not polluted')
})

t.test('LastEvaluatedKey decoded (binary key bytes) and unknown members dropped as the SDK drops them', async (t) => {
  const out = decodeScan(parse(`{"Items":[],"LastEvaluatedKey":{"pk":{"B":"${b64([5, 6])}"},"sk":{"S":"a"}},"Surprise":1,"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}`))
  t.same(Object.keys(out).sort(), ['ConsumedCapacity', 'Items', 'LastEvaluatedKey'])
  t.equal(out.LastEvaluatedKey?.pk?.B?.constructor, Uint8Array)
  t.same([...(out.LastEvaluatedKey?.pk?.B ?? [])], [5, 6])
  t.same(out.ConsumedCapacity, { TableName: 't', CapacityUnits: 0.5 })
})

t.test('invalid base64 and non-object shapes are rejected (the body then goes to the SDK)', async (t) => {
  t.throws(() => bytesOf('abc'), /not base64/, 'bad padding, as the SDK\'s fromBase64')
  t.throws(() => bytesOf('ab$='), /not base64/, 'a character outside the alphabet')
  t.throws(() => bytesOf(5), /not base64/)
  t.throws(() => decodeScan(parse('[]')), /body is not an object/)
  t.throws(() => decodeScan(parse('{"Items":{}}')), /Items is not a list/)
  t.throws(() => decodeScan(parse('{"Items":[5]}')), /attribute map is not an object/)
  t.throws(() => decodeGetRecords(parse('{"Records":[{"dynamodb":{"ApproximateCreationDateTime":"soon"}}]}')), /ApproximateCreationDateTime/)
})

t.test('attribute values of no known type are left as they came, for the codec to reject with its coded error', async (t) => {
  const item = wireAttributeMap(parse('{"a":{"X":1},"b":5}'))
  t.same(item, { a: { X: 1 }, b: 5 })
  t.throws(() => fromAttributeMap(item as never), { code: 'ERR_DDB_INVALID_VALUE' })
  t.throws(() => fromStreamImage(item as never), { code: 'ERR_DDB_INVALID_VALUE', message: /attribute \$\.a has no known DynamoDB type: \{"X":1\}/ })
})

t.test('GetRecords: records in the SDK\'s shape (Date, images, nulls dropped), DynamoDB Local\'s bare {} kept for image.ts', async (t) => {
  const out = decodeGetRecords(parse(JSON.stringify({
    Records: [{
      eventID: 'e1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
      dynamodb: {
        ApproximateCreationDateTime: 1764600000.1235,
        Keys: { pk: { B: b64([1]) } },
        NewImage: { pk: { B: b64([1]) }, empty: {}, l: { L: [{}] } },
        OldImage: { pk: { B: b64([1]) } },
        SequenceNumber: '000000000000000000001',
        SizeBytes: 42,
        StreamViewType: 'NEW_AND_OLD_IMAGES'
      }
    }],
    NextShardIterator: null
  })))
  t.same(Object.keys(out), ['Records'], 'a null NextShardIterator is left out, as the SDK leaves it')
  const r = out.Records?.[0]
  t.same({ ...r, dynamodb: undefined }, { eventID: 'e1', eventName: 'MODIFY', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'ddblocal', userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }, dynamodb: undefined })
  const d = r?.dynamodb
  t.ok(d?.ApproximateCreationDateTime instanceof Date)
  t.equal(d?.ApproximateCreationDateTime?.getTime(), 1764600000124, 'epoch seconds rounded to the millisecond, as the SDK does')
  t.same([d?.SequenceNumber, d?.SizeBytes, d?.StreamViewType], ['000000000000000000001', 42, 'NEW_AND_OLD_IMAGES'])
  t.equal(d?.Keys?.pk?.B?.constructor, Uint8Array)
  t.equal(d?.OldImage?.pk?.B?.constructor, Uint8Array)
  t.same(fromStreamImage(d?.NewImage ?? {}), { pk: new Uint8Array([1]), empty: {}, l: [{}] }, 'bare {} read as an empty map by image.ts')
  t.same(decodeGetRecords(parse('{"Records":[],"NextShardIterator":"it"}')), { Records: [], NextShardIterator: 'it' })
  t.same(decodeGetRecords(parse('{"Records":[{"eventName":"INSERT"}]}')).Records, [{ eventName: 'INSERT' }], 'a record without dynamodb kept, for convert.ts to reject')
})
