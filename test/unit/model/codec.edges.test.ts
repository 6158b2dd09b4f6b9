import t from 'tap'
import { canonicalDecimal, decodeNumber, fromAttributeMap, fromAttributeValue, sameDecimal, toAttributeMap, toAttributeValue } from '../../../src/model/codec.js'
import { PreciseNumber, isPreciseNumber } from '../../../src/model/record.js'

t.test('every attribute type decodes to its native value', async (t) => {
  const bin = new Uint8Array([1, 2])
  const out = fromAttributeMap({
    s: { S: '' }, n: { N: '1.5' }, f: { BOOL: false }, z: { NULL: true }, b: { B: bin },
    ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '1.50'] }, bs: { BS: [bin] }, l: { L: [{ N: '2' }, { S: 'x' }] }, m: { M: { in: { BOOL: true } } }
  })
  t.same(Object.keys(out), ['s', 'n', 'f', 'z', 'b', 'ss', 'ns', 'bs', 'l', 'm'])
  t.equal(out.s, '')
  t.equal(out.n, 1.5)
  t.equal(out.f, false)
  t.equal(out.z, null)
  t.equal(out.b, bin)
  t.same([...(out.ss as Set<string>)], ['a', 'b'])
  const ns = [...(out.ns as Set<unknown>)]
  t.equal(ns[0], 1)
  t.ok(isPreciseNumber(ns[1]) && ns[1].value === '1.50', 'set members keep their text too')
  t.same([...(out.bs as Set<Uint8Array>)], [bin])
  t.same(out.l, [2, 'x'])
  t.same(out.m, { in: true })
  t.throws(() => fromAttributeValue({ X: 1 } as never), { code: 'ERR_DDB_INVALID_VALUE', message: 'unknown DynamoDB attribute type ["X"]', details: { types: ['X'] } })
})

t.test('an item must be an object; a single value names the path it was given', async (t) => {
  for (const bad of [null, [], 'x', 1]) {
    t.throws(() => toAttributeMap(bad as never), { code: 'ERR_DDB_INVALID_VALUE', message: 'value at $ cannot be stored in DynamoDB: an item must be an object', details: { path: '$' } })
  }
  t.throws(() => toAttributeValue(undefined as never), { code: 'ERR_DDB_INVALID_VALUE', details: { path: '$' } })
  t.throws(() => toAttributeValue({ a: [1, { b: Symbol('s') }] } as never, '$.x'), { message: 'value at $.x.a[1].b cannot be stored in DynamoDB: a symbol is not a value', details: { path: '$.x.a[1].b' } })
  t.throws(() => toAttributeMap({ _a1: { '1a': undefined } } as never), { code: 'ERR_DDB_INVALID_VALUE', details: { path: '$._a1["1a"]' } })
  t.same(toAttributeValue(null), { NULL: true })
  t.same(toAttributeValue(true), { BOOL: true })
})

t.test('objects without a prototype are maps; inherited properties are not attributes', async (t) => {
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 })
  t.same(toAttributeMap({ m: bare } as never), { m: { M: { a: { N: '1' } } } })
  // eslint-disable-next-line no-extend-native -- the test pollutes the prototype on purpose (removed in finally)
  Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true })
  try {
    t.same(toAttributeMap({ a: 's' }), { a: { S: 's' } })
  } finally {
    delete (Object.prototype as Record<string, unknown>).polluted
  }
  class Point { x = 1 }
  t.throws(() => toAttributeMap({ p: new Point() } as never), { message: /\$\.p .*a Point instance is not a DynamoDB type/ })
  t.throws(() => toAttributeMap({ p: Object.create({ inherited: 1 }) } as never), { message: /an Object instance|a Object instance/ })
})

t.test('set members: numbers with every digit, non-finite ones and odd members rejected by name', async (t) => {
  t.same(toAttributeValue(new Set([2 ** 60, -(2 ** 60), 10n, 1e21, 0.5]) as never), { NS: ['1152921504606846976', '-1152921504606846976', '10', '1e+21', '0.5'] })
  t.same(toAttributeValue(new Set([Buffer.from('a'), Buffer.from('b')])), { BS: [Buffer.from('a'), Buffer.from('b')] })
  t.same(toAttributeValue(new Set(['b', 'a'])), { SS: ['b', 'a'] })
  t.throws(() => toAttributeValue(new Set([1, Infinity])), { message: /at \$ cannot be stored in DynamoDB: Infinity is not a finite number/ })
  t.throws(() => toAttributeValue(new Set([1, 1n]) as never), { message: /duplicate number 1 in a set/ })
  t.throws(() => toAttributeValue(new Set([Buffer.from('a'), 'a']) as never), { message: /must not mix binary and string members/ })
  t.throws(() => toAttributeValue(new Set([1, Buffer.from('a')]) as never), { message: /must not mix number and binary members/ })
  for (const [member, name] of [[null, 'null'], [[1], 'a list'], [true, 'a boolean'], [new Map(), 'a Map'], [Object.create(null), 'a object']] as const) {
    t.throws(() => toAttributeValue(new Set([member as never])), { message: `value at $ cannot be stored in DynamoDB: a set holds only strings, numbers or binaries, not ${name}` })
  }
})

