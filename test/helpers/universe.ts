import type { AttributeValue, StreamViewType } from '@aws-sdk/client-dynamodb'
import type { TestDynamo } from './dynamo.js'
import { itemSize } from '../../src/writable/item-size.js'
import { rng } from './random.js'
import { DENORMALIZED_NUMBERS, EDGE_NUMBERS, randomMap } from './universe-gen.js'
import { createUniverseTable, putItems, PK, SK, type KeyType } from './universe-db.js'
import type { Item } from './attribute-diff.js'

export { diffItems } from './universe-diff.js'
export { decimalValue, typeOf, type Item } from './attribute-diff.js'
export { createUniverseTable, putItems, scanAll, PK, SK, type KeyType } from './universe-db.js'
export { DENORMALIZED_NUMBERS, EDGE_NUMBERS } from './universe-gen.js'

/*
 * The shared adversarial item universe (issue 12 item 8): raw low-level items, written with PutItem /
 * BatchWriteItem so DynamoDB Local keeps nested number text as written. Compare results with diffItems,
 * which compares numbers by VALUE, so no "expected stored form" is needed. What DynamoDB Local 3.3.0 does
 * with what is written here (measured with PutItem → GetItem/Scan):
 * - top-level N and NS members are normalized: 007→7, 5.→5, +5→5, .5→0.5, 1.50→1.5, 1e2→100, -0.0→0, -0→0,
 *   1E-130→0.000…01 (130 places), 9.99…9E+125→999…9000… (126 digits); keys likewise.
 * - N inside L/M keeps its text verbatim (007, 5., +5, .5, 1.50, 1e2, -0.0, 1E-130 …).
 * - NS inside L/M is rewritten as Java BigDecimal.toString: 007→7, +5→5, .5→0.5, -0.0→0.0, 1e2→1E+2, 1.50 kept.
 * - accepted: empty S and B (not in keys), empty L and M at any depth, "" and empty bytes as set members,
 *   NUL and any unicode in values, names and string keys; names with . [ ] " $ # : spaces; 31 nested
 *   containers (32 is "Nesting Levels have exceeded supported limits"); items up to exactly 409,600 bytes by
 *   src/writable/item-size.ts's count; partition keys up to 2048 bytes, sort keys up to 1024.
 * - refused: empty sets, duplicate set members (also by value: 1.5 / 1.50), empty names, NULL:false,
 *   39 significant digits, magnitudes below 1E-130 or above 9.99…E+125.
 * - Scan/GetItem return an empty map as {"M":{}}; GetRecords returns it as {} (NOTES §6, issue 12.1).
 */

export interface UniverseOptions {
  key: KeyType
  /** Sort key type: items then share a few partition keys and differ by `sk`. */
  range?: KeyType
  seed?: number
  /** Generated items after the fixed edge cases (default 60). */
  count?: number
  /** Add the two items near 400 KB. */
  big?: boolean
  /** Leave out the `proto-names` case (nested attributes named `__proto__`, on by default). */
  proto?: boolean
}

const S = (s: string): AttributeValue => ({ S: s })
const N = (n: string): AttributeValue => ({ N: n })
const B = (b: number[] | Uint8Array): AttributeValue => ({ B: Uint8Array.from(b) })
const L = (...xs: AttributeValue[]): AttributeValue => ({ L: xs })
const M = (m: Item): AttributeValue => ({ M: m })
/** A map built with defineProperty, so a name like `__proto__` stays an own attribute. */
const named = (entries: Array<[string, AttributeValue]>): Item => {
  const out: Item = {}
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  return out
}

/** One value of every type, the empty ones included. */
function everyType (): Item {
  return {
    s: S('text'), n: N('42.5'), b: B([0, 1, 254, 255]), t: { BOOL: true }, f: { BOOL: false }, z: { NULL: true },
    ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '-2.5'] }, bs: { BS: [Uint8Array.from([1]), Uint8Array.from([2, 3])] },
    l: L(S('in list'), N('7')), m: M({ k: S('in map') }), es: S(''), eb: B([]), el: L(), em: M({})
  }
}
const values = (m: Item): AttributeValue[] => Object.values(m)

/** Every type at the given depth, reached through containers alternating from `first` (L in M in L …). */
function atDepth (depth: number, first: 'L' | 'M'): AttributeValue {
  let v: AttributeValue = (depth % 2 === 1) === (first === 'L') ? L(...values(everyType())) : M(everyType())
  for (let d = depth - 1; d >= 1; d--) v = (d % 2 === 1) === (first === 'L') ? L(v, N('1')) : M({ next: v, sib: S('s') })
  return v
}

/** The deepest item DynamoDB takes: 31 nested containers, the innermost holding every scalar and set. */
function deepest (): AttributeValue {
  const { l: _l, m: _m, el: _el, em: _em, ...leaves } = everyType()
  let v: AttributeValue = M(leaves)
  for (let d = 30; d >= 1; d--) v = d % 2 === 0 ? M({ d: v }) : L(v)
  return v
}

