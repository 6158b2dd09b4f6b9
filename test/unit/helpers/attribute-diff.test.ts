import t from 'tap'
import { attributeDiff, decimalValue, itemDiff } from '../../helpers/attribute-diff.js'

t.test('the test-side comparator tells numbers apart by value and sees through notation', async (t) => {
  t.equal(decimalValue('1.50'), '15e-1')
  t.equal(decimalValue('1.5E0'), decimalValue('15e-1'))
  t.equal(decimalValue('-0.000'), '0')
  t.equal(decimalValue('100'), '1e2')
  t.not(decimalValue('1'), decimalValue('2'))
  t.not(decimalValue('12345678901234567890123456789012345678'), decimalValue('12345678901234567890123456789012345679'))
  t.throws(() => decimalValue('abc'))
  t.equal(attributeDiff({ N: '1' }, { N: '2' }), '$: 1e0 ≠ 2e0')
  t.equal(attributeDiff({ N: '1' }, { S: '1' }), '$: type N ≠ S')
  t.equal(attributeDiff({ NS: ['2', '1.0'] }, { NS: ['1', '2'] }), undefined)
  t.equal(attributeDiff({ SS: ['a'] }, { SS: ['b'] }), '$: ["a"] ≠ ["b"]')
  t.equal(attributeDiff({ B: new Uint8Array([1]) }, { B: Buffer.from([1]) }), undefined)
  t.equal(attributeDiff({ L: [{ N: '1' }] }, { L: [{ N: '1' }, { N: '2' }] }), '$: 1 list elements ≠ 2')
  t.equal(itemDiff({ a: { M: { n: { N: '1' } } } }, { a: { M: { n: { N: '3' } } } }), '$.a.n: 1e0 ≠ 3e0')
  t.equal(itemDiff({ a: { BOOL: true } }, { b: { BOOL: true } }), '$: attributes ["a"] ≠ ["b"]')
  t.equal(itemDiff({ a: { NULL: true } }, undefined), '$: item present ≠ missing')
})
