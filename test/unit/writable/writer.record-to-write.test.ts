import t from 'tap'
import { toWriteOp } from '../../../src/writable/write-op.js'
import { PreciseNumber, createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import type { KeySchema } from '../../../src/writable/key-schema.js'

const schema: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } }

t.test('create, snapshot and update put payload.after with the key attributes merged in from record.key', async (t) => {
  for (const operation of ['create', 'snapshot', 'update'] as const) {
    const op = toWriteOp(createRecord({ position: 'p', operation, key: { pk: 'a', sk: 1 }, after: { pk: 'stale', v: 'x' } }), 0, schema)
    t.equal(op.kind, 'put')
    t.same(op.item, { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } }, operation)
    t.same(op.key, { pk: { S: 'a' }, sk: { N: '1' } })
  }
})

t.test('delete removes by key; key attributes missing from record.key are taken from payload.before', async (t) => {
  const op = toWriteOp(createRecord({ position: 'p', operation: 'delete', key: { pk: 'a' }, before: { pk: 'a', sk: 7, v: 1 } }), 0, schema)
  t.equal(op.kind, 'delete')
  t.same(op.key, { pk: { S: 'a' }, sk: { N: '7' } })
  t.equal(op.item, undefined)
})

t.test('patch mode turns an update into SET of changed and REMOVE of dropped attributes', async (t) => {
  const op = toWriteOp(createRecord({ position: 'p', operation: 'update', key: { pk: 'a', sk: 1 }, before: { same: 1, changed: 'x', gone: true }, after: { same: 1, changed: 'y', added: [1] } }), 0, schema, 'patch')
  t.equal(op.kind, 'update')
  t.equal(op.update?.UpdateExpression, 'SET #a0 = :v0, #a1 = :v1 REMOVE #a2')
  t.same(op.update?.ExpressionAttributeNames, { '#a0': 'changed', '#a1': 'added', '#a2': 'gone' })
  t.same(op.update?.ExpressionAttributeValues, { ':v0': { S: 'y' }, ':v1': { L: [{ N: '1' }] } })
})

t.test('patch mode without payload.before falls back to a put; create stays a put', async (t) => {
  t.equal(toWriteOp(createRecord({ position: 'p', operation: 'update', key: { pk: 'a', sk: 1 }, after: { v: 1 } }), 0, schema, 'patch').kind, 'put')
  t.equal(toWriteOp(createRecord({ position: 'p', operation: 'create', key: { pk: 'a', sk: 1 }, after: { v: 1 } }), 0, schema, 'patch').kind, 'put')
})

t.test('raw-bytes key and payload holding JSON are decoded, keeping every digit', async (t) => {
  const op = toWriteOp(createRecord({
    position: 'p',
    operation: 'create',
    key: Buffer.from('{"pk":"a","sk":12345678901234567890123456789}'),
    after: Buffer.from('{"n":3.14159265358979323846264338327950288}')
  }), 0, schema)
  t.same(op.item, { pk: { S: 'a' }, sk: { N: '12345678901234567890123456789' }, n: { N: '3.14159265358979323846264338327950288' } })
})

function errorOf (record: unknown, index = 3, mode: 'put' | 'patch' = 'put'): Error & { code?: string } {
  try {
    toWriteOp(record as OpenCDCRecord, index, schema, mode)
  } catch (err) {
    t.ok(isOpenCDCError(err), 'an OpenCDCError')
    return err as Error
  }
  throw new Error('expected an error')
}