const UNICODE = ['emoji 🙂👍🏽👨‍👩‍👧‍👦🇺🇦', 'RTL שָׁלוֹם مرحبا', 'combining e\u0301 a\u0308 n\u0303 \u0928\u093f', 'nul a\u0000b', '\u0000', 'BOM \uFEFF',
  'separators \u2028 \u2029', 'controls \u0001\u001f\u007f', 'CJK 日本語', 'astral 𝔘𝔫𝔦', 'quotes "\' \\ / `', 'ws \n\t\r', '{"S":"not a type"}', '\uFFFD', '\uE000', '\uFFFF']
// eslint-disable-next-line no-template-curly-in-string -- a literal '${x}' is one of the adversarial names
const NAMES = ['🙂', 'שלום', 'e\u0301', 'a\u0000b', '\u0000', 'a.b', 'a[0]', '[', ']', 'q"x', '$x', '${x}', 'sp ace', ' ', '#n', ':v',
  'back\\slash', "it's", '{}', '0', '-1', '1e2', 'constructor', 'toString', 'hasOwnProperty', 'nul\u0000.[x]']
const TYPE_NAMES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => i)

/** The fixed edge cases, by name (key attributes are added by universe()). */
export function edgeCases (): Array<[string, Item]> {
  const cases: Array<[string, Item]> = [['every-type-top', everyType()], ['every-type-in-L', { l: L(...values(everyType())) }], ['every-type-in-M', { m: M(everyType()) }]]
  for (let d = 2; d <= 6; d++) for (const first of ['L', 'M'] as const) cases.push([`every-type-depth-${d}-${first}-first`, { v: atDepth(d, first) }])
  cases.push(
    ['deepest-31-containers', { deep: deepest() }],
    ['empties', { es: S(''), eb: B([]), el: L(), em: M({}), nested: L(M({}), L(), S(''), B([]), M({ em: M({}), el: L(), inner: L(L(M({})), M({ x: M({}) })) })), emm: M({ a: M({}), b: L(M({})) }) }],
    ['one-member-sets', { ss: { SS: ['only'] }, ns: { NS: ['1'] }, bs: { BS: [Uint8Array.from([9])] }, l: L({ SS: [''] }, { NS: ['-0'] }, { BS: [new Uint8Array(0)] }), m: M({ ss: { SS: ['🙂'] }, ns: { NS: ['1E-130'] }, bs: { BS: [Uint8Array.from(ALL_BYTES)] } }) }],
    ['sets-of-every-kind', { ss: { SS: ['', ' ', 'a', 'A', 'é', 'e\u0301', '🙂', 'a\u0000', '日本'] }, ns: { NS: EDGE_NUMBERS.filter((n) => n !== '-0') }, bs: { BS: [new Uint8Array(0), Uint8Array.from([0]), Uint8Array.from([0, 0]), Uint8Array.from([255]), Uint8Array.from(ALL_BYTES)] }, nested: M({ ns: { NS: ['007', '5.', '.5', '1.50', '1e2', '-0.0'] }, l: L({ NS: ['+5', '-.5', '1E+2', '000.000100'] }) }) }],
    ['numbers-top', Object.fromEntries(EDGE_NUMBERS.map((n, i) => [`n${i}`, N(n)]))],
    ['numbers-denormalized-top', Object.fromEntries(DENORMALIZED_NUMBERS.map((n, i) => [`d${i}`, N(n)]))],
    ['numbers-in-L', { l: L(...EDGE_NUMBERS.map(N)), d: L(...DENORMALIZED_NUMBERS.map(N)) }],
    ['numbers-in-M', { m: M(Object.fromEntries(EDGE_NUMBERS.map((n, i) => [`n${i}`, N(n)]))), d: M(Object.fromEntries(DENORMALIZED_NUMBERS.map((n, i) => [`d${i}`, N(n)]))) }],
    ['numbers-denormalized-deep', { v: L(M({ a: L(M({ b: L(...DENORMALIZED_NUMBERS.map(N)) })) })) }],
    ['unicode-values', { s: S(UNICODE.join('|')), each: L(...UNICODE.map(S)), ss: { SS: UNICODE }, m: M(Object.fromEntries(UNICODE.map((u, i) => [`u${i}`, S(u)]))) }],
    ['unicode-and-path-names', { ...named(NAMES.map((n, i) => [n, S(`v${i}`)])), m: M(named(NAMES.map((n) => [n, L(M(named([[n, N('1')]])))]))) }],
    // A top-level `__proto__` is dropped by the AWS SDK's own Scan deserializer, so only nested ones are carried.
    ['proto-names', { m: M(named([['__proto__', M({ polluted: { BOOL: true } })], ['prototype', S('x')]])), l: L(M(named([['__proto__', S('p')]]))) }],
    ['type-shaped-names', { ...named(TYPE_NAMES.map((n) => [n, S(n)])), M: M({ M: M({ S: N('1'), N: S('x'), L: M({}), B: L(), NULL: { BOOL: false }, BOOL: { NULL: true } }) }), shaped: L(M({ S: S('s') }), M({ N: N('2') }), M({ B: B([1]) })) }],
    ['binary', { all: B(ALL_BYTES), zero: B([0]), ff: B([255]), l: L(B(ALL_BYTES), B([])), m: M({ b: B([0, 0, 0]) }), kb: B(Uint8Array.from({ length: 1024 }, (_, i) => (i * 37) % 256)) }],
    ['bool-null', { t: { BOOL: true }, f: { BOOL: false }, z: { NULL: true }, l: L({ BOOL: true }, { BOOL: false }, { NULL: true }), m: M({ t: { BOOL: true }, f: { BOOL: false }, z: { NULL: true } }) }],
    ['wide', { l: L(...Array.from({ length: 500 }, (_, i) => i % 3 === 0 ? N(String(i)) : i % 3 === 1 ? S(`s${i}`) : M({ i: N(String(i)) }))), m: M(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i % 2 === 0 ? N(`${i}.5`) : L(S(String(i)))]))) }]
  )
  return cases
}