t.test('numbers: integers beyond 2^53 with all digits up to 1e21, exponent form above; bigint as is', async (t) => {
  t.same(toAttributeValue(1e20), { N: '100000000000000000000' })
  t.same(toAttributeValue(-(2 ** 60)), { N: '-1152921504606846976' })
  t.same(toAttributeValue(1e21), { N: '1e+21' })
  t.same(toAttributeValue(-1e21), { N: '-1e+21' })
  t.same(toAttributeValue(-0.25), { N: '-0.25' })
  t.same(toAttributeValue(-12n as never), { N: '-12' })
  t.same(toAttributeValue(new PreciseNumber('1.50')), { N: '1.50' })
  t.throws(() => toAttributeValue(-Infinity), { message: /-Infinity is not a finite number/ })
  t.equal(decodeNumber('1e2') instanceof PreciseNumber, true, '1e2 prints back as 100: keep the text')
  t.equal(decodeNumber('-5'), -5)
})

t.test('decimal canonical form and equality', async (t) => {
  const cases: Array<[string, string | undefined]> = [['+1', '1e0'], ['.5', '5e-1'], ['5.', '5e0'], ['-1.50E+3', '-15e2'], ['0012', '12e0'], ['1200', '12e2'], ['', undefined], ['1e', undefined], ['1 ', undefined]]
  for (const [text, want] of cases) t.equal(canonicalDecimal(text), want, JSON.stringify(text))
  t.ok(sameDecimal('1', '1.0'))
  t.ok(sameDecimal('-0', '0'))
  t.notOk(sameDecimal('1', '-1'))
  t.notOk(sameDecimal('x', 'x'), 'text that is no number is never equal')
})

t.test('rejections say what to store instead, and a prototype without a constructor is still named', async (t) => {
  t.throws(() => toAttributeValue({ a: undefined } as never), { message: 'value at $.a cannot be stored in DynamoDB: undefined is not a value (use null for NULL)' })
  t.throws(() => toAttributeValue({ d: new Date(0) } as never), { message: 'value at $.d cannot be stored in DynamoDB: a Date is not a DynamoDB type (store an ISO string or epoch number)' })
  const orphan = Object.create(Object.create(null) as object) as object
  t.throws(() => toAttributeValue({ o: orphan } as never), { message: 'value at $.o cannot be stored in DynamoDB: a class instance is not a DynamoDB type' })
})

t.test('canonical decimals keep inner zeros and need the whole text to be a number', async (t) => {
  t.equal(canonicalDecimal('101'), '101e0')
  t.equal(canonicalDecimal('1010'), '101e1')
  t.equal(canonicalDecimal('x1'), undefined)
})

t.test('no double prints longer than MAX_NUMBER_TEXT, so a longer N text is kept as text without the round trip', async (t) => {
  const { MAX_NUMBER_TEXT, numberTextOf } = await import('../../../src/model/codec.js')
  let longest = ''
  const probe = (n: number): void => { const s = numberTextOf(n); if (s.length > longest.length) longest = s }
  for (const n of [-Number.MAX_VALUE, -Number.MIN_VALUE, -2.2250738585072014e-308, Number('-0.0000012345678901234567'), Number('-1.2345678901234567e-7'), -(2 ** 66), -(2 ** 53) - 2, -1e21 + 65536]) probe(n)
  // Random doubles across the whole exponent range, with 17 significant digits.
  let seed = 7
  for (let i = 0; i < 20000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    const mantissa = 1 + seed / 2147483648
    probe(-mantissa * 10 ** ((seed % 617) - 308))
  }
  t.equal(longest.length, MAX_NUMBER_TEXT, `longest text: ${longest}`)
  const big = '12345678901234567890123456789012345678'
  const v = decodeNumber(big)
  t.ok(v instanceof PreciseNumber && v.value === big, '38 digits are kept as their text')
  t.equal(typeof decodeNumber(longest), 'number', `the longest text a double prints (${longest}) still decodes to a number`)
})

t.test('integers of up to 15 digits decode to numbers; what a double cannot print back stays text', async (t) => {
  for (const text of ['1', '-7', '42', '123456789012345', '-999999999999999', '100000000000000']) t.equal(decodeNumber(text), Number(text), text)
  // 16 digits and more, leading zeros, signs and zero forms take the round trip and keep their text when it differs.
  for (const text of ['9007199254740993', '0123', '+5', '-0', '00', '1234567890123456789']) {
    const v = decodeNumber(text)
    t.ok(v instanceof PreciseNumber && v.value === text, `${text} kept as text`)
  }
  t.equal(decodeNumber('9007199254740992'), 9007199254740992, '16 digits that print back are still a number')
  t.equal(decodeNumber('0'), 0)
})
