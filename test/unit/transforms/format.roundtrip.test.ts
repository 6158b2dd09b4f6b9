import t from 'tap'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseJSONL } from '../../../src/transforms/jsonl.js'
import { format, serializeOpenCDC } from '../../../src/transforms/format.js'
import { recordFromJSON } from '../../../src/transforms/opencdc-json.js'
import { parseJSONLossless } from '../../../src/model/json-value.js'
import { decodeNumber } from '../../../src/model/codec.js'
import { createRecord } from '../../../src/model/record.js'
import { canonRecord, genRecord, rng, roundTripFailures } from './format.fixtures.js'

const parse = (line: string, dynamodbJson = false) => recordFromJSON(parseJSONLossless(line), { dynamodbJson })

t.test('parse(serialize(r)) = r for 2000 generated records of every DynamoDB type in typed mode', async (t) => {
  t.equal(roundTripFailures(t, 42, false, (rec) => parse(serializeOpenCDC(rec, { dynamodbJson: true }), true)), 0, 'every record round-trips')
})

t.test('parse(serialize(r)) = r in plain mode for records of types plain JSON carries (38-digit numbers included)', async (t) => {
  t.equal(roundTripFailures(t, 7, true, (rec) => parse(serializeOpenCDC(rec))), 0, 'every record round-trips')
})

t.test('plain mode without type hints turns sets into lists and nested bytes into base64 strings (the documented loss)', async (t) => {
  const rec = createRecord({ position: 'p', operation: 'create', after: { ss: new Set(['a']), b: Uint8Array.of(1) } })
  const back = parse(serializeOpenCDC(rec, { typeHints: false }))
  t.same(back.payload.after, { b: 'AQ==', ss: ['a'] })
})

t.test('raw bytes in key, before and after come back as Buffers in both modes', async (t) => {
  const rec = createRecord({ position: Buffer.from([0, 1, 254]), operation: 'update', key: Uint8Array.of(9, 8), before: Buffer.from('yellow'), after: Uint8Array.of() })
  for (const typed of [false, true]) {
    const back = parse(serializeOpenCDC(rec, { dynamodbJson: typed }), typed)
    t.same(back.position, Buffer.from([0, 1, 254]))
    t.same(back.key, Buffer.from([9, 8]))
    t.same(back.payload.before, Buffer.from('yellow'))
    t.equal(back.payload.after, null, 'empty raw data is written as "" and read as absent')
  }
})

t.test('keeps a 38-digit number as a PreciseNumber with every digit', async (t) => {
  const rec = createRecord({ position: 'p', operation: 'create', after: { n: decodeNumber('-12345678901234567890.123456789012345678') } })
  const back = parse(serializeOpenCDC(rec))
  t.equal((back.payload.after as { n: { value: string } }).n.value, '-12345678901234567890.123456789012345678')
})

t.test('format | parseJSONL round-trips 500 generated records of every type through streams (typed mode)', async (t) => {
  const r = rng(2024)
  const records = Array.from({ length: 500 }, () => genRecord(r, false))
  const out: unknown[] = []
  await pipeline(Readable.from(records), format('opencdc/json', 'opencdc.dynamodbJson=true'), parseJSONL({ 'opencdc.dynamodbJson': 'true' } as never),
    new Writable({ objectMode: true, write (rec, _e, cb) { out.push(canonRecord(rec)); cb() } }))
  t.same(out, records.map(canonRecord))
})
