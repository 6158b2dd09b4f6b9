import t from 'tap'
import { diffUpdate, sameAttribute } from '../../../src/writable/patch.js'

t.test('nothing changed gives an empty update', async (t) => {
  t.same(diffUpdate({ a: { S: 'x' } }, { a: { S: 'x' } }, []), {})
})

t.test('key attributes are never SET or REMOVEd', async (t) => {
  t.same(diffUpdate({ id: { S: 'a' } }, { id: { S: 'b' } }, ['id']), {})
  t.same(diffUpdate({ id: { S: 'a' } }, {}, ['id']), {})
})

t.test('only removals give REMOVE without values', async (t) => {
  t.same(diffUpdate({ a: { N: '1' }, b: { N: '2' } }, {}, []), { UpdateExpression: 'REMOVE #a0, #a1', ExpressionAttributeNames: { '#a0': 'a', '#a1': 'b' } })
})

t.test('attribute names that are reserved words or odd characters are always aliased', async (t) => {
  const u = diffUpdate({}, { 'size.x': { S: 'v' } }, [])
  t.equal(u.UpdateExpression, 'SET #a0 = :v0')
  t.same(u.ExpressionAttributeNames, { '#a0': 'size.x' })
})

t.test('equality follows DynamoDB: numbers by value, sets unordered, binaries by bytes, deep lists and maps', async (t) => {
  t.ok(sameAttribute({ N: '1.50' }, { N: '1.5' }))
  t.notOk(sameAttribute({ N: '1' }, { S: '1' }))
  t.ok(sameAttribute({ SS: ['a', 'b'] }, { SS: ['b', 'a'] }))
  t.notOk(sameAttribute({ SS: ['a', 'b'] }, { SS: ['a', 'c'] }))
  t.ok(sameAttribute({ NS: ['1', '2.0'] }, { NS: ['2', '1'] }))
  t.ok(sameAttribute({ BS: [Buffer.from('a')] }, { BS: [new Uint8Array([97])] }))
  t.ok(sameAttribute({ B: Buffer.from('ab') }, { B: new Uint8Array([97, 98]) }))
  t.ok(sameAttribute({ M: { a: { L: [{ NULL: true }, { BOOL: true }] } } }, { M: { a: { L: [{ NULL: true }, { BOOL: true }] } } }))
  t.notOk(sameAttribute({ M: { a: { L: [{ BOOL: false }] } } }, { M: { a: { L: [{ BOOL: true }] } } }))
  t.notOk(sameAttribute({ L: [{ S: 'a' }] }, { L: [] }))
  t.notOk(sameAttribute({ M: { a: { S: 'a' } } }, { M: { b: { S: 'a' } } }))
  t.notOk(sameAttribute(undefined, { S: 'a' }))
  t.ok(sameAttribute(undefined, undefined))
})

t.test('different numbers differ, equal values written differently are equal, to the 38th digit', async (t) => {
  t.notOk(sameAttribute({ N: '1' }, { N: '2' }))
  t.notOk(sameAttribute({ N: '-1' }, { N: '1' }))
  t.notOk(sameAttribute({ N: '0.1' }, { N: '0.01' }))
  t.notOk(sameAttribute({ N: '10' }, { N: '1' }))
  t.ok(sameAttribute({ N: '1' }, { N: '1.0' }))
  t.ok(sameAttribute({ N: '100' }, { N: '1E2' }))
  t.ok(sameAttribute({ N: '-0' }, { N: '0' }))
  t.notOk(sameAttribute({ N: '12345678901234567890123456789012345678' }, { N: '12345678901234567890123456789012345679' }))
  t.notOk(sameAttribute({ N: '9007199254740993' }, { N: '9007199254740992' }), 'beyond 2^53, where doubles collide')
  t.notOk(sameAttribute({ N: '1E-130' }, { N: '2E-130' }))
  t.notOk(sameAttribute({ NS: ['1', '2'] }, { NS: ['1', '3'] }))
  t.notOk(sameAttribute({ N: '1' }, { NS: ['1'] }))
  t.notOk(sameAttribute({ S: 'a' }, { S: 'b' }))
  t.notOk(sameAttribute({ B: Buffer.from('a') }, { B: Buffer.from('b') }))
  t.notOk(sameAttribute({ BOOL: true }, { BOOL: false }))
  t.notOk(sameAttribute({ BS: [Buffer.from('a')] }, { BS: [Buffer.from('b')] }))
  t.notOk(sameAttribute({ NULL: true }, { S: 'x' }))
})