/** Exactly `target` bytes by src/writable/item-size.ts's count (which matches DynamoDB Local at 409,600), padded with one S. */
function padTo (item: Item, target: number): Item {
  const padded = { ...item, pad: S('') }
  return { ...padded, pad: S('p'.repeat(target - itemSize(padded))) }
}

function bigCases (): Array<[string, Item]> {
  return [
    ['big-395KB-string', { s: S('🙂 big ') }],
    ['big-395KB-mixed', { m: M({ b: B(Uint8Array.from({ length: 200 * 1024 }, (_, i) => i % 251)), nums: L(...Array.from({ length: 2000 }, (_, i) => N(i % 2 === 0 ? `${i}.50` : `-${i}e-3`))), ss: { SS: Array.from({ length: 500 }, (_, i) => `member ${i} שלום`) } }), l: L(M({ deep: L(S('x'.repeat(1000))) })) }]
  ]
}

const S_KEYS = ['a', '🙂', 'שלום', 'e\u0301', 'a\u0000b', ' ', '"', 'a.b', '[0]', '{"S":"x"}', '0']
const N_KEYS = ['0', '-1', '1', '007', '1.50', '1E-130', '-1E-130', '9.9999999999999999999999999999999999999E+125', '-9.9999999999999999999999999999999999999E+125',
  '12345678901234567890123456789012345678', '9007199254740993', '9007199254740992', '0.1', '3.1415926535897932384626433832795028841', '-0.000001']
const B_KEYS = [[0], [255], [0, 0], ALL_BYTES]

/** The i-th key of a type, unique by value: edge keys first (the longest DynamoDB allows among them), then generated ones. */
export function keyValue (type: KeyType, i: number, maxBytes: number): AttributeValue {
  if (type === 'S') return S(i < S_KEYS.length ? S_KEYS[i] as string : i === S_KEYS.length ? 'k'.repeat(maxBytes) : `g${i}|${['🙂', 'x', '\u0000', 'ש'][i % 4] as string}`)
  if (type === 'N') return N(i < N_KEYS.length ? N_KEYS[i] as string : `${1000 + i}.${i % 7}5`)
  if (i < B_KEYS.length) return B(B_KEYS[i] as number[])
  return i === B_KEYS.length ? B(Uint8Array.from({ length: maxBytes }, (_, j) => j % 256)) : B([0x67, i >> 8, i & 255, i % 7])
}

/** Fixed edge cases, then the big ones (when asked), then `count` seeded items; each holds its case name in `case`. */
export function universe (opts: UniverseOptions): Item[] {
  const r = rng(opts.seed ?? 20261212)
  const bodies = [...edgeCases().filter(([name]) => opts.proto !== false || name !== 'proto-names'), ...(opts.big === true ? bigCases() : [])]
  for (let i = 0; i < (opts.count ?? 60); i++) bodies.push([`generated-${i}`, randomMap(r, 0)])
  return bodies.map(([name, body], i) => {
    const key: Item = opts.range === undefined
      ? { [PK]: keyValue(opts.key, i, 2048) }
      : { [PK]: keyValue(opts.key, i % 5, 2048), [SK]: keyValue(opts.range, i, 1024) }
    const item = { ...key, case: S(name), ...body }
    return name.startsWith('big-') ? padTo(item, 395 * 1024) : item
  })
}

/** A short label for an item (its case name), for test messages. */
export function caseOf (item: Item): string {
  return item.case?.S ?? '?'
}

/** A fresh table holding the universe: its name, the items written, and the key names to compare by. */
export async function loadUniverse (ddb: TestDynamo, opts: UniverseOptions & { stream?: StreamViewType }): Promise<{ table: string, items: Item[], keys: string[] }> {
  const items = universe(opts)
  const table = await createUniverseTable(ddb, opts.key, { ...(opts.range !== undefined ? { range: opts.range } : {}), ...(opts.stream !== undefined ? { stream: opts.stream } : {}) })
  await putItems(ddb.client, table, items)
  return { table, items, keys: opts.range !== undefined ? [PK, SK] : [PK] }
}
