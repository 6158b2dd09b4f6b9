import t from 'tap'
import { stringifyValue, parseJSONLossless } from '../../../src/model/json-value.js'
import { toDynamoJSON, fromDynamoJSON } from '../../../src/model/dynamodb-json.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { PreciseNumber, isPreciseNumber } from '../../../src/model/record.js'
import { randomItem, rng } from '../../helpers/random.js'
import { valueDiff } from '../../helpers/compare.js'

t.test('plain JSON sorts keys, writes bytes as base64 and precise numbers with every digit', async (t) => {
  const text = stringifyValue({ z: 1, a: new PreciseNumber('12345678901234567890123456789012345678'), b: Buffer.from('hi'), s: new Set(['x']), n: null, l: [true, 1.5] })
  t.equal(text, '{"a":12345678901234567890123456789012345678,"b":"aGk=","l":[true,1.5],"n":null,"s":["x"],"z":1}')
})

t.test('lossless parse keeps digits a double would round', async (t) => {
  const v = parseJSONLossless('{"a":12345678901234567890123456789012345678,"b":1.5,"c":[9007199254740993],"d":"12345678901234567890"}') as Record<string, unknown>
  t.ok(isPreciseNumber(v.a))
  t.equal((v.a as PreciseNumber).value, '12345678901234567890123456789012345678')
  t.equal(v.b, 1.5)
  t.equal(((v.c as unknown[])[0] as PreciseNumber).value, '9007199254740993')
  t.equal(v.d, '12345678901234567890', 'digits inside strings stay strings')
})

t.test('lossless parse agrees with JSON.parse on ordinary documents', async (t) => {
  const docs = ['{"a":[1,2,{"b":"\\u00e9\\"\\\\"}],"c":null,"d":true,"e":-0.5e-3}', '[]', '"x"', '  {"k" : [ ] } ']
  for (const doc of docs) t.same(parseJSONLossless(doc + ' '.repeat(0)), JSON.parse(doc), doc)
  const padded = '{"pad":"0000000000000000","v":{"w":[1,{"x":"y"}]}}'
  t.same(parseJSONLossless(padded), JSON.parse(padded), 'slow path (16 digits in a string) parses the same')
})

t.test('lossless parse reports malformed JSON as SyntaxError', async (t) => {
  for (const bad of ['{"a":12345678901234567890', '{"a":12345678901234567890,}', '[12345678901234567890 1]', '{"a":12345678901234567890} x']) {
    t.throws(() => parseJSONLossless(bad), SyntaxError, bad)
  }
})

t.test('DynamoDB JSON round-trips every type exactly', async (t) => {
  const r = rng(7)
  for (let i = 0; i < 300; i++) {
    const item = randomItem(r)
    const text = JSON.stringify(toDynamoJSON(item))
    const back = fromDynamoJSON(JSON.parse(text))
    const diff = valueDiff(back, item)
    if (diff !== undefined) t.fail(`item ${i}: ${diff}`)
  }
  t.same(toDynamoJSON({ b: Buffer.from('hi'), n: new PreciseNumber('1.000000000000000000001') }), { b: { B: 'aGk=' }, n: { N: '1.000000000000000000001' } })
})

t.test('malformed DynamoDB JSON names the attribute path', async (t) => {
  const cases: Array<[unknown, string]> = [
    [{ a: { X: 1 } }, '$.a'], [{ a: { S: 1 } }, '$.a'], [{ a: { M: { b: { L: [{ N: true }] } } } }, '$.a.b[0]'], [{ a: { S: 'x', N: '1' } }, '$.a'], [[], '$']
  ]
  for (const [json, path] of cases) {
    try {
      fromDynamoJSON(json)
      t.fail(`no error for ${JSON.stringify(json)}`)
    } catch (err) {
      t.ok(isOpenCDCError(err, 'ERR_DDB_INVALID_VALUE'))
      t.equal((err as { details: { path: string } }).details.path, path)
    }
  }
})
