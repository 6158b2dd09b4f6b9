import t from 'tap'
import { numberRule, toAttributeMap, toAttributeValue } from '../../../src/model/codec.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { PreciseNumber, type StructuredData, type Value } from '../../../src/model/record.js'
import { JS_NUMBER_LIMITS, NUMBER_LIMITS } from '../../helpers/number-limits.js'

function rejection (data: StructuredData): { path: unknown, message: string } | undefined {
  try {
    toAttributeMap(data)
    return undefined
  } catch (err) {
    if (!isOpenCDCError(err, 'ERR_DDB_INVALID_VALUE')) throw err
    return { path: err.details?.path, message: err.message }
  }
}

t.test('number texts: accepted exactly where DynamoDB Local accepts them', async (t) => {
  for (const [text, answer] of NUMBER_LIMITS) {
    const rule = numberRule(text)
    t.equal(rule === undefined, answer === true, `${JSON.stringify(text)}: DynamoDB says ${answer === true ? 'stored' : answer}, we say ${rule ?? 'ok'}`)
  }
})

t.test('each rule names itself', async (t) => {
  t.match(numberRule('1E+126'), /number 1E\+126 is out of DynamoDB's range \(magnitude 1E-130 to 9\.9{37}E\+125, or 0\)/)
  t.match(numberRule('1E-131'), /out of DynamoDB's range/)
  t.match(numberRule('123456789012345678901234567890123456789'), /has 39 significant digits; DynamoDB keeps at most 38/)
  t.match(numberRule('0x10'), /"0x10" is not a decimal number/)
  t.match(numberRule('0E+2147483648'), /exponent beyond ±2147483647/)
})

t.test('JS numbers: accepted exactly where DynamoDB Local accepts String(n)', async (t) => {
  for (const [n, answer] of JS_NUMBER_LIMITS) {
    const got = rejection({ n })
    t.equal(got === undefined, answer === true, `${String(n)}: DynamoDB says ${answer === true ? 'stored' : answer}, we say ${got?.message ?? 'ok'}`)
  }
  t.match(rejection({ n: 1e200 })?.message, /value at \$\.n cannot be stored in DynamoDB: number 1e\+200 is out of DynamoDB's range/)
})

t.test('out-of-range numbers fail with their path at every depth, in sets, as bigint and as PreciseNumber', async (t) => {
  const cases: Array<[string, unknown, string]> = [
    ['top level', 1e200, '$.v'],
    ['in a map', { a: { b: -1e-200 } }, '$.v.a.b'],
    ['in a list', [1, [2, 1e130]], '$.v[1][1]'],
    ['in a number set', new Set([1, 1e200]), '$.v'],
    ['a PreciseNumber in a set', new Set([new PreciseNumber('1'), new PreciseNumber('1' + '2'.repeat(38))]), '$.v'],
    ['a PreciseNumber in a list', [new PreciseNumber('1E-131')], '$.v[0]'],
    ['a bigint', 10n ** 126n, '$.v'],
    ['a 39-digit bigint', 10n ** 38n + 1n, '$.v']
  ]
  for (const [what, v, path] of cases) {
    const got = rejection({ v } as StructuredData)
    t.equal(got?.path, path, `${what}: ${got?.message ?? 'accepted'}`)
  }
  t.same(toAttributeValue((10n ** 125n) as unknown as Value), { N: '1' + '0'.repeat(125) }, 'a bigint inside the range passes as is')
  t.same(toAttributeValue(new Set([1e-130, 9.999999999999998e125]) as Value), { NS: ['1e-130', '9.999999999999998e+125'] }, 'boundary numbers in a set pass')
})
