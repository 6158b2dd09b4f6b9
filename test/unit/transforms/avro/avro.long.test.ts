import t from 'tap'
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import avro from 'avsc'
import { createAvroDecoder, createAvroEncoder, InMemorySchemaRegistry } from '../../../../src/transforms/index.js'
import { EXACT_LONG, avroTypeHook } from '../../../../src/transforms/avro/types.js'
import { createRecord, isPreciseNumber, type OpenCDCRecord, type StructuredData } from '../../../../src/model/record.js'

async function through (records: OpenCDCRecord[], ...stages: Transform[]): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  await pipeline([Readable.from(records), ...stages, new Writable({ objectMode: true, write (r: OpenCDCRecord, _e, cb) { out.push(r); cb() } })])
  return out
}

// Integers at every edge of the zigzag: ±2^52, ±2^53 - 1, the 32-bit and 2^30 boundaries avsc switches arithmetic at.
const EDGES = [0, 1, -1, 2 ** 30, -(2 ** 30), 2 ** 31, -(2 ** 31) - 1, 2 ** 32 + 5, -(2 ** 32) - 5, 2 ** 52, -(2 ** 52), 2 ** 52 + 1, -(2 ** 52) - 1,
  -4503599627370497, -7573900000000000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -(2 ** 53) + 2, 8000000000000001, -8000000000000001]

t.test('every safe integer at the zigzag edges survives Avro encode/decode exactly, sign included', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const after: StructuredData = { id: 1, list: EDGES, m: Object.fromEntries(EDGES.map((n, i) => [`n${i}`, n])) }
  const records = EDGES.map((n, i) => createRecord({ position: `p${i}`, operation: 'create', metadata: {}, key: { id: n }, after: { ...after, n } }))
  const decoded = await through(await through(records, createAvroEncoder({ registry })), createAvroDecoder({ registry }))
  t.same(decoded.map((r) => (r.key as StructuredData).id), EDGES, 'keys')
  t.same(decoded.map((r) => (r.payload.after as StructuredData).n), EDGES, 'top-level attributes')
  t.same((decoded[0]?.payload.after as StructuredData).list, EDGES, 'list members')
  t.same((decoded[0]?.payload.after as StructuredData).m, after.m, 'map values')
})

t.test('the exact long writes the same varint bytes as the Avro spec (zigzag of the int64)', async (t) => {
  const type = avro.Type.forSchema('long', { typeHook: avroTypeHook })
  // Hand-computed zigzag varints: -1 → 1, -2^52-1 → 2^53+1, 2^63-1 → 2^64-2.
  t.same([...type.toBuffer(-1)], [0x01])
  t.same([...type.toBuffer(-(2 ** 52) - 1)], [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])
  t.same([...type.toBuffer(2n ** 63n - 1n)], [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
  t.equal(type.fromBuffer(Buffer.from([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])), -4503599627370497)
  t.equal(type.fromBuffer(Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), 2n ** 63n - 1n, 'beyond 2^53: a bigint, not a rounded number')
  t.equal(type, EXACT_LONG)
  t.notOk(type.isValid(2 ** 53), 'an unsafe number is refused, not rounded')
})

t.test('a long beyond 2^53 written by another Avro writer decodes to its exact number text', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const [enc] = await through([createRecord({ position: 'p', operation: 'create', metadata: {}, key: { id: 1 }, after: { big: 1 } })], createAvroEncoder({ registry, keyEnabled: false }))
  // Same schema ({big: long}); the payload bytes replaced by 2^63-1's varint, as a Java writer would send it.
  const big = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
  const forged = { ...enc as OpenCDCRecord, payload: { before: null, after: big } }
  const [dec] = await through([forged], createAvroDecoder({ registry }))
  const v = (dec?.payload.after as StructuredData).big
  t.ok(isPreciseNumber(v), 'kept as a PreciseNumber')
  t.equal((v as { value: string }).value, '9223372036854775807')
})
