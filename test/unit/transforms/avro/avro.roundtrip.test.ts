import t from 'tap'
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createAvroEncoder, createAvroDecoder, InMemorySchemaRegistry } from '../../../../src/transforms/index.js'
import { decodeNumber } from '../../../../src/model/codec.js'
import { createRecord, type OpenCDCRecord, type StructuredData } from '../../../../src/model/record.js'
import { canonRecord, genRecord, rng } from '../format.fixtures.js'

async function through (records: OpenCDCRecord[], ...stages: Transform[]): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  await pipeline([Readable.from(records), ...stages, new Writable({ objectMode: true, write (r: OpenCDCRecord, _e, cb) { out.push(r); cb() } })])
  return out
}

const withoutSchemaMeta = (r: OpenCDCRecord): unknown => {
  const c = canonRecord(r) as { metadata: Record<string, string> }
  c.metadata = Object.fromEntries(Object.entries(c.metadata).filter(([k]) => !k.includes('.schema.')))
  return c
}

t.test('decode(encode(r)) = r for 1000 generated records of every DynamoDB type', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const r = rng(11)
  const records = Array.from({ length: 1000 }, () => genRecord(r, false))
  const encoded = await through(records, createAvroEncoder({ registry }))
  const decoded = await through(encoded, createAvroDecoder({ registry }))
  let failures = 0
  decoded.forEach((d, i) => {
    if (JSON.stringify(withoutSchemaMeta(d)) !== JSON.stringify(canonRecord(records[i] as OpenCDCRecord))) {
      if (++failures < 3) t.same(withoutSchemaMeta(d), canonRecord(records[i] as OpenCDCRecord), `record ${i}`)
    }
  })
  t.equal(failures, 0, 'every record round-trips')
  t.ok(encoded.some((e) => Buffer.isBuffer(e.payload.after) && e.metadata['opencdc.payload.schema.version'] !== undefined), 'payloads were encoded')
})

t.test('an update that adds an attribute encodes before and after with one schema and decodes both', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const rec = createRecord({ position: 'p', operation: 'update', metadata: { 'opencdc.collection': 'Orders' }, key: { id: 1 }, before: { id: 1, name: 'a' }, after: { id: 1, name: 'a', added: new Set(['x']), n: null } })
  const [enc] = await through([rec], createAvroEncoder({ registry, contextEnabled: false }))
  t.ok(Buffer.isBuffer(enc?.payload.before) && Buffer.isBuffer(enc?.payload.after))
  t.equal(enc?.metadata['opencdc.payload.schema.subject'], 'Orders.payload')
  t.equal(enc?.metadata['opencdc.key.schema.subject'], 'Orders.key')
  const [dec] = await through([enc as OpenCDCRecord], createAvroDecoder({ registry }))
  t.same(withoutSchemaMeta(dec as OpenCDCRecord), canonRecord(rec))
  t.notOk(Object.hasOwn(dec?.payload.before as object, 'added'), 'the attribute stays absent from before')
})

t.test('an update that removes an attribute keeps absent apart from NULL', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const rec = createRecord({ position: 'p', operation: 'update', key: { id: 1 }, before: { id: 1, gone: null, kept: decodeNumber('3.14159265358979323846264338327950288') }, after: { id: 1, kept: 'now a string' } })
  const [dec] = await through([rec], createAvroEncoder({ registry }), createAvroDecoder({ registry }))
  t.same(dec?.payload.before, rec.payload.before)
  t.same(dec?.payload.after, { id: 1, kept: 'now a string' })
  t.notOk(Object.hasOwn(dec?.payload.after as object, 'gone'))
})

t.test('leaves raw data and disabled parts untouched, without schema metadata', async (t) => {
  const rec = createRecord({ position: 'p', operation: 'create', key: Uint8Array.of(1, 2), after: { id: 1 } })
  const [enc] = await through([rec], createAvroEncoder({ 'sdk.schema.extract.payload.enabled': 'false' }))
  t.same(enc?.key, Uint8Array.of(1, 2))
  t.same(enc?.payload.after, { id: 1 })
  t.same(enc?.metadata, {})
})

t.test('prefixes subjects with the context name, defaulting to the connector id', async (t) => {
  const rec = createRecord({ position: 'p', operation: 'create', metadata: { 'opencdc.collection': 'T', 'conduit.source.connector.id': 'conn-1' }, key: { id: 1 }, after: { id: 1 } })
  const [a] = await through([rec], createAvroEncoder())
  t.equal(a?.metadata['opencdc.key.schema.subject'], 'conn-1:T.key')
  const [b] = await through([rec], createAvroEncoder({ 'sdk.schema.context.name': 'ctx', 'sdk.schema.extract.payload.subject': 'value' }))
  t.equal(b?.metadata['opencdc.payload.schema.subject'], 'ctx:T.value')
})

t.test('fails with a coded error naming the record when its schema is unknown to the registry', async (t) => {
  const rec = createRecord({ position: 'p7', operation: 'create', metadata: { 'opencdc.key.schema.subject': 'nope', 'opencdc.key.schema.version': '1' }, key: Uint8Array.of(2) })
  await t.rejects(through([rec], createAvroDecoder()), { code: 'ERR_DDB_SCHEMA_NOT_FOUND', message: /cannot decode record #0 position "p7".*subject "nope" version 1 not found/ })
})

t.test('rejects unknown options with a hint', async (t) => {
  t.throws(() => createAvroEncoder({ 'sdk.schema.extract.key.enabld': 'true' }), { code: 'ERR_DDB_UNKNOWN_OPTION', message: /did you mean "sdk.schema.extract.key.enabled"/ })
})

t.test('a list of maps with different attributes, NULLs and mixed types round-trips', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const after: StructuredData = { id: 1, items: [{ a: 1 }, { b: 'x', a: null }, { a: 'text' }, {}], mixed: [1, 'a', 2.5, true, null, Uint8Array.of(1), [1], { k: 1 }] }
  const rec = createRecord({ position: 'p', operation: 'snapshot', key: { id: 1 }, after })
  const [dec] = await through([rec], createAvroEncoder({ registry }), createAvroDecoder({ registry }))
  t.same(withoutSchemaMeta(dec as OpenCDCRecord), canonRecord(rec))
})

t.test('attributes named like Avro primitives or our own type names round-trip', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const after: StructuredData = { string: { long: { null: 1 } }, record: { record: { a: 1 } }, dynamodb: { Number: { x: 1 } }, items: [{ item: { a: 1 } }], nested: { item: [{ b: 1 }] } }
  const rec = createRecord({ position: 'p', operation: 'create', key: { id: 1 }, after })
  const [dec] = await through([rec], createAvroEncoder({ registry }), createAvroDecoder({ registry }))
  t.same(withoutSchemaMeta(dec as OpenCDCRecord), canonRecord(rec))
})
