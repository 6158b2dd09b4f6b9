import t from 'tap'
import { Readable } from 'node:stream'
import { decodeNumber } from '../../../src/model/codec.js'
import { parseJSONLossless } from '../../../src/model/json-value.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { createSerializer, serializeOpenCDC } from '../../../src/transforms/format.js'
import { createLineParser, parseJSONL } from '../../../src/transforms/jsonl.js'
import { recordFromJSON } from '../../../src/transforms/opencdc-json.js'
import { canonRecord, genRecord, rng, roundTripFailures } from './format.fixtures.js'

const parse = (line: string, options: { typeHints?: boolean } = {}): OpenCDCRecord => recordFromJSON(parseJSONLossless(line), options)
const hintsOf = (line: string): unknown => JSON.parse((JSON.parse(line) as { metadata: Record<string, string> }).metadata['dynamodb.types'] ?? 'null')

t.test('default plain lines round-trip 2000 generated records of every DynamoDB type exactly, each line plain JSON', async (t) => {
  const through = (rec: OpenCDCRecord): OpenCDCRecord => {
    const line = serializeOpenCDC(rec)
    JSON.parse(line)
    return parse(line)
  }
  t.equal(roundTripFailures(t, 12, false, through), 0, 'every record round-trips, sets and binaries included')
})

t.test('hints name sets and bytes at any depth, inside lists and maps, per part', async (t) => {
  const rec = createRecord({
    position: 'p',
    operation: 'update',
    key: { id: Uint8Array.of(1) },
    before: { ns: new Set([1, decodeNumber('12345678901234567890123456789012345678')]) },
    after: { id: Uint8Array.of(1), m: { l: ['x', Uint8Array.of(2), [new Set(['a'])]], bs: new Set([Uint8Array.of(3), Uint8Array.of(4)]) } }
  })
  const line = serializeOpenCDC(rec)
  t.same(hintsOf(line), {
    after: [['B', 'id'], ['BS', 'm', 'bs'], ['B', 'm', 'l', 1], ['SS', 'm', 'l', 2, 0]],
    before: [['NS', 'ns']],
    key: [['B', 'id']]
  })
  const back = parse(line)
  t.same(canonRecord(back), canonRecord(rec))
  t.notOk('dynamodb.types' in back.metadata, 'the parser consumes the entry: the record is the one serialized')
  const after = back.payload.after as { m: { l: unknown[] } }
  t.ok(after.m.l[1] instanceof Uint8Array, 'bytes inside a list come back as bytes')
  t.ok((after.m.l[2] as unknown[])[0] instanceof Set, 'a set inside a list inside a list comes back as a set')
})

t.test('attribute names with dots, brackets, quotes, digits and __proto__ stay unambiguous', async (t) => {
  const after: Record<string, unknown> = { 'a.b': new Set(['x']), a: { b: 'plain' }, 'l[0]': Uint8Array.of(9), '"q"': { 0: new Set([5]) }, 'ü\u0000': Uint8Array.of(0) }
  Object.defineProperty(after, '__proto__', { value: new Set(['p']), enumerable: true, configurable: true, writable: true })
  const rec = createRecord({ position: 'p', operation: 'create', after: after as never })
  const line = serializeOpenCDC(rec)
  const back = parse(line)
  t.same(canonRecord(back), canonRecord(rec))
  const got = back.payload.after as Record<string, unknown>
  // eslint-disable-next-line no-proto -- '__proto__' is an own attribute name here, not the prototype
  t.ok(Object.hasOwn(got, '__proto__') && got.__proto__ instanceof Set, '"__proto__" is an own attribute holding the set')
  t.equal(Object.getPrototypeOf(got), Object.prototype, 'the prototype is untouched')
  t.equal((got.a as { b: unknown }).b, 'plain', '"a.b" is not read as a.b')
  t.ok(((got['"q"'] as Record<string, unknown>)['0']) instanceof Set, 'the name "0" is a name, not a list index')
})

t.test('a record with no set and no bytes is written byte for byte as without hints', async (t) => {
  const r = rng(3)
  for (let i = 0; i < 500; i++) {
    const rec = genRecord(r, true)
    const line = serializeOpenCDC(rec)
    if (line !== serializeOpenCDC(rec, { typeHints: false })) { t.fail(`record ${i} differs: ${line}`); return }
    if (line.includes('dynamodb.types')) { t.fail(`record ${i} has a hint: ${line}`); return }
  }
  const raw = createRecord({ position: 'p', operation: 'create', key: Buffer.from('k'), after: Buffer.from('{"a":1}') })
  t.notMatch(serializeOpenCDC(raw), /dynamodb\.types/, 'raw data needs no hint: a base64 string there already means bytes')
})

