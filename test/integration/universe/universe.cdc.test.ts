// The shared universe through DynamoDB Local's real stream (its quirks met: bare {} for empty maps,
// nested number text as written): inserted, each item modified, then removed, read by createChangeStream.
import t from 'tap'
import { DeleteItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { caseOf, createUniverseTable, diffItems, putItems, universe, PK, SK, type Item, type KeyType } from '../../helpers/universe.js'
import { toAttributeMap } from '../../../src/model/codec.js'
import { wireStats } from '../../../src/aws/wire-hook.js'
import { createChangeStream } from '../../../src/readable/cdc/change-stream.js'
import type { OpenCDCRecord, StructuredData } from '../../../src/model/record.js'

const ddb = await useDynamo(t)

// Nested attributes named `__proto__` are carried: GetRecords is decoded by src/aws/wire-decode.ts, not by the
// Streams SDK client (@aws-sdk/client-dynamodb-streams 3.1141.0), whose deserializer turns their value into undefined.

/** Each item with one attribute changed (its `case` S becomes a map holding it) and every other kept. */
const mutate = (item: Item, i: number): Item => ({ ...item, case: { M: { was: item.case as AttributeValue, i: { N: String(i) } } } })

const asItem = (data: StructuredData | null | undefined | Uint8Array): Item | undefined =>
  data === null || data === undefined || data instanceof Uint8Array ? undefined : toAttributeMap(data)

async function read (stream: AsyncIterable<unknown>, n: number): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  for await (const r of stream) {
    out.push(r as OpenCDCRecord)
    if (out.length === n) break
  }
  return out
}

for (const [key, range, big] of [['S', undefined, true], ['N', 'B', false], ['B', 'S', false]] as Array<[KeyType, KeyType | undefined, boolean]>) {
  t.test(`universe (${key}${range !== undefined ? ` + ${range} sort key` : ''} keys${big ? ', items near 400 KB' : ''}): insert, modify, remove through the stream, images exact`, async (t) => {
    const items = universe({ key, ...(range !== undefined ? { range } : {}), big, count: 40 })
    const modified = items.map(mutate)
    const keyNames = range !== undefined ? [PK, SK] : [PK]
    const keyOf = (item: Item): Item => Object.fromEntries(keyNames.map((k) => [k, item[k] as AttributeValue]))
    const table = await createUniverseTable(ddb, key, { stream: 'NEW_AND_OLD_IMAGES', ...(range !== undefined ? { range } : {}) })
    const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100 })
    await stream.whenStarted()
    const before = wireStats()
    await putItems(ddb.client, table, items)
    for (const item of modified) await ddb.client.send(new PutItemCommand({ TableName: table, Item: item }))
    for (const item of items) await ddb.client.send(new DeleteItemCommand({ TableName: table, Key: keyOf(item) }))

    const records = await read(stream, items.length * 3)
    const after = wireStats()
    t.ok(after.fast > before.fast && after.sdk === before.sdk, `GetRecords pages decoded by the fast path (src/aws/wire-decode.ts): ${after.fast - before.fast}`)
    const by = (op: string): OpenCDCRecord[] => records.filter((r) => r.operation === op)
    t.same(records.map((r) => r.operation), [...items.map(() => 'create'), ...items.map(() => 'update'), ...items.map(() => 'delete')], 'every change, in write order')
    const images = (rs: OpenCDCRecord[], side: 'before' | 'after'): Item[] => rs.map((r) => asItem(r.payload[side]) ?? {})
    t.same(diffItems(items, images(by('create'), 'after'), keyNames), [], `${items.length} inserts: after = the item written`)
    t.same(diffItems(items, images(by('update'), 'before'), keyNames), [], 'modifies: before = the item as inserted')
    t.same(diffItems(modified, images(by('update'), 'after'), keyNames), [], 'modifies: after = the item as modified')
    t.same(diffItems(modified, images(by('delete'), 'before'), keyNames), [], 'removes: before = the item as modified')
    t.same(by('create').filter((r) => r.payload.before !== null).length + by('delete').filter((r) => r.payload.after !== null).length, 0, 'no before on inserts, no after on removes')
    t.same(diffItems(records.map((r) => toAttributeMap(r.key as StructuredData)), [...items, ...items, ...items].map(keyOf), keyNames).filter((d) => !/holds this key twice/.test(d)), [], 'keys exact')
    const cases = new Set(items.map(caseOf))
    t.ok(cases.has('empties') && cases.has('deepest-31-containers') && cases.has('numbers-denormalized-deep') && cases.has('proto-names'), `${items.length} items, edge cases included`)
  })
}

t.test('a nested attribute named __proto__ comes through the stream as an own attribute with its value', async (t) => {
  const table = await createUniverseTable(ddb, 'S', { stream: 'NEW_AND_OLD_IMAGES' })
  const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100 })
  await stream.whenStarted()
  const m: Item = {}
  Object.defineProperty(m, '__proto__', { value: { S: 'p' }, enumerable: true, writable: true, configurable: true })
  await ddb.client.send(new PutItemCommand({ TableName: table, Item: { [PK]: { S: 'proto' }, l: { L: [{ M: m }] } } }))
  const [record] = await read(stream, 1)
  const inner = ((record?.payload.after as StructuredData).l as StructuredData[])[0] as StructuredData
  t.ok(Object.hasOwn(inner, '__proto__'), 'an own attribute')
  t.equal(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value, 'p', 'with its value')
  t.equal(Object.getPrototypeOf(inner), Object.prototype, 'the prototype untouched')
})
