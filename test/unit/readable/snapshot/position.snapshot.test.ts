import t from 'tap'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { SnapshotPositionEncoder, decodeSnapshotPosition, encodeSnapshotPosition, keyFromJSON, keyToJSON, positionKind } from '../../../../src/readable/snapshot/position.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'

t.test('a snapshot position round-trips segment, segment count and key', async (t) => {
  const key = { pk: { S: 'a"b✓' }, sk: { N: '12345678901234567890123456789012345678' } }
  const position = encodeSnapshotPosition(3, 8, key)
  t.ok(Buffer.isBuffer(position))
  t.same(decodeSnapshotPosition(position), { kind: 'snapshot', segment: 3, totalSegments: 8, key })
  t.same(decodeSnapshotPosition(position.toString('utf8')), { kind: 'snapshot', segment: 3, totalSegments: 8, key }, 'also from its text')
})

t.test('a snapshot position is short versioned JSON led by version and kind', async (t) => {
  t.equal(encodeSnapshotPosition(0, 4, { id: { S: 'a' } }).toString(), '{"v":1,"kind":"snapshot","s":0,"n":4,"k":{"id":{"S":"a"}}}')
  t.equal(positionKind(encodeSnapshotPosition(0, 1, { id: { N: '1' } })), 'snapshot')
})

t.test('positionKind reads the kind of other phases and rejects what is not ours', async (t) => {
  t.equal(positionKind(Buffer.from('{"v":1,"kind":"cdc","shard":"x"}')), 'cdc')
  t.throws(() => positionKind(Buffer.from('garbage')), { code: 'ERR_DDB_INVALID_POSITION', message: /not JSON/ })
  t.throws(() => positionKind(Buffer.from('[1]')), { code: 'ERR_DDB_INVALID_POSITION', message: /not a JSON object/ })
  t.throws(() => positionKind(Buffer.from('{"v":2,"kind":"snapshot"}')), { message: /version 2; this release reads version 1/ })
  t.throws(() => positionKind(Buffer.from('{"v":1}')), { message: /has no "kind"/ })
})

t.test('decoding rejects a bad segment, segment count, key or kind with the rule broken', async (t) => {
  const bad = (doc: unknown): unknown => {
    try { decodeSnapshotPosition(Buffer.from(JSON.stringify(doc))) } catch (err) { return err }
    return undefined
  }
  const key = { id: { S: 'a' } }
  t.match(bad({ v: 1, kind: 'cdc', s: 0, n: 1, k: key }), { code: 'ERR_DDB_INVALID_POSITION', message: /is a cdc position, not a snapshot position/ })
  t.match(bad({ v: 1, kind: 'snapshot', s: 0, n: 0, k: key }), { message: /valid total segment count/ })
  t.match(bad({ v: 1, kind: 'snapshot', s: 4, n: 4, k: key }), { message: /valid segment "s" \(0 to 3\)/ })
  t.match(bad({ v: 1, kind: 'snapshot', s: 1.5, n: 4, k: key }), { message: /valid segment/ })
  t.match(bad({ v: 1, kind: 'snapshot', s: 0, n: 4 }), { message: /has no key "k"/ })
  t.match(bad({ v: 1, kind: 'snapshot', s: 0, n: 4, k: {} }), { message: /neither 1 nor 2 attributes/ })
  t.match(bad({ v: 1, kind: 'snapshot', s: 0, n: 4, k: { id: { BOOL: true } } }), { message: /key attribute "id" that is not/ })
  t.match(bad({ v: 1, kind: 'snapshot', s: 0, n: 4, k: { id: { S: 1 } } }), { message: /key attribute "id"/ })
  t.ok(isOpenCDCError(bad({ v: 1, kind: 'snapshot' }), 'ERR_DDB_INVALID_POSITION'))
})

t.test('key attributes convert to DynamoDB JSON and back, binaries as base64', async (t) => {
  const item = { pk: { B: new Uint8Array([0, 255, 7]) }, sk: { N: '-1.5' }, other: { S: 'ignored' } }
  const json = keyToJSON(item, ['pk', 'sk'])
  t.same(json, { pk: { B: 'AP8H' }, sk: { N: '-1.5' } })
  const back = keyFromJSON(json)
  t.same(Buffer.from(back.pk?.B as Uint8Array), Buffer.from([0, 255, 7]))
  t.same(back.sk, { N: '-1.5' })
  t.same(keyFromJSON({ id: { S: 'x' } }), { id: { S: 'x' } })
})

t.test('an item without a scalar key attribute is an error naming the attribute', async (t) => {
  t.throws(() => keyToJSON({ id: { S: 'a' } }, ['id', 'sk']), { code: 'ERR_DDB_INVALID_KEY', message: /key attribute "sk"/ })
  t.throws(() => keyToJSON({ id: { L: [] } }, ['id']), { code: 'ERR_DDB_INVALID_KEY' })
})

t.test('the per-segment encoder writes the same bytes as encodeSnapshotPosition of the KeyJSON', async (t) => {
  const items = [
    { id: { S: 'plain' }, other: { N: '1' } },
    { id: { S: 'a"b\\c\n✓\u2028' } },
    { id: { N: '-12345678901234567890123456789012345678E-100' } },
    { id: { B: new Uint8Array([0, 255, 7, 8]) } },
    { pk: { S: 'p' }, sk: { N: '2.5' } },
    JSON.parse('{"__proto__":{"S":"odd name"}}') as Record<string, AttributeValue>,
    { 'we"ird': { B: new Uint8Array(Buffer.from('xyz').buffer, Buffer.from('xyz').byteOffset, 3) } }
  ]
  for (const item of items) {
    const names = 'pk' in item ? ['pk', 'sk'] : [Object.keys(item)[0] as string]
    const expected = encodeSnapshotPosition(2, 7, keyToJSON(item, names))
    t.equal(new SnapshotPositionEncoder(2, 7, names).encode(item).toString('utf8'), expected.toString('utf8'), JSON.stringify(names))
  }
  t.throws(() => new SnapshotPositionEncoder(0, 1, ['id']).encode({ id: { BOOL: true } }), { code: 'ERR_DDB_INVALID_KEY', message: /no scalar key attribute "id"/ })
})

t.test('a key attribute called __proto__ survives into the position and back to an ExclusiveStartKey', async (t) => {
  const item = JSON.parse('{"__proto__":{"S":"odd name"}}') as Record<string, AttributeValue>
  const key = keyToJSON(item, ['__proto__'])
  t.equal(encodeSnapshotPosition(0, 1, key).toString(), '{"v":1,"kind":"snapshot","s":0,"n":1,"k":{"__proto__":{"S":"odd name"}}}')
  t.same(Object.entries(keyFromJSON(key)), [['__proto__', { S: 'odd name' }]])
})
