import t from 'tap'
import avro from 'avsc'
import { avroSchemaFor } from '../../../../src/transforms/avro/schema.js'
import { decodeNumber } from '../../../../src/model/codec.js'

t.test('infers a root record named "record" with sorted fields, long for integers and double for other numbers', async (t) => {
  t.same(avroSchemaFor({ name: 'a', id: 1, price: 9.99, ok: true, raw: Uint8Array.of(1) }), {
    type: 'record',
    name: 'record',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'name', type: 'string' },
      { name: 'ok', type: 'boolean' },
      { name: 'price', type: 'double' },
      { name: 'raw', type: 'bytes' }
    ]
  })
})

t.test('names nested records by dotted path and maps null to ["null","string"]', async (t) => {
  const s = avroSchemaFor({ addr: { city: 'x', geo: { lat: 1.5 } }, gone: null }) as { fields: Array<{ name: string, type: unknown }> }
  t.same(s.fields[0], { name: 'addr', type: { type: 'record', name: 'record.addr', fields: [{ name: 'city', type: 'string' }, { name: 'geo', type: { type: 'record', name: 'record.addr.geo', fields: [{ name: 'lat', type: 'double' }] } }] } })
  t.same(s.fields[1], { name: 'gone', type: ['null', 'string'] })
})

t.test('marks precise numbers and sets with logical types', async (t) => {
  const s = avroSchemaFor({ big: decodeNumber('12345678901234567890123456789012345678'), ss: new Set(['a']), ns: new Set([1]), bs: new Set([Uint8Array.of(1)]) }) as { fields: Array<{ name: string, type: unknown }> }
  t.same(Object.fromEntries(s.fields.map((f) => [f.name, f.type])), {
    big: { type: 'string', logicalType: 'dynamodb-number' },
    bs: { type: 'array', items: 'bytes', logicalType: 'dynamodb-binary-set' },
    ns: { type: 'array', items: 'string', logicalType: 'dynamodb-number-set' },
    ss: { type: 'array', items: 'string', logicalType: 'dynamodb-string-set' }
  })
})

t.test('uses an Avro map when attribute names are not Avro names', async (t) => {
  t.same(avroSchemaFor({ 'first-name': 'a', 'x y': 1 }), { type: 'map', values: ['long', 'string'] })
})

t.test('merges before and after: attributes missing on one side become optional unions', async (t) => {
  const s = avroSchemaFor({ id: 1, a: 'x' }, { id: 1, b: 2 }) as { fields: unknown[] }
  t.same(s.fields, [
    { name: 'a', type: ['null', 'string'], default: null, 'dynamodb.optional': true },
    { name: 'b', type: ['null', 'long'], default: null, 'dynamodb.optional': true },
    { name: 'id', type: 'long' }
  ])
})

t.test('wraps members that would clash in a union (string and precise number, list and set, NULL of an optional field)', async (t) => {
  const s = avroSchemaFor({ v: 'text', l: ['a'], o: null }, { v: decodeNumber('99999999999999999999'), l: new Set(['a']) }) as { fields: Array<{ name: string, type: unknown }> }
  const byName = Object.fromEntries(s.fields.map((f) => [f.name, f.type]))
  t.same(byName.v, ['string', { type: 'record', name: 'dynamodb.Number', fields: [{ name: 'value', type: 'string' }] }])
  t.same(byName.l, [{ type: 'array', items: 'string' }, { type: 'record', name: 'dynamodb.StringSet', fields: [{ name: 'items', type: { type: 'array', items: 'string' } }] }])
  t.same(byName.o, ['null', { type: 'record', name: 'dynamodb.Null', fields: [] }])
})

t.test('every inferred schema is valid for avsc, and the same shape gives the same text', async (t) => {
  const a = avroSchemaFor({ x: [1, 'a', { y: 1 }, [true]], m: { 'a-b': { c: 1 } } }, { x: [], m: {} })
  t.doesNotThrow(() => avro.Type.forSchema(a as avro.Schema, { wrapUnions: true }))
  t.equal(JSON.stringify(avroSchemaFor({ b: 1, a: 'x' })), JSON.stringify(avroSchemaFor({ a: 'y', b: 2 })))
})