t.test('a number that changed is SET; one written differently but equal is left alone', async (t) => {
  t.same(diffUpdate({ n: { N: '1' } }, { n: { N: '2' } }, []), { UpdateExpression: 'SET #a0 = :v0', ExpressionAttributeNames: { '#a0': 'n' }, ExpressionAttributeValues: { ':v0': { N: '2' } } })
  t.same(diffUpdate({ n: { N: '1' } }, { n: { N: '1.0' } }, []), {})
  t.same(diffUpdate({ m: { M: { n: { N: '1' } } } }, { m: { M: { n: { N: '3' } } } }, []).ExpressionAttributeValues, { ':v0': { M: { n: { N: '3' } } } })
})

t.test('several changes and removals: one SET list and one REMOVE list, every name aliased once', async (t) => {
  const u = diffUpdate({ id: { S: 'k' }, a: { N: '1' }, b: { S: 'x' }, gone: { BOOL: true }, same: { S: 's' } }, { id: { S: 'k' }, a: { N: '2' }, b: { S: 'y' }, same: { S: 's' }, added: { NULL: true } }, ['id'])
  t.same(u, {
    UpdateExpression: 'SET #a0 = :v0, #a1 = :v1, #a2 = :v2 REMOVE #a3',
    ExpressionAttributeNames: { '#a0': 'a', '#a1': 'b', '#a2': 'added', '#a3': 'gone' },
    ExpressionAttributeValues: { ':v0': { N: '2' }, ':v1': { S: 'y' }, ':v2': { NULL: true } }
  })
  t.same(diffUpdate({ a: { S: 'x' }, b: { S: 'y' } }, {}, []).ExpressionAttributeNames, { '#a0': 'a', '#a1': 'b' })
})

t.test('a value of one type never equals a value of another, nor a missing one', async (t) => {
  const samples = [{ S: '1' }, { N: '1' }, { B: Buffer.from('1') }, { BOOL: true }, { NULL: true }, { SS: ['1'] }, { NS: ['1'] }, { BS: [Buffer.from('1')] }, { L: [] }, { M: {} }]
  for (const [i, a] of samples.entries()) {
    for (const [j, b] of samples.entries()) t.equal(sameAttribute(a, b), i === j, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
    t.notOk(sameAttribute(a, undefined))
    t.notOk(sameAttribute(undefined, a))
  }
  t.notOk(sameAttribute({} as never, {} as never), 'an empty attribute value is nothing DynamoDB stores')
})

t.test('sets, lists and maps differ by size, member and position', async (t) => {
  t.notOk(sameAttribute({ SS: ['a'] }, { SS: ['a', 'b'] }))
  t.notOk(sameAttribute({ NS: ['1', '2'] }, { NS: ['1'] }))
  t.notOk(sameAttribute({ BS: [Buffer.from('a'), Buffer.from('b')] }, { BS: [Buffer.from('a')] }))
  t.ok(sameAttribute({ BS: [Buffer.from('a'), Buffer.from('b')] }, { BS: [Buffer.from('b'), Buffer.from('a')] }))
  t.notOk(sameAttribute({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }), 'lists are ordered')
  t.notOk(sameAttribute({ L: [] }, { L: [{ S: 'a' }] }))
  t.ok(sameAttribute({ L: [{ N: '1.0' }] }, { L: [{ N: '1' }] }))
  t.notOk(sameAttribute({ M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { S: 'y' } } }))
  t.notOk(sameAttribute({ M: { a: { S: 'x' }, b: { S: 'y' } } }, { M: { a: { S: 'x' } } }))
  t.ok(sameAttribute({ M: { a: { N: '10' }, b: { S: 'y' } } }, { M: { b: { S: 'y' }, a: { N: '1E1' } } }))
  t.notOk(sameAttribute({ B: Buffer.from('ab') }, { B: Buffer.from('abc') }))
  t.ok(sameAttribute({ B: new Uint8Array([120, 97, 98, 121]).subarray(1, 3) }, { B: Buffer.from('ab') }), 'a view into a larger buffer compares its own bytes')
  t.ok(sameAttribute({ NULL: true }, { NULL: true }))
  t.ok(sameAttribute({ BOOL: false }, { BOOL: false }))
})