t.test('typeHints=false on the writer gives the lossy plain line; on the reader, lists and the entry stay as they are', async (t) => {
  const rec = createRecord({ position: 'p', operation: 'create', after: { ss: new Set(['a']), b: Uint8Array.of(1) } })
  const off = createSerializer('opencdc/json', 'opencdc.typeHints=false')(rec)
  t.notMatch(off, /dynamodb\.types/)
  t.equal(createSerializer('opencdc/json', { typeHints: false })(rec), off, 'typed option and setting agree')
  const line = serializeOpenCDC(rec)
  const back = parse(line, { typeHints: false })
  t.same(back.payload.after, { b: 'AQ==', ss: ['a'] })
  t.equal(back.metadata['dynamodb.types'], '{"after":[["B","b"],["SS","ss"]]}')
  const [viaStream] = await parseJSONL({ 'opencdc.typeHints': 'false' }).end(line + '\n').toArray() as OpenCDCRecord[]
  t.same(viaStream?.payload.after, { b: 'AQ==', ss: ['a'] }, 'parseJSONL takes the setting spelling')
})

t.test('dynamodbJson lines carry no hints (they are typed already)', async (t) => {
  const rec = createRecord({ position: 'p', operation: 'create', after: { ss: new Set(['a']) } })
  t.notMatch(serializeOpenCDC(rec, { dynamodbJson: true }), /dynamodb\.types/)
})

t.test('the serializer replaces a stale hints entry with the one its values call for', async (t) => {
  const stale = createRecord({ position: 'p', operation: 'create', metadata: { 'dynamodb.types': '{"after":[["SS","gone"]]}', x: 'y' }, after: { n: 1 } })
  t.equal(serializeOpenCDC(stale), '{"position":"cA==","operation":"create","metadata":{"x":"y"},"key":null,"payload":{"before":null,"after":{"n":1}}}')
  const wrong = createRecord({ position: 'p', operation: 'create', metadata: { 'dynamodb.types': '{"after":[["SS","gone"]]}' }, after: { b: Uint8Array.of(1) } })
  t.same(hintsOf(serializeOpenCDC(wrong)), { after: [['B', 'b']] })
})

t.test('a set the hints cannot type (empty, mixed) fails the serialize, naming part and path', async (t) => {
  const empty = createRecord({ position: 'p', operation: 'create', after: { m: { s: new Set<string>() } } })
  t.throws(() => serializeOpenCDC(empty), { code: 'ERR_DDB_INVALID_VALUE', message: /"payload\.after" value at \$\.m\.s: an empty set has no DynamoDB type.*opencdc\.typeHints=false/ })
  const mixed = createRecord({ position: 'p', operation: 'create', key: { s: new Set<unknown>(['a', 1]) } as never })
  t.throws(() => serializeOpenCDC(mixed), { code: 'ERR_DDB_INVALID_VALUE', message: /"key" value at \$\.s: a set must hold only strings/ })
  t.doesNotThrow(() => serializeOpenCDC(empty, { typeHints: false }), 'without hints the empty set is written as []')
})

function withHints (after: unknown, hints: string): string {
  return JSON.stringify({ position: 'cA==', operation: 'create', metadata: { 'dynamodb.types': hints }, key: null, payload: { before: null, after } })
}

t.test('a hint that does not match its value is an error naming line, part and path', async (t) => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ n: 5 }, '{"after":[["SS","n"]]}', /line 2: .*"payload\.after" type hint SS at \$\.n .*expected a list of distinct strings, got a number/],
    [{ m: { 'a.b': 'not base64!' } }, '{"after":[["B","m","a.b"]]}', /line 2: .*"payload\.after" type hint B at \$\.m\["a\.b"\] .*expected a base64 string, got a string/],
    [{ l: [1] }, '{"after":[["NS","l",3]]}', /line 2: .*type hint NS at \$\.l\[3\] .*got nothing there/],
    [{ ss: ['a', 'a'] }, '{"after":[["SS","ss"]]}', /line 2: .*type hint SS at \$\.ss .*distinct strings, got a list/],
    [{ ns: [1, 'x'] }, '{"after":[["NS","ns"]]}', /line 2: .*type hint NS at \$\.ns/],
    [{ a: 1 }, '{"key":[["B","id"]]}', /line 2: .*"key" has type hints in metadata "dynamodb\.types" but is absent/],
    [{ a: 1 }, '{"after":[["XS","a"]]}', /line 2: .*"metadata\.dynamodb\.types" \.after holds \["XS","a"\]/],
    [{ a: 1 }, '{"payload":[]}', /line 2: .*unknown part "payload"/],
    [{ a: 1 }, '{after', /line 2: .*"metadata\.dynamodb\.types" must be JSON/]
  ]
  for (const [after, hints, message] of cases) {
    const good = serializeOpenCDC(createRecord({ position: 'p', operation: 'create', after: { ok: 1 } }))
    const lineParser = createLineParser()
    lineParser(good)
    t.throws(() => lineParser(withHints(after, hints)), { code: 'ERR_DDB_INVALID_JSON_LINE', message }, hints)
  }
})

t.test('parseJSONL applies the hints by default', async (t) => {
  const rec = createRecord({ position: 'p', operation: 'snapshot', key: { id: Uint8Array.of(0, 1) }, after: { id: Uint8Array.of(0, 1), tags: new Set(['x', 'y']) } })
  const out = await Readable.from([serializeOpenCDC(rec) + '\n']).pipe(parseJSONL()).toArray() as OpenCDCRecord[]
  t.same(canonRecord(out[0] as OpenCDCRecord), canonRecord(rec))
})
