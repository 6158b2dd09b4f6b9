import t from 'tap'
import { parseJSONLossless, stringifyValue } from '../../../src/model/json-value.js'
import { toAttributeValue } from '../../../src/model/codec.js'

/** An integer-valued decimal text (with or without exponent) as a BigInt, by hand: the oracle, not the code under test. */
function integerOf (text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (m === null) throw new Error(`not a number: ${text}`)
  const digits = (m[2] as string) + (m[3] ?? '')
  const shift = Number(m[4] ?? 0) - (m[3] ?? '').length
  if (shift < 0) throw new Error(`not an integer: ${text}`)
  return (m[1] === '-' ? -1n : 1n) * BigInt(digits) * 10n ** BigInt(shift)
}

// DynamoDB Local writes nested NS members as Java's BigDecimal.toString (7.49369E+20): short tokens whose value is an
// integer above 2^53 must not come back from JSON as a double that is then written with other digits (…967232).
t.test('short exponent tokens of integers above 2^53 keep their value through parse → N text', (t) => {
  for (const token of ['7.49369E+20', '-6.270246E+20', '9.1E15', '1.2E19', '-3.9211975E+15', '5E+20']) {
    for (const doc of [`[${token}]`, `{"n":${token}}`, `{"l":[1,${token}]}`]) {
      const n = toAttributeValue(parseJSONLossless(doc) as never)
      const text = JSON.stringify(n).match(/"N":"([^"]+)"/g)?.at(-1)?.slice(5, -1) as string
      t.equal(integerOf(text), integerOf(token), `${doc} → N ${text}`)
    }
  }
  t.end()
})

t.test('small exponent tokens and exponent-looking strings stay as they were', (t) => {
  t.same(parseJSONLossless('[1e2,2.5e10]'), [100, 25000000000])
  t.same(parseJSONLossless('{"x":"7.49369E+20"}'), { x: '7.49369E+20' })
  t.end()
})

t.test('an unsafe integer held as a double is written as its exact value, and reads back as the same double', (t) => {
  for (const n of [-63865593891752712, 2 ** 60, 9007199254740994, -(2 ** 55) - 8]) {
    const text = stringifyValue([n]).slice(1, -1)
    t.equal(BigInt(text), BigInt(n), `${n} → ${text}`)
    t.same(parseJSONLossless(`[${text}]`), [n])
  }
  t.end()
})
