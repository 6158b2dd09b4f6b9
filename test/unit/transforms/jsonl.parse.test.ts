import t from 'tap'
import assert from 'node:assert'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseJSONL } from '../../../src/transforms/jsonl.js'
import { format, serializeOpenCDC } from '../../../src/transforms/format.js'
import { createRecord, describeRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { canonRecord, genRecord, rng } from './format.fixtures.js'

async function collect (chunks: Array<string | Buffer>, options = {}): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  for await (const r of Readable.from(chunks, { objectMode: false }).pipe(parseJSONL(options))) out.push(r as OpenCDCRecord)
  return out
}

t.test('parses Conduit\'s own opencdc/json output', async (t) => {
  const line = '{"position":"c3RhbmRpbmc=","operation":"update","metadata":{"foo":"bar"},"key":"cGFkbG9jay1rZXk=","payload":{"before":"eWVsbG93","after":{"bool":true,"float32":1.2,"float64":1.2,"int":1,"int32":1,"int64":1,"string":"orange"}}}\n'
  const [r] = await collect([line])
  t.same(r?.position, Buffer.from('standing'))
  t.equal(r?.operation, 'update')
  t.same(r?.metadata, { foo: 'bar' })
  t.same(r?.key, Buffer.from('padlock-key'), 'a base64 string for key means raw bytes')
  t.same(r?.payload.before, Buffer.from('yellow'))
  t.same(r?.payload.after, { bool: true, float32: 1.2, float64: 1.2, int: 1, int32: 1, int64: 1, string: 'orange' })
})

t.test('accepts null, "" and missing fields for absent position, key, before, after and metadata', async (t) => {
  const rs = await collect([
    '{"position":null,"operation":"delete","metadata":null,"key":"","payload":{"before":"","after":null}}\n',
    '{"operation":"create","payload":{"after":{"id":1}}}\n'
  ])
  t.equal(rs.length, 2)
  t.same(rs[0]?.position, Buffer.alloc(0))
  t.same(rs[0]?.metadata, {})
  t.equal(rs[0]?.key, null)
  t.equal(rs[0]?.payload.before, null)
  t.same(rs[1]?.payload.after, { id: 1 })
  t.equal(rs[1]?.key, null)
})

t.test('reassembles lines and multi-byte characters split across chunks, CRLF included', async (t) => {
  const text = serializeOpenCDC(createRecord({ position: 'p', operation: 'create', after: { s: 'ünïcødé ✓' } })) + '\r\n'
  const bytes = Buffer.from(text + text)
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7))
  const rs = await collect(chunks)
  t.equal(rs.length, 2)
  t.same(rs.map((r) => r.payload.after), [{ s: 'ünïcødé ✓' }, { s: 'ünïcødé ✓' }])
})

t.test('drops a byte-order mark that starts the input, and only that one', async (t) => {
  const line = serializeOpenCDC(createRecord({ position: 'p', operation: 'create', after: { s: 'a' } }))
  // The second input's chunk boundary falls just before a U+FEFF inside a string value: that one is data.
  const rs = await collect([Buffer.from('\ufeff' + line + '\r'), Buffer.from('\n{"operation":"create","payload":{"after":{"s":"'), Buffer.from('\ufeffkept"}}}\n')])
  t.same(rs.map((r) => r.payload.after), [{ s: 'a' }, { s: '\ufeffkept' }])
})

t.test('a parsed record knows its input line, invisibly to keys, spread, JSON and deep equality', async (t) => {
  const line = '{"position":"cA==","operation":"create","metadata":{"m":"1"},"key":{"id":1},"payload":{"before":null,"after":null}}'
  const rs = await collect([`\n${line}\n${line}\n`])
  t.match(describeRecord(rs[1]), /^record on line 3 /, 'line 3: the blank line 1 counts')
  t.same(Object.keys(rs[0] as object), ['position', 'operation', 'metadata', 'key', 'payload'])
  t.same(Reflect.ownKeys({ ...rs[0] }), ['position', 'operation', 'metadata', 'key', 'payload'], 'a copy does not carry the line')
  t.equal(JSON.stringify(rs[0]), JSON.stringify({ ...rs[0] }))
  t.doesNotThrow(() => { assert.deepStrictEqual(rs[0], { position: Buffer.from('p'), operation: 'create', metadata: { m: '1' }, key: { id: 1 }, payload: { before: null, after: null } }) })
})

t.test('a metadata key "__proto__" is kept as an own entry', async (t) => {
  const [r] = await collect(['{"operation":"create","metadata":{"__proto__":"x","a":"b"},"payload":{"after":{"id":1}}}\n'])
  t.ok(Object.hasOwn(r?.metadata as object, '__proto__'), 'an own key')
  t.same(Object.entries(r?.metadata as object), [['__proto__', 'x'], ['a', 'b']])
  t.equal(Object.getPrototypeOf(r?.metadata), Object.prototype)
})

t.test('skips blank lines and reads a last line without a newline', async (t) => {
  const line = serializeOpenCDC(createRecord({ position: 'p', operation: 'create', key: { id: 1 } }))
  const rs = await collect([`\n${line}\n\n   \n${line}`])
  t.equal(rs.length, 2)
})

t.test('keeps every digit of long numbers', async (t) => {
  const [r] = await collect(['{"operation":"create","payload":{"after":{"n":12345678901234567890123456789012345678,"d":0.1}}}\n'])
  const after = r?.payload.after as { n: { value: string }, d: number }
  t.equal(after.n.value, '12345678901234567890123456789012345678')
  t.equal(after.d, 0.1)
})

t.test('reads typed DynamoDB JSON back into sets and binaries with dynamodbJson', async (t) => {
  const r = genRecord(rng(3), false)
  const lines: string[] = []
  await pipeline(Readable.from([r]), format('opencdc/json', 'opencdc.dynamodbJson=true'), async function * (src) { for await (const l of src) lines.push(String(l)) })
  const [back] = await collect(lines, { dynamodbJson: true })
  t.same(canonRecord(back as OpenCDCRecord), canonRecord(r))
})

t.test('for await over an empty input ends with no records', async (t) => {
  t.same(await collect([]), [])
})

t.test('destroying the parser mid-stream stops it and tears down the source', async (t) => {
  const line = serializeOpenCDC(createRecord({ position: 'p', operation: 'create', key: { id: 1 } })) + '\n'
  const endless = Readable.from((function * () { for (;;) yield line.repeat(100) })(), { objectMode: false })
  const parser = parseJSONL()
  let n = 0
  await t.rejects(pipeline(endless, parser, async function * (src) {
    for await (const _r of src) if (++n === 1000) parser.destroy(new Error('enough'))
  }), { message: 'enough' })
  t.ok(endless.destroyed, 'the source was destroyed')
  t.ok(n >= 1000 && n < 2000, `stopped soon after the destroy (${n} records)`)
})
