import t from 'tap'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { decimalValue, itemDiffs, typeOf, valueDiffs, type Item } from '../../helpers/attribute-diff.js'

t.test('decimalValue tells numbers apart by value and sees through notation', async (t) => {
  t.equal(decimalValue('1.50'), '15e-1')
  t.equal(decimalValue('1.5E0'), decimalValue('15e-1'))
  t.equal(decimalValue('-0.000'), '0')
  t.equal(decimalValue('-0.0'), '0')
  t.equal(decimalValue('100'), '1e2')
  t.equal(decimalValue('1E-130'), decimalValue('0.' + '0'.repeat(129) + '1'))
  t.equal(decimalValue('9.9999999999999999999999999999999999999E+125'), decimalValue('99999999999999999999999999999999999999' + '0'.repeat(88)))
  t.not(decimalValue('1'), decimalValue('2'))
  t.not(decimalValue('1.5'), decimalValue('15'))
  t.not(decimalValue('12345678901234567890123456789012345678'), decimalValue('12345678901234567890123456789012345679'))
  for (const text of ['abc', '', '.', ' 1', '1 ', '1e', '0x10']) t.equal(decimalValue(text), undefined, `${JSON.stringify(text)} is not a number`)
})

t.test('typeOf names the one type a value carries, ? for none or several', async (t) => {
  t.equal(typeOf({ NS: ['1'] }), 'NS')
  t.equal(typeOf({ N: '1', S: '1' } as unknown as AttributeValue), '?')
  t.equal(typeOf({} as AttributeValue), '?')
})

t.test('values DynamoDB stores the same compare equal: set order, number spelling, attribute order, Buffer vs Uint8Array', async (t) => {
  const same: Array<[string, AttributeValue, AttributeValue]> = [
    ['number spelling', { N: '1.50' }, { N: '15e-1' }],
    ['NS order and spelling', { NS: ['2', '1.0'] }, { NS: ['1', '2'] }],
    ['SS order', { SS: ['x', 'y'] }, { SS: ['y', 'x'] }],
    ['BS order', { BS: [Uint8Array.from([1]), Uint8Array.from([2])] }, { BS: [Buffer.from([2]), Buffer.from([1])] }],
    ['B as Buffer', { B: new Uint8Array([1]) }, { B: Buffer.from([1]) }],
    ['nested number text', { L: [{ M: { n: { N: '1' } } }] }, { L: [{ M: { n: { N: '001.000' } } }] }],
    ['attribute order', { M: { a: { N: '1.50' }, b: { S: 'x' } } }, { M: { b: { S: 'x' }, a: { N: '1.5' } } }],
    ['empties', { M: { s: { S: '' }, l: { L: [] }, m: { M: {} }, b: { B: new Uint8Array(0) } } }, { M: { b: { B: Buffer.alloc(0) }, m: { M: {} }, l: { L: [] }, s: { S: '' } } }],
    ['scalars', { M: { t: { BOOL: true }, f: { BOOL: false }, z: { NULL: true } } }, { M: { t: { BOOL: true }, f: { BOOL: false }, z: { NULL: true } } }]
  ]
  for (const [label, a, b] of same) {
    t.same(valueDiffs(a, b, '$'), [], label)
    t.same(valueDiffs(b, a, '$'), [], `${label} (swapped)`)
  }
})

