import t from 'tap'
import { parseCondition, type Condition } from '../../../src/filter/parse.js'
import { compileExpressions, compileFilter, compileProjection } from '../../../src/filter/index.js'
import { compareNumbers, compareStrings } from '../../../src/filter/values.js'

const parse = (expr: string, names: Record<string, string> = {}): Condition => parseCondition(expr, { names, used: new Set() })
/** The tree as a compact string: (or …), (and …), (not …), and comparisons as `path op value`. */
function shape (c: Condition): string {
  switch (c.kind) {
    case 'and': case 'or': return `(${c.kind} ${shape(c.left)} ${shape(c.right)})`
    case 'not': return `(not ${shape(c.arg)})`
    case 'compare': return `${c.left.kind === 'path' ? c.left.path.steps.join('.') : '?'}${c.op}`
    default: return c.kind
  }
}

t.test('AND binds tighter than OR, NOT tighter than AND, parentheses override both', (t) => {
  t.equal(shape(parse('a = :v OR b = :v AND c = :v')), '(or a= (and b= c=))')
  t.equal(shape(parse('a = :v AND b = :v OR c = :v')), '(or (and a= b=) c=)')
  t.equal(shape(parse('NOT a = :v AND b = :v')), '(and (not a=) b=)')
  t.equal(shape(parse('NOT (a = :v AND b = :v)')), '(not (and a= b=))')
  t.equal(shape(parse('(a = :v OR b = :v) AND c = :v')), '(and (or a= b=) c=)')
  t.equal(shape(parse('a = :v or b = :v and not c = :v')), '(or a= (and b= (not c=)))', 'keywords are case-insensitive')
  t.equal(shape(parse('a = :v AND b = :v AND c = :v')), '(and (and a= b=) c=)', 'left-associative')
  t.end()
})

t.test('paths keep names, placeholders and indexes as steps', (t) => {
  const c = parse('a.#b[2] . c [ 10 ] = :v', { '#b': 'x.y' }) as Extract<Condition, { kind: 'compare' }>
  t.same(c.left.kind === 'path' ? c.left.path.steps : [], ['a', 'x.y', 2, 'c', 10])
  t.end()
})

t.test('syntax errors name the column and what stands there', (t) => {
  const cases: Array<[string, number, RegExp]> = [
    ['a = :v AND', 11, /found the end/],
    ['a == :v', 4, /found "="/],
    ['a = :v b = :v', 8, /expected AND, OR/],
    ['(a = :v', 8, /expected \)/],
    ['a ! :v', 3, /unexpected character "!"/],
    ['status = :v', 1, /reserved word/],
    ['a = :v AND BEGINS_WITH(a, :v)', 12, /unknown function/],
    ['a[x] = :v', 3, /list index/],
    ['a BETWEEN :v OR :w', 14, /expected AND/],
    ['#n = :v', 1, /#n is not defined/],
    ['size(a)', 1, /size\(\) is an operand/],
    ['', 1, /expected a condition/]
  ]
  for (const [expr, column, rule] of cases) {
    t.throws(() => compileFilter(expr, { expressionAttributeValues: { ':v': 'x', ':w': 'y' } }), { code: 'ERR_DDB_INVALID_EXPRESSION', message: rule, details: { column } }, expr)
  }
  t.end()
})

t.test('BETWEEN includes both bounds and nothing outside them', (t) => {
  const f = compileFilter('n BETWEEN :lo AND :hi', { expressionAttributeValues: { ':lo': { N: '10' }, ':hi': { N: '20' } } })
  t.same(['9.99', '10', '10.0', '15', '20', '2e1', '20.0000000000000000000000000000000001'].map((n) => f({ n: { N: n } })), [false, true, true, true, true, true, false])
  t.equal(f({ n: { S: '15' } }), false, 'another type is outside')
  t.equal(f({}), false, 'a missing attribute is outside')
  t.end()
})

t.test('numbers compare by exact decimal value, beyond what a double keeps', (t) => {
  t.ok(compareNumbers('12345678901234567890123456789012345678', '12345678901234567890123456789012345677') > 0)
  t.ok(compareNumbers('9007199254740993', '9007199254740992') > 0)
  t.equal(compareNumbers('-0', '0.000'), 0)
  t.equal(compareNumbers('1e2', '100.0'), 0)
  t.ok(compareNumbers('-1E-130', '1E-130') < 0)
  t.ok(compareNumbers('-2', '-10') > 0)
  t.ok(compareNumbers('0.5', '.49999999999999999999999999999999999999') > 0)
  t.end()
})

t.test('strings order by code point (UTF-8 bytes), not UTF-16 units', (t) => {
  t.ok(compareStrings('\uFFFF', '🙂') < 0)
  t.ok(compareStrings('a', 'ab') < 0)
  t.ok(compareStrings('B', 'a') < 0)
  t.end()
})

t.test('values may be native: strings, numbers, booleans, null, sets, lists and maps', (t) => {
  const f = compileFilter('s = :s AND n = :n AND b = :b AND z = :z AND ss = :ss AND m = :m', { expressionAttributeValues: { ':s': 'x', ':n': 1.5, ':b': true, ':z': null, ':ss': new Set(['p', 'q']), ':m': { k: [1, 'two'] } } })
  t.ok(f({ s: { S: 'x' }, n: { N: '1.50' }, b: { BOOL: true }, z: { NULL: true }, ss: { SS: ['q', 'p'] }, m: { M: { k: { L: [{ N: '1' }, { S: 'two' }] } } } }))
  t.throws(() => compileFilter('a = :v', { expressionAttributeValues: { ':v': { N: '1e200' } } }), { code: 'ERR_DDB_INVALID_EXPRESSION', message: /:v/ })
  t.end()
})

t.test('a bare {} (DynamoDB Local\'s stream empty map) is an empty map', (t) => {
  const f = compileFilter('attribute_type(m, :t) AND size(m) = :z', { expressionAttributeValues: { ':t': 'M', ':z': 0 } })
  t.ok(f({ m: {} as never }))
  t.end()
})

t.test('names on the prototype chain are not attributes', (t) => {
  t.equal(compileFilter('attribute_exists(#c)', { expressionAttributeNames: { '#c': 'constructor' } })({}), false)
  t.equal(compileFilter('attribute_exists(m.#p)', { expressionAttributeNames: { '#p': 'toString' } })({ m: { M: {} } }), false)
  t.end()
})

t.test('a projection keeps the key attributes even when it does not name them', (t) => {
  const p = compileProjection('m.a, l[2], l[0]', { keys: ['pk', 'sk'] })
  t.same(p({ pk: { S: 'k' }, sk: { N: '1' }, m: { M: { a: { S: 'x' }, b: { S: 'y' } } }, l: { L: [{ S: '0' }, { S: '1' }, { S: '2' }] }, other: { S: 'o' } }),
    { m: { M: { a: { S: 'x' } } }, l: { L: [{ S: '0' }, { S: '2' }] }, pk: { S: 'k' }, sk: { N: '1' } })
  t.end()
})

t.test('names are counted as used across the filter and the projection, as in one Scan', (t) => {
  t.doesNotThrow(() => compileExpressions({ filter: '#a = :v', projection: '#b', expressionAttributeNames: { '#a': 'x', '#b': 'y' }, expressionAttributeValues: { ':v': 1 } }))
  t.throws(() => compileExpressions({ filter: '#a = :v', expressionAttributeNames: { '#a': 'x', '#b': 'y' }, expressionAttributeValues: { ':v': 1 } }), { message: /not used in the expressions: #b/ })
  t.end()
})
