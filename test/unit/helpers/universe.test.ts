import t from 'tap'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { caseOf, decimalValue, DENORMALIZED_NUMBERS, diffItems, edgeCases, typeOf, universe, PK, type Item, type KeyType } from '../../helpers/universe.js'
import { itemSize } from '../../../src/writable/item-size.js'

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']

/** Every "type@depth in parent" the items hold (depth 0 = a top-level attribute). */
function placements (items: Item[]): Set<string> {
  const seen = new Set<string>()
  const walk = (v: AttributeValue, depth: number, parent: string): void => {
    const type = typeOf(v)
    seen.add(`${type}@${depth} in ${parent}`)
    if (v.L !== undefined) for (const x of v.L) walk(x, depth + 1, 'L')
    if (v.M !== undefined) for (const x of Object.values(v.M)) walk(x, depth + 1, 'M')
  }
  for (const item of items) for (const v of Object.values(item)) walk(v, 0, 'item')
  return seen
}

function texts (items: Item[]): string[] {
  const out: string[] = []
  const walk = (v: AttributeValue): void => {
    if (v.N !== undefined) out.push(v.N)
    if (v.L !== undefined) v.L.forEach(walk)
    if (v.M !== undefined) Object.values(v.M).forEach(walk)
  }
  for (const item of items) Object.values(item).forEach(walk)
  return out
}

t.test('the universe is deterministic for a seed and differs across seeds', async (t) => {
  const json = (xs: Item[]): string => JSON.stringify(xs, (_k, v: unknown) => v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)
  t.equal(json(universe({ key: 'S', seed: 7 })), json(universe({ key: 'S', seed: 7 })))
  t.not(json(universe({ key: 'S', seed: 7 })), json(universe({ key: 'S', seed: 8 })))
})

t.test('every type appears at every depth 0–6, at the top, inside L and inside M', async (t) => {
  const seen = placements(universe({ key: 'S', count: 0 }))
  for (const type of TYPES) {
    t.ok(seen.has(`${type}@0 in item`), `${type} at top level`)
    for (let d = 1; d <= 6; d++) for (const parent of ['L', 'M']) t.ok(seen.has(`${type}@${d} in ${parent}`), `${type} at depth ${d} in ${parent}`)
  }
  t.ok([...seen].some((p) => p.startsWith('M@30 ')), 'a container at depth 30 (31 nested)')
  t.notOk([...seen].some((p) => p.includes('@32 ')), 'nothing deeper than DynamoDB allows')
})

t.test('edge cases are present: empties, one-member sets, numbers, unicode and odd names, big items, unique keys', async (t) => {
  const items = universe({ key: 'S', big: true, count: 20 })
  const names = new Set(items.map(caseOf))
  for (const [name] of edgeCases()) t.ok(names.has(name), name)
  const nums = texts(items)
  for (const n of ['12345678901234567890123456789012345678', '9007199254740993', '1E-130', '-0', '9.9999999999999999999999999999999999999E+125', ...DENORMALIZED_NUMBERS]) t.ok(nums.includes(n), `number text ${n}`)
  const nested = texts(items.filter((i) => caseOf(i) === 'numbers-in-L').map((i) => ({ l: i.d as AttributeValue })))
  t.same(nested, DENORMALIZED_NUMBERS, 'denormalized text sits inside a list')
  const big = items.filter((i) => caseOf(i).startsWith('big-'))
  t.equal(big.length, 2)
  for (const b of big) t.equal(itemSize(b), 395 * 1024, `${caseOf(b)} is 395 KB`)
  const emptyMapInList = (items.find((i) => caseOf(i) === 'empties')?.nested?.L ?? []).some((v) => v.M !== undefined && Object.keys(v.M).length === 0)
  t.ok(emptyMapInList, 'an empty map inside a list')
  t.ok(items.some((i) => Object.keys(i).includes('a\u0000b')), 'a NUL in an attribute name')
  t.ok(items.some((i) => Object.keys(i).includes('a.b') && Object.keys(i).includes('q"x') && Object.keys(i).includes('a[0]')), 'path syntax in names')
  for (const key of ['S', 'N', 'B'] as KeyType[]) {
    const keys = universe({ key, count: 100, big: true }).map((i) => JSON.stringify(i[PK]?.N !== undefined ? decimalValue(i[PK]?.N as string) : i[PK], (_k, v: unknown) => v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))
    t.equal(new Set(keys).size, keys.length, `${key} keys are unique by value`)
  }
})

t.test('diffItems matches items by key and reports each value difference under its key, missing, unexpected and doubled keys', async (t) => {
  // Value-level differences (types, numbers, sets, bytes, nesting) are proven on the comparator itself: attribute-diff.test.ts.
  const base: Item = { pk: { S: 'a' }, b: { B: Uint8Array.from([104, 105]) }, ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2'] }, l: { L: [{ M: { n: { N: '1' } } }] } }
  t.same(diffItems([base], [base], PK), [])
  const same: Item = { ...base, ss: { SS: ['y', 'x'] }, ns: { NS: ['2.0', '1'] }, l: { L: [{ M: { n: { N: '001.000' } } }] } }
  t.same(diffItems([base], [same], PK), [], 'set order and number text do not matter, values do')
  t.same(diffItems([base], [{ ...base, l: { L: [{ M: { n: { N: '2' } } }] } }], PK), ['S:"a": $.l[0].n: N 1 expected, got 2'])
  t.same(diffItems([{ pk: { N: '1.50' }, v: { S: 'x' } }], [{ pk: { N: '1.5' }, v: { S: 'x' } }], PK), [], 'number keys match by value')
  t.same(diffItems([{ pk: { N: '1' } }], [{ pk: { S: '1' } }], PK), ['N:1e0: missing', 'S:"1": unexpected item'], 'key type is part of the key')
  t.match(diffItems([base], [], PK), [/missing/])
  t.match(diffItems([], [base], PK), [/unexpected item/])
  t.match(diffItems([{ pk: { N: '1' } }], [{ pk: { N: '1.0' } }, { pk: { N: '01' } }], PK), [/actual holds this key twice/])
})
