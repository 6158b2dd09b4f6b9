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

t.test('diffItems is honest: it reports B vs S, SS vs L, NS vs L, 1 vs 2, missing, unexpected; it accepts same values', async (t) => {
  const base: Item = { pk: { S: 'a' }, b: { B: Uint8Array.from([104, 105]) }, ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2'] }, l: { L: [{ M: { n: { N: '1' } } }] } }
  t.same(diffItems([base], [base], PK), [])
  const same: Item = { ...base, ss: { SS: ['y', 'x'] }, ns: { NS: ['2.0', '1'] }, l: { L: [{ M: { n: { N: '001.000' } } }] } }
  t.same(diffItems([base], [same], PK), [], 'set order and number text do not matter, values do')
  const cases: Array<[string, Item, RegExp]> = [
    ['B vs S', { ...base, b: { S: 'aGk=' } }, /\$\.b: type B expected, got S/],
    ['SS vs L', { ...base, ss: { L: [{ S: 'x' }, { S: 'y' }] } }, /\$\.ss: type SS expected, got L/],
    ['NS vs L', { ...base, ns: { L: [{ N: '1' }, { N: '2' }] } }, /\$\.ns: type NS expected, got L/],
    ['1 vs 2', { ...base, l: { L: [{ M: { n: { N: '2' } } }] } }, /\$\.l\[0\]\.n: N 1 expected, got 2/],
    ['missing attribute', { pk: base.pk as AttributeValue, b: base.b as AttributeValue, ss: base.ss as AttributeValue, ns: base.ns as AttributeValue }, /\$\.l: missing/],
    ['set member', { ...base, ns: { NS: ['1', '3'] } }, /\$\.ns: NS members differ/]
  ]
  for (const [label, actual, re] of cases) {
    const d = diffItems([base], [actual], PK)
    t.equal(d.length, 1, label)
    t.match(d[0], re, label)
  }
  t.match(diffItems([base], [], PK), [/missing/])
  t.match(diffItems([], [base], PK), [/unexpected item/])
  t.match(diffItems([{ pk: { N: '1' } }], [{ pk: { N: '1.0' } }, { pk: { N: '01' } }], PK), [/actual holds this key twice/])
  t.equal(decimalValue('-0.0'), '0')
  t.equal(decimalValue('1E-130'), decimalValue('0.' + '0'.repeat(129) + '1'))
  t.equal(decimalValue('9.9999999999999999999999999999999999999E+125'), decimalValue('99999999999999999999999999999999999999' + '0'.repeat(88)))
  t.not(decimalValue('1.5'), decimalValue('15'))
})