t.test('raw bytes that are not a JSON object fail naming the record', async (t) => {
  const err = errorOf(createRecord({ position: 'pos-1', operation: 'create', key: { pk: 'a', sk: 1 }, after: Buffer.from('not json') }))
  t.equal(err.code, 'ERR_DDB_INVALID_RECORD')
  t.match(err.message, /^record #3 position "pos-1" key \{pk="a", sk=1\}: payload\.after is raw bytes that are not JSON/)
  t.match(errorOf(createRecord({ position: 'p', operation: 'create', key: Buffer.from('[1]'), after: {} })).message, /key is raw bytes holding JSON that is not an object/)
})

t.test('a missing key attribute fails naming the record and the attribute', async (t) => {
  const err = errorOf(createRecord({ position: 'pos-2', operation: 'create', key: { pk: 'a' }, after: { v: 1 } }))
  t.equal(err.code, 'ERR_DDB_INVALID_KEY')
  t.match(err.message, /record #3 position "pos-2" key \{pk="a"\}: missing key attribute "sk" \(sort key, type N\)/)
})

t.test('a key attribute of the wrong type fails naming the expected type', async (t) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ pk: 1, sk: 1 }, /"pk" must be a string \(S\).*got number/],
    [{ pk: 'a', sk: '1' }, /"sk" must be a number \(N\).*got string/],
    [{ pk: 'a', sk: new PreciseNumber('1') }, /^$/],
    [{ pk: null, sk: 1 }, /"pk" must be a string \(S\).*got null/]
  ]
  for (const [key, re] of cases) {
    const record = createRecord({ position: 'p', operation: 'create', key: key as never, after: {} })
    if (re.source === '^$') { t.doesNotThrow(() => toWriteOp(record, 0, schema)); continue }
    const err = errorOf(record)
    t.equal(err.code, 'ERR_DDB_INVALID_KEY')
    t.match(err.message, re)
  }
  const bin: KeySchema = { hash: { name: 'id', type: 'B' } }
  t.throws(() => toWriteOp(createRecord({ position: 'p', operation: 'create', key: { id: 'abc' }, after: {} }), 0, bin), /"id" must be binary \(B\)/)
  t.throws(() => toWriteOp(createRecord({ position: 'p', operation: 'create', key: { id: new Uint8Array(0) }, after: {} }), 0, bin), /must not be empty/)
})

t.test('an unknown operation fails naming the record', async (t) => {
  const record = { ...createRecord({ position: 'pos-3', operation: 'create', key: { pk: 'a', sk: 1 }, after: {} }), operation: 'upsert' }
  const err = errorOf(record)
  t.equal(err.code, 'ERR_DDB_INVALID_RECORD')
  t.match(err.message, /record #3 position "pos-3".*unknown operation "upsert"/)
  t.match(errorOf(null, 9).message, /record #9: expected an OpenCDC record object, got null/)
})

t.test('a create without payload.after fails', async (t) => {
  t.match(errorOf(createRecord({ position: 'p', operation: 'create', key: { pk: 'a', sk: 1 } })).message, /a create record needs payload\.after/)
})

t.test('an item over 400 KB is rejected before sending, naming the record and the size', async (t) => {
  const err = errorOf(createRecord({ position: 'big', operation: 'create', key: { pk: 'a', sk: 1 }, after: { blob: 'x'.repeat(400 * 1024) } }))
  t.equal(err.code, 'ERR_DDB_ITEM_TOO_LARGE')
  t.match(err.message, /record #3 position "big" key \{pk="a", sk=1\}: item is 4096\d\d bytes; DynamoDB allows at most 409600/)
  t.doesNotThrow(() => toWriteOp(createRecord({ position: 'ok', operation: 'create', key: { pk: 'a', sk: 1 }, after: { b: 'x'.repeat(400 * 1024 - 20) } }), 0, schema))
})

t.test('keys over 2048 bytes (partition) or 1024 bytes (sort) are rejected', async (t) => {
  const s2: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'S' } }
  const at = (pk: string, sk: string): unknown => { try { toWriteOp(createRecord({ position: 'p', operation: 'create', key: { pk, sk }, after: {} }), 0, s2); return undefined } catch (err) { return err } }
  t.equal(at('é'.repeat(1024), 'x'.repeat(1024)), undefined, 'exactly at the limits is fine (UTF-8 bytes count)')
  t.match(at('é'.repeat(1024) + 'x', 'x'), { code: 'ERR_DDB_KEY_TOO_LONG', message: /partition key "pk" is 2049 bytes; DynamoDB allows at most 2048/ })
  t.match(at('x', 'x'.repeat(1025)), { code: 'ERR_DDB_KEY_TOO_LONG', message: /sort key "sk" is 1025 bytes; DynamoDB allows at most 1024/ })
})

t.test('a value DynamoDB cannot store fails with its path and the record', async (t) => {
  const err = errorOf(createRecord({ position: 'p', operation: 'create', key: { pk: 'a', sk: 1 }, after: { s: new Set() as never } }))
  t.equal(err.code, 'ERR_DDB_INVALID_VALUE')
  t.match(err.message, /record #3.*payload\.after: value at \$\.s cannot be stored in DynamoDB: empty sets/)
})
