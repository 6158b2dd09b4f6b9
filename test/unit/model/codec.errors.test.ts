import t from 'tap'
import { toAttributeMap } from '../../../src/model/codec.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import { PreciseNumber, type StructuredData } from '../../../src/model/record.js'

function failure (data: unknown): { code: string, message: string, path: unknown } {
  try {
    toAttributeMap(data as StructuredData)
  } catch (err) {
    if (!isOpenCDCError(err)) throw err
    return { code: err.code, message: err.message, path: err.details?.path }
  }
  throw new Error('expected toAttributeMap to throw')
}

t.test('values DynamoDB cannot store fail with the path of the value', async (t) => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['undefined attribute', { a: { b: undefined } }, '$.a.b', /undefined/],
    ['function', { f: () => 1 }, '$.f', /function/],
    ['NaN', { list: [1, NaN] }, '$.list[1]', /NaN is not a finite number/],
    ['Infinity', { x: Infinity }, '$.x', /Infinity/],
    ['empty set', { tags: new Set() }, '$.tags', /empty sets/],
    ['mixed set', { s: new Set(['a', 1]) }, '$.s', /must not mix string and number/],
    ['set of objects', { s: new Set([{}]) }, '$.s', /only strings, numbers or binaries/],
    ['duplicate numbers in a set', { s: new Set([1, new PreciseNumber('1')]) }, '$.s', /duplicate number 1/],
    ['duplicate binaries in a set', { s: new Set([Buffer.from('a'), Buffer.from('a')]) }, '$.s', /duplicate binary/],
    ['Date', { when: new Date(0) }, '$.when', /Date/],
    ['class instance', { m: new Map() }, '$.m', /Map instance/],
    ['empty attribute name', { '': 1 }, '$', /names must not be empty/],
    ['odd field names quoted', { 'a b': { 'c-d': undefined } }, '$["a b"]["c-d"]', /undefined/]
  ]
  for (const [name, data, path, rule] of cases) {
    const f = failure(data)
    t.equal(f.code, 'ERR_DDB_INVALID_VALUE', name)
    t.equal(f.path, path, `${name}: path`)
    t.match(f.message, rule, `${name}: rule`)
    t.match(f.message, path, `${name}: message names the path`)
  }
})

t.test('empty strings and binaries are allowed outside keys', async (t) => {
  t.same(toAttributeMap({ s: '', b: new Uint8Array(0) }), { s: { S: '' }, b: { B: new Uint8Array(0) } })
})

t.test('mixed number and PreciseNumber members make one NS with every digit', async (t) => {
  const out = toAttributeMap({ ns: new Set([1, new PreciseNumber('12345678901234567890123')]) })
  t.same(out.ns, { NS: ['1', '12345678901234567890123'] })
})
