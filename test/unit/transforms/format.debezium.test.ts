import t from 'tap'
import { serializeDebezium } from '../../../src/transforms/index.js'
import { decodeNumber } from '../../../src/model/codec.js'
import { createRecord } from '../../../src/model/record.js'

const TX = '{"type":"struct","optional":true,"fields":[{"type":"string","optional":false,"field":"id"},{"type":"int64","optional":false,"field":"total_order"},{"type":"int64","optional":false,"field":"data_collection_order"}],"field":"transaction"}'

t.test('writes the Debezium envelope: schema derived from the data, op, source metadata and ts_ms from readAt', async (t) => {
  const r = createRecord({ position: 'p', operation: 'create', metadata: { 'opencdc.readAt': '1700000000123456789', 'opencdc.collection': 'T' }, key: { id: 1 }, after: { id: 1, name: 'a', price: 9.5 } })
  const after = '{"type":"struct","optional":true,"fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":false,"field":"name"},{"type":"double","optional":false,"field":"price"}]'
  t.equal(serializeDebezium(r, { schemaName: 'my.Envelope' }),
    '{"schema":{"type":"struct","optional":false,"name":"my.Envelope","fields":[' +
    after + ',"field":"before"},' + after + ',"field":"after"},' +
    '{"type":"struct","optional":false,"fields":[{"type":"string","optional":false,"field":"opencdc.collection"},{"type":"string","optional":false,"field":"opencdc.readAt"}],"field":"source"},' +
    '{"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"},' + TX + ']},' +
    '"payload":{"before":null,"after":{"id":1,"name":"a","price":9.5},"source":{"opencdc.collection":"T","opencdc.readAt":"1700000000123456789"},"op":"c","ts_ms":1700000000123,"transaction":null}}')
})

t.test('maps operations to c, u, d and r', async (t) => {
  const op = (operation: 'create' | 'update' | 'delete' | 'snapshot') => (JSON.parse(serializeDebezium(createRecord({ position: 'p', operation, after: { a: 1 } }))) as { payload: { op: string } }).payload.op
  t.same([op('create'), op('update'), op('delete'), op('snapshot')], ['c', 'u', 'd', 'r'])
})

t.test('omits ts_ms without readAt and the schema name when not set', async (t) => {
  const doc = JSON.parse(serializeDebezium(createRecord({ position: 'p', operation: 'delete', before: { a: 1 } }))) as { schema: Record<string, unknown>, payload: Record<string, unknown> }
  t.notOk('ts_ms' in doc.payload)
  t.notOk('name' in doc.schema)
  t.same(doc.payload.after, null)
})

t.test('lifts raw JSON objects into structured data and wraps other raw bytes under debezium.rawData.key', async (t) => {
  const r = createRecord({ position: 'p', operation: 'update', before: Buffer.from('{"a":1}'), after: Buffer.from('not json') })
  const doc = JSON.parse(serializeDebezium(r, { rawDataKey: 'raw' })) as { payload: Record<string, unknown>, schema: { fields: Array<{ fields?: unknown[] }> } }
  t.same(doc.payload.before, { a: 1 })
  t.same(doc.payload.after, { raw: Buffer.from('not json').toString('base64') })
  t.same(doc.schema.fields[1]?.fields, [{ type: 'bytes', optional: true, field: 'raw' }])
})

t.test('keeps every digit of precise numbers and types them int64 or double', async (t) => {
  const r = createRecord({ position: 'p', operation: 'create', after: { big: decodeNumber('9223372036854775807'), huge: decodeNumber('99999999999999999999999999999999999999'), ss: new Set(['x']) } })
  const text = serializeDebezium(r)
  t.match(text, /"after":\{"big":9223372036854775807,"huge":99999999999999999999999999999999999999,"ss":\["x"\]\}/)
  t.match(text, /\{"type":"int64","optional":false,"field":"big"\},\{"type":"double","optional":false,"field":"huge"\},\{"type":"array","optional":true,"items":\{"type":"string","optional":false\},"field":"ss"\}/)
})
