import t, { type Test } from 'tap'
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { fromAttributeMap, toAttributeMap, type AttributeMap } from '../../../src/model/codec.js'
import { fromDynamoJSON, toDynamoJSON } from '../../../src/model/dynamodb-json.js'
import { parseJSONExact } from '../../../src/model/json-exact.js'
import { parseJSONLossless, stringifyValue } from '../../../src/model/json-value.js'
import { fromStreamImage } from '../../../src/readable/cdc/image.js'
import { createAvroDecoder, createAvroEncoder, InMemorySchemaRegistry } from '../../../src/transforms/index.js'
import { createRecord, type OpenCDCRecord, type StructuredData } from '../../../src/model/record.js'

// A nested DynamoDB attribute may be named `__proto__`; `obj[k] = v` would set the prototype instead of an attribute.

/** An object holding `entries` as own properties (defineProperty: a literal `__proto__:` sets the prototype). */
function own<T> (entries: Array<[string, T]>): Record<string, T> {
  const o: Record<string, T> = {}
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  return o
}

/** The `__proto__` own property of `o`, and whether `o` is still a plain object. */
function check (t: Test, o: unknown, expected: unknown, what: string): void {
  t.equal(Object.getPrototypeOf(o), Object.prototype, `${what}: the prototype is untouched`)
  t.ok(Object.hasOwn(o as object, '__proto__'), `${what}: __proto__ is an own attribute`)
  t.same(Object.getOwnPropertyDescriptor(o, '__proto__')?.value, expected, `${what}: with its value`)
}

const raw: AttributeMap = { id: { S: 'a' }, m: { M: own<AttributeValue>([['__proto__', { M: { polluted: { BOOL: true } } }], ['x', { S: 'y' }]]) }, l: { L: [{ M: own<AttributeValue>([['__proto__', { S: 'p' }]]) }] } }

t.test('fromAttributeMap keeps a nested __proto__ as an attribute', async (t) => {
  const data = fromAttributeMap(raw)
  check(t, data.m, { polluted: true }, 'in a map')
  check(t, (data.l as unknown[])[0], 'p', 'in a map in a list')
  t.equal(({} as { polluted?: boolean }).polluted, undefined, 'Object.prototype is not polluted')
})

t.test('toAttributeMap writes a nested __proto__ as an attribute', async (t) => {
  const back = toAttributeMap(fromAttributeMap(raw))
  check(t, back.m?.M, { M: { polluted: { BOOL: true } } }, 'in a map')
  check(t, back.l?.L?.[0]?.M, { S: 'p' }, 'in a map in a list')
})

t.test('DynamoDB JSON carries __proto__ both ways', async (t) => {
  const json = toDynamoJSON(fromAttributeMap(raw)) as { m: { M: object } }
  check(t, json.m.M, { M: { polluted: { BOOL: true } } }, 'toDynamoJSON')
  const text = JSON.stringify(json)
  t.match(text, /"__proto__":\{"M":\{"polluted":\{"BOOL":true\}\}\}/, 'JSON text holds it')
  const data = fromDynamoJSON(JSON.parse(text))
  check(t, data.m, { polluted: true }, 'fromDynamoJSON')
})

t.test('the exact JSON parser and stringifyValue carry __proto__', async (t) => {
  const text = stringifyValue(fromAttributeMap(raw))
  t.match(text, /"__proto__":\{"polluted":true\}/)
  check(t, (parseJSONExact(text) as { m: object }).m, { polluted: true }, 'parseJSONExact')
  // A U+0001 in the text sends parseJSONLossless to the exact parser, a 20-digit number to its reviver.
  check(t, (parseJSONLossless(text.replace('"a"', '"\\u0001"')) as { m: object }).m, { polluted: true }, 'parseJSONLossless (exact parser)')
  check(t, (parseJSONLossless(text.replace('"a"', '12345678901234567890123')) as { m: object }).m, { polluted: true }, 'parseJSONLossless (reviver)')
})

t.test('a stream image decodes a nested __proto__ as an attribute', async (t) => {
  check(t, fromStreamImage(raw).m, { polluted: true }, 'fromStreamImage')
  // A bare {} (DynamoDB Local's empty map) sends the image down the slower, checking walk.
  const quirky = { ...raw, e: {} as AttributeValue }
  check(t, fromStreamImage(quirky).m, { polluted: true }, 'fromStreamImage with a bare {}')
})

t.test('Avro encode/decode carries __proto__, whatever its value type', async (t) => {
  const registry = new InMemorySchemaRegistry()
  // A map of strings (no union wrapper: avsc's map reader would drop the key) and a map of objects.
  const after = { id: 1, s: own([['__proto__', 'p'], ['a', 'b']]), o: own([['__proto__', { polluted: true }]]) } as unknown as StructuredData
  const out: OpenCDCRecord[] = []
  const stages: Transform[] = [createAvroEncoder({ registry }), createAvroDecoder({ registry })]
  await pipeline([Readable.from([createRecord({ position: 'p', operation: 'create', metadata: {}, key: { id: 1 }, after })]), ...stages, new Writable({ objectMode: true, write (r: OpenCDCRecord, _e, cb) { out.push(r); cb() } })])
  const got = out[0]?.payload.after as Record<string, unknown>
  check(t, got.s, 'p', 'map of strings')
  t.equal((got.s as Record<string, unknown>).a, 'b')
  check(t, got.o, { polluted: true }, 'map of maps')
})

t.test('a top-level __proto__ attribute survives decoding and encoding as an own attribute, in its place', async (t) => {
  const item = JSON.parse('{"id":{"S":"a"},"__proto__":{"M":{"__proto__":{"S":"x"}}}}')
  const back = toAttributeMap(fromAttributeMap(item))
  t.same(Object.keys(back), ['id', '__proto__'])
  // eslint-disable-next-line no-proto -- '__proto__' is an own attribute name here, not the prototype
  t.same(Object.keys(back.__proto__?.M ?? {}), ['__proto__'])
})
