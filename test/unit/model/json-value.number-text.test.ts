import t from 'tap'
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { PreciseNumber, createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { jsonNumberText, stringifyValue } from '../../../src/model/json-value.js'
import { createAvroDecoder, createAvroEncoder, InMemorySchemaRegistry } from '../../../src/transforms/index.js'
import { compileTemplate, serializeDebezium, serializeOpenCDC } from '../../../src/transforms/format.js'

// DynamoDB Local keeps nested number text as written; these are texts it accepts and returns.
const ODD = ['007', '5.', '+5', '.5', '1.50', '1e2', '-0.0', '-007.250E+02', '+.5e-3', '00', '0005.000', '-.5', '5.e3', '1E-130',
  '000' + '12345678901234567890123456789012345678', '-0.00000000000000000000000000000000000001234']

// The oracle: a decimal text as an exact rational (BigInt numerator, power of ten), compared by cross-scaling.
function rational (text: string): { n: bigint, exp: number } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (m === null) throw new Error(`oracle: not a decimal: ${text}`)
  const int = m[2] ?? ''
  const frac = m[3] ?? ''
  const digits = (int + frac) === '' ? '0' : int + frac
  return { n: (m[1] === '-' ? -1n : 1n) * BigInt(digits), exp: Number(m[4] ?? '0') - frac.length }
}
function equalDecimal (a: string, b: string): boolean {
  const x = rational(a)
  const y = rational(b)
  const e = Math.min(x.exp, y.exp)
  return x.n * 10n ** BigInt(x.exp - e) === y.n * 10n ** BigInt(y.exp - e)
}
// The number tokens of a JSON text, read by JSON's own grammar (strings skipped).
function numberTokens (json: string): string[] {
  return [...json.matchAll(/"(?:[^"\\]|\\.)*"|(-?\d[\d.eE+-]*)/g)].map((m) => m[1]).filter((x): x is string => x !== undefined)
}

const n = (text: string): PreciseNumber => new PreciseNumber(text)

t.test('the oracle itself tells equal and different decimals apart', async (t) => {
  t.ok(equalDecimal('007', '7'))
  t.ok(equalDecimal('-007.250E+02', '-725'))
  t.notOk(equalDecimal('1.5', '15'))
  t.notOk(equalDecimal('0.5', '5'))
})

t.test('every odd number text becomes valid JSON with the same value, nested in lists, maps and sets', async (t) => {
  for (const text of ODD) {
    const json = stringifyValue({ l: [n(text), { m: n(text) }], ns: new Set([n(text)]) })
    let parsed: unknown
    t.doesNotThrow(() => { parsed = JSON.parse(json) }, `${text}: ${json} is JSON`)
    t.ok(parsed !== undefined)
    const tokens = numberTokens(json)
    t.equal(tokens.length, 3, `${text}: three numbers written`)
    for (const tok of tokens) t.ok(equalDecimal(tok, text), `${text} written as ${tok}, the same number`)
  }
})

t.test('the examples of the issue map as stated, and valid text is kept as is', async (t) => {
  t.same(['007', '5.', '+5', '.5'].map(jsonNumberText), ['7', '5', '5', '0.5'])
  for (const kept of ['1.50', '1e2', '-0.0', '0', '-1E+5', '12345678901234567890123456789012345678']) t.equal(jsonNumberText(kept), kept)
  t.throws(() => jsonNumberText('.'), { code: 'ERR_DDB_INVALID_VALUE' })
  t.throws(() => jsonNumberText('NaN'), { code: 'ERR_DDB_INVALID_VALUE' })
})

function recordWith (text: string): OpenCDCRecord {
  return createRecord({ position: 'p', operation: 'create', metadata: { 'opencdc.readAt': '1700000000000000000' }, key: { id: 'a' }, after: { id: 'a', n: n(text), l: [n(text)], m: { x: n(text) } } })
}

t.test('opencdc/json (plain and typed) and debezium/json lines parse as JSON and keep the value', async (t) => {
  for (const text of ODD) {
    for (const [name, line] of [['opencdc', serializeOpenCDC(recordWith(text))], ['debezium', serializeDebezium(recordWith(text))]] as const) {
      t.doesNotThrow(() => JSON.parse(line), `${name} ${text}`)
      const after = (JSON.parse(line) as { payload: { after: unknown } }).payload.after
      const tokens = numberTokens(JSON.stringify(after))
      t.equal(tokens.length, 3)
      // JSON.stringify of the parsed value prints doubles; the exact check is on the line's own tokens below.
      t.ok(numberTokens(line.slice(line.lastIndexOf('"after":'))).slice(0, 3).every((tok) => equalDecimal(tok, text)), `${name} ${text}: same value`)
    }
    const typed = serializeOpenCDC(recordWith(text), { dynamodbJson: true })
    const typedAfter = (JSON.parse(typed) as { payload: { after: { n: { N: string } } } }).payload.after
    t.ok(equalDecimal(typedAfter.n.N, text), `typed ${text}: the N text has the same value`)
  }
})

t.test('template output prints valid number text, also through toJson', async (t) => {
  const render = compileTemplate('{{ .Payload.After.n }} {{ toJson .Payload.After.l }}')
  for (const text of ODD) {
    const [printed, list] = render(recordWith(text)).split(' ') as [string, string]
    t.doesNotThrow(() => JSON.parse(printed), `${text} printed as ${printed}`)
    t.ok(equalDecimal(printed, text))
    t.ok(equalDecimal((numberTokens(list)[0]) as string, text), `toJson ${list}`)
  }
})

async function through (records: OpenCDCRecord[], stage: Transform): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  await pipeline(Readable.from(records), stage, new Writable({ objectMode: true, write (r: OpenCDCRecord, _e, cb) { out.push(r); cb() } }))
  return out
}

t.test('Avro carries the number as valid JSON number text with the same value', async (t) => {
  const registry = new InMemorySchemaRegistry()
  const records = ODD.map(recordWith)
  const decoded = await through(await through(records, createAvroEncoder({ registry })), createAvroDecoder({ registry }))
  decoded.forEach((d, i) => {
    const text = ODD[i] as string
    const after = d.payload.after as { n: unknown, l: unknown[], m: { x: unknown } }
    for (const v of [after.n, after.l[0], after.m.x]) {
      const out = typeof v === 'number' ? String(v) : (v as PreciseNumber).value
      t.doesNotThrow(() => JSON.parse(out), `${text} carried as ${out}`)
      t.ok(equalDecimal(out, text), `${text} → ${out}`)
    }
  })
})
