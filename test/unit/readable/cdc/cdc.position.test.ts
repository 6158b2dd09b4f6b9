import t from 'tap'
import { compareSequenceNumbers, decodeCdcPosition, encodeCdcPosition } from '../../../../src/readable/cdc/position.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'

t.test('round-trips shard id and sequence number through the position bytes', async (t) => {
  const buf = encodeCdcPosition({ shardId: 'shardId-00000001700000000000-abcdef12', sequenceNumber: '4900000000000000000123456789012345678901' })
  t.ok(Buffer.isBuffer(buf))
  t.same(decodeCdcPosition(buf), { kind: 'cdc', shardId: 'shardId-00000001700000000000-abcdef12', sequenceNumber: '4900000000000000000123456789012345678901' })
  t.same(decodeCdcPosition(buf.toString('utf8')).sequenceNumber, '4900000000000000000123456789012345678901')
})

t.test('writes a versioned document with a cdc kind', async (t) => {
  t.same(JSON.parse(encodeCdcPosition({ shardId: 's', sequenceNumber: '1' }).toString()), { v: 1, kind: 'cdc', shard: 's', seq: '1' })
})

t.test('rejects positions that are not CDC positions, saying why', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['not json', /not JSON/],
    ['[1]', /not a JSON object/],
    ['{"v":1,"kind":"snapshot","shard":"s","seq":"1"}', /kind is "snapshot"/],
    ['{"v":2,"kind":"cdc","shard":"s","seq":"1"}', /version 2 is not supported/],
    ['{"v":1,"kind":"cdc","shard":"","seq":"1"}', /shard must be/],
    ['{"v":1,"kind":"cdc","shard":"s","seq":"12a"}', /seq must be a decimal/],
    ['{"v":1,"kind":"cdc","shard":"s"}', /seq must be a decimal/]
  ]
  for (const [text, message] of cases) {
    t.throws(() => decodeCdcPosition(Buffer.from(text)), message, text)
    try { decodeCdcPosition(text) } catch (err) { t.ok(isOpenCDCError(err, 'ERR_DDB_INVALID_POSITION'), text) }
  }
})

t.test('orders sequence numbers numerically, not as text', async (t) => {
  t.equal(compareSequenceNumbers('9', '10'), -1)
  t.equal(compareSequenceNumbers('100', '100'), 0)
  t.equal(compareSequenceNumbers('49000000000000000000000000000000000000002', '49000000000000000000000000000000000000001'), 1)
  t.equal(compareSequenceNumbers('000123', '122'), 1)
})

t.test('encodes exactly what JSON.stringify would, even for ids that need escaping', async (t) => {
  for (const shardId of ['shardId-1', 'a"b', 'x\\y', 'ü\n']) {
    t.equal(encodeCdcPosition({ shardId, sequenceNumber: '12' }).toString(), JSON.stringify({ v: 1, kind: 'cdc', shard: shardId, seq: '12' }))
  }
})
