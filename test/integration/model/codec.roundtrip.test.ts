import t from 'tap'
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { fromAttributeMap, sameDecimal, toAttributeMap, type AttributeMap } from '../../../src/model/codec.js'
import { PreciseNumber, type StructuredData } from '../../../src/model/record.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { randomItem, rng, EDGE_NUMBERS } from '../../helpers/random.js'
import { canonicalItem, valueDiff } from '../../helpers/compare.js'

t.test('generated items of every type round-trip bit-exact through PutItem → GetItem → codec → PutItem', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable()
  const get = async (id: string): Promise<AttributeMap> => {
    const out = await ddb.client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))
    if (out.Item === undefined) throw new Error(`item ${id} missing`)
    return out.Item
  }
  const put = async (id: string, data: StructuredData): Promise<void> => {
    await ddb.client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap({ ...data, id }) }))
  }
  const r = rng(20261126)
  const items: StructuredData[] = [
    { edges: EDGE_NUMBERS, precise: new PreciseNumber('3.14159265358979323846264338327950288'), tiny: 1e-130, neg: -0.000001, big: new PreciseNumber('9007199254740993') },
    { empty: '', emptyBytes: new Uint8Array(0), nul: null, t: true, f: false, nested: { a: [{ b: new Set(['x', 'y']) }, [], {}] } }
  ]
  for (let i = 0; i < 200; i++) items.push(randomItem(r))
  let compared = 0
  for (const [i, item] of items.entries()) {
    await put(`a${i}`, item)
    const raw1 = await get(`a${i}`)
    const decoded = fromAttributeMap(raw1)
    delete decoded.id
    const diff = valueDiff(decoded, item)
    if (diff !== undefined) t.fail(`item ${i} decoded differently: ${diff}`)
    await put(`b${i}`, decoded)
    const raw2 = await get(`b${i}`)
    // Same item but for its id (a vs b); set members are compared sorted, as DynamoDB returns them in its own order.
    const { id: _id2, ...rest2 } = raw2
    const { id: _id1, ...rest1 } = raw1
    t.same(canonicalItem(rest2), canonicalItem(rest1), `item ${i} rewritten from its decoded form is the same DynamoDB item`)
    compared++
  }
  t.equal(compared, items.length)
})

t.test('DynamoDB normalizes numbers and the codec keeps its text exactly', async (t) => {
  const ddb = await useDynamo(t)
  const table = await ddb.createTable()
  await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'n' }, a: { N: '1E-130' }, b: { N: '1.50' }, c: { N: '1e2' }, d: { N: '-0' }, e: { N: '12345678901234567890123456789012345678' } } }))
  const out = await ddb.client.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'n' } } }))
  const item = fromAttributeMap(out.Item as AttributeMap)
  const text = (v: unknown): string => typeof v === 'number' ? String(v) : (v as PreciseNumber).value
  // Each comes back as DynamoDB returned it, value-equal to what was written.
  t.ok(sameDecimal(text(item.a), '1e-130'), text(item.a))
  t.ok(sameDecimal(text(item.b), '1.5'), text(item.b))
  t.ok(sameDecimal(text(item.c), '100'), text(item.c))
  t.ok(sameDecimal(text(item.d), '0'), text(item.d))
  for (const k of ['a', 'b', 'c', 'd']) t.same(toAttributeMap(item)[k], out.Item?.[k], `${k} is written back with the text it was read with`)
  t.equal((item.e as PreciseNumber).value, '12345678901234567890123456789012345678')
  t.same(toAttributeMap(item).e, { N: '12345678901234567890123456789012345678' })
})
