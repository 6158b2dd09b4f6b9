import t from 'tap'
import { parseJSONLossless, stringifyValue } from '../../../src/model/json-value.js'
import { pathOf, sameDecimal } from '../../../src/model/codec.js'
import { isPreciseNumber } from '../../../src/model/record.js'

// The decimal a parsed number stands for: a double's shortest text, or the kept text.
function valueText (v: unknown): string {
  if (typeof v === 'number') return String(v)
  if (isPreciseNumber(v)) return v.value
  throw new Error(`not a number: ${String(v)}`)
}

function parsedNumber (token: string): unknown {
  return (parseJSONLossless(`{"s":"\\u0000é😀","n":[${token}]}`) as { n: unknown[] }).n[0]
}

t.test('a number token keeps its value across the native fast path\'s hand-over boundary', async (t) => {
  const tokens = [
    '0', '-0', '123456789012345', '-123456789012345', '1234567890123456', '12345678901234567', '0.1234567890123456',
    '9007199254740992', '9007199254740993', '-9007199254740993', '12345678901234567890123456789012345678',
    '-1.2345678901234567890123456789012345678e-100', '9.9999999999999999999999999999999999999E+125', '1E-130',
    '1e99', '1e308', '1.5e-300', '7.49369E+20', '1e21', '1.5e-320', '1.23456789e-320', '5e-324',
    '2e308', '1e400', '-1e400', '1E+400', '1e-400', '2e-324', '-1.5e-400'
  ]
  for (const token of tokens) {
    const v = parsedNumber(token)
    t.ok(sameDecimal(valueText(v), token), `${token} reads back as ${valueText(v)}`)
  }
})

t.test('tokens a double cannot hold (overflow, underflow, lost subnormal digits, > 15 digits, unsafe integers) come back as text', async (t) => {
  for (const token of ['2e308', '1e400', '-1e400', '1e-400', '2e-324', '1.23456789e-320', '9007199254740993', '12345678901234567', '7.49369E+20']) {
    const v = parsedNumber(token)
    t.ok(isPreciseNumber(v) && v.value === token, `${token} kept as its text`)
  }
  for (const token of ['123456789012345', '1234567890123456', '1e99', '1.5e-300', '1.5e-320', '5e-324', '-0']) {
    t.equal(typeof parsedNumber(token), 'number', `${token} stays a double (exact)`)
  }
})

t.test('"__proto__" keys and NUL / non-ASCII strings survive both the native and the swapped parse', async (t) => {
  for (const n of ['1', '1e400']) {
    const v = parseJSONLossless(`{"__proto__":{"a":${n}},"s":"\\u0000é😀\\ud800\u007f"}`) as Record<string, unknown>
    t.ok(Object.hasOwn(v, '__proto__'), `own "__proto__" (n=${n})`)
    t.equal(Object.getPrototypeOf(v), Object.prototype)
    t.equal(v.s, '\u0000é😀\ud800\u007f')
  }
})

t.test('stringifyValue quotes strings exactly as JSON.stringify on both sides of its short-string loop', async (t) => {
  const specials = ['\u0000', '\u001f', ' ', '"', '\\', '\u007f', '\ud800', '\udfff', '😀', '\u2028', 'é', '/']
  for (const len of [1, 31, 32, 33, 100]) {
    for (const c of specials) {
      for (const s of [c + 'a'.repeat(len), 'a'.repeat(len) + c, 'a'.repeat(len >> 1) + c + 'a'.repeat(len >> 1)]) {
        t.equal(stringifyValue(s), JSON.stringify(s), `length ${s.length}, U+${c.codePointAt(0)?.toString(16)}`)
      }
    }
  }
})

t.test('stringifyValue writes numbers as their exact value, int32 and beyond', async (t) => {
  // The oracle: an integer below 1e21 as all its digits (BigInt), anything else as JavaScript prints it.
  const exact = (n: number): string => Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n)
  const ns = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 60, -(2 ** 70), 1e21, 1.5, -9.14, 1e-7, 5e-324, Number.MAX_VALUE]
  for (const n of ns) t.equal(stringifyValue(n), exact(n), `${exact(n)}`)
  t.equal(stringifyValue([NaN, Infinity]), '[null,null]')
})

t.test('stringifyValue sorts and quotes keys of every shape: integer-like, escaped, "__proto__", empty', async (t) => {
  const o: Record<string, unknown> = { b: 1, 10: 2, 9: 3, 'a"\n': 4, '': 5, nested: {} }
  Object.defineProperty(o, '__proto__', { value: 6, enumerable: true, configurable: true, writable: true })
  t.equal(stringifyValue(o), '{"":5,"10":2,"9":3,"__proto__":6,"a\\"\\n":4,"b":1,"nested":{}}')
  // The same first key with another key list is its own shape.
  t.equal(stringifyValue({ b: 1, a: 2 }), '{"a":2,"b":1}')
  t.equal(stringifyValue({ b: 1, c: 2, a: 3 }), '{"a":3,"b":1,"c":2}')
})

t.test('a type hint path of names needing escapes reads back in the error that names it', async (t) => {
  const hints: string[] = []
  stringifyValue({ 'a"b\\': [{ '\n': new Set(['x']) }, Uint8Array.of(1)] }, hints)
  t.same(hints.map((h) => JSON.parse(JSON.parse(`"${h}"`) as string) as unknown), [['SS', 'a"b\\', 0, '\n'], ['B', 'a"b\\', 1]], 'hints arrive escaped for the metadata string')
  t.throws(() => stringifyValue({ 'a"b': [new Set()] }, []), { code: 'ERR_DDB_INVALID_VALUE', message: `value at ${pathOf('$', ['a"b', 0])}: an empty set has no DynamoDB type` })
})