t.test('each kind of difference is reported once, at its path, whichever side holds it', async (t) => {
  const base: Item = { pk: { S: 'a' }, b: { B: Uint8Array.from([104, 105]) }, ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2'] }, l: { L: [{ M: { n: { N: '1' } } }] } }
  const { l: _l, ...withoutL } = base
  const differ: Array<[string, AttributeValue, AttributeValue, RegExp]> = [
    ['N vs S', { N: '1' }, { S: '1' }, /^\$: type N expected, got S/],
    ['B vs S', { B: Uint8Array.from([104, 105]) }, { S: 'aGk=' }, /^\$: type B expected, got S/],
    ['SS vs L', { SS: ['x', 'y'] }, { L: [{ S: 'x' }, { S: 'y' }] }, /^\$: type SS expected, got L/],
    ['NS vs L', { NS: ['1', '2'] }, { L: [{ N: '1' }, { N: '2' }] }, /^\$: type NS expected, got L/],
    ['NS vs N', { NS: ['1'] }, { N: '1' }, /^\$: type NS expected, got N/],
    ['a value carrying two types', { N: '1' }, { N: '1', S: '1' } as unknown as AttributeValue, /^\$: type N expected, got \?/],
    ['1 vs 2', { N: '1' }, { N: '2' }, /^\$: N 1 expected, got 2/],
    ['38 digits, the last differs', { N: '12345678901234567890123456789012345678' }, { N: '12345678901234567890123456789012345679' }, /^\$: N /],
    ['1.5 vs 15', { N: '1.5' }, { N: '15' }, /^\$: N /],
    ['N that is not a number, even the same text', { N: 'x' }, { N: 'x' }, /^\$: N x expected, got x/],
    ['S text', { S: 'a' }, { S: 'b' }, /^\$: S \{"S":"a"\} expected/],
    ['BOOL', { BOOL: true }, { BOOL: false }, /^\$: BOOL true expected, got false/],
    ['NULL false', { NULL: true }, { NULL: false }, /^\$: NULL must be true/],
    ['B bytes', { B: Uint8Array.from([1, 2]) }, { B: Uint8Array.from([1, 3]) }, /^\$: B bytes differ/],
    ['B length', { B: Uint8Array.from([1]) }, { B: Uint8Array.from([1, 0]) }, /^\$: B bytes differ \(1 vs 2 bytes\)/],
    ['SS member', { SS: ['a'] }, { SS: ['b'] }, /^\$: SS members differ/],
    ['SS member count', { SS: ['a'] }, { SS: ['a', 'b'] }, /^\$: SS members differ \(1 vs 2/],
    ['NS member', { NS: ['1', '2'] }, { NS: ['1', '3'] }, /^\$: NS members differ/],
    ['NS member that is not a number', { NS: ['x'] }, { NS: ['x'] }, /^\$: NS members differ/],
    ['BS member', { BS: [Uint8Array.from([1])] }, { BS: [Uint8Array.from([2])] }, /^\$: BS members differ/],
    ['L length', { L: [{ N: '1' }] }, { L: [{ N: '1' }, { N: '2' }] }, /^\$: L of 1 expected, got 2/],
    ['L element', { L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'a' }, { S: 'c' }] }, /^\$\[1\]: S /],
    ['map in a list', { L: [{ M: { n: { N: '1' } } }] }, { L: [{ M: { n: { N: '2' } } }] }, /^\$\[0\]\.n: N 1 expected, got 2/],
    ['list in a map', { M: { l: { L: [{ BOOL: true }] } } }, { M: { l: { L: [{ BOOL: false }] } } }, /^\$\.l\[0\]: BOOL /],
    ['missing attribute', { M: base }, { M: withoutL }, /^\$\.l: missing/],
    ['extra attribute', { M: withoutL }, { M: base }, /^\$\.l: unexpected attribute/],
    ['odd names quoted', { M: { 'a.b': { S: 'x' } } }, { M: { 'a.b': { S: 'y' } } }, /^\$\["a\.b"\]: S /],
    ['__proto__ is a name', { M: JSON.parse('{"__proto__":{"S":"x"}}') as Item }, { M: {} }, /^\$\.__proto__: missing/]
  ]
  for (const [label, expected, actual, re] of differ) {
    const d = valueDiffs(expected, actual, '$')
    t.equal(d.length, 1, `${label}: one difference`)
    t.match(d[0], re, label)
    t.equal(valueDiffs(actual, expected, '$').length, 1, `${label} (swapped)`)
  }
})

t.test('itemDiffs compares whole items, either of which may be absent', async (t) => {
  t.same(itemDiffs({ a: { N: '1.50' }, b: { S: 'x' } }, { b: { S: 'x' }, a: { N: '1.5' } }), [], 'by value, not by attribute order or number spelling')
  t.match(itemDiffs({ a: { N: '1.5' } }, { a: { S: '1.5' } }), [/^\$\.a: type N expected, got S/])
  t.match(itemDiffs({ a: { M: { n: { N: '1' } } } }, { a: { M: { n: { N: '3' } } } }), [/^\$\.a\.n: N 1 expected, got 3/])
  t.same(itemDiffs({ a: { BOOL: true } }, { b: { BOOL: true } }), ['$.a: missing', '$.b: unexpected attribute {"BOOL":true}'], 'every difference, not only the first')
  t.same(itemDiffs({ a: { NULL: true } }, undefined), ['$: item missing'])
  t.same(itemDiffs(undefined, { a: { NULL: true } }), ['$: item not expected'])
  t.same(itemDiffs(undefined, undefined), [])
})
