import t from 'tap'
import { parseJSONLossless, stringifyValue } from '../../../src/model/json-value.js'
import { parseJSONExact } from '../../../src/model/json-exact.js'
import { isPreciseNumber } from '../../../src/model/record.js'
import { canon, genItem, rng } from '../transforms/format.fixtures.js'

// What the JSON text of a value must read back as: sets become arrays and bytes base64 strings; nothing else changes.
function asJSON (v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  if (v instanceof Set) return [...v].map(asJSON)
  if (Array.isArray(v)) return v.map(asJSON)
  if (v !== null && typeof v === 'object' && !isPreciseNumber(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJSON(x)]))
  return v
}

function keysSorted (v: unknown): boolean {
  if (Array.isArray(v)) return v.every(keysSorted)
  if (v === null || typeof v !== 'object' || isPreciseNumber(v)) return true
  const keys = Object.keys(v)
  return keys.every((k, i) => i === 0 || (keys[i - 1] as string) < k) && Object.values(v).every(keysSorted)
}

t.test('stringifyValue of 3000 generated items of every type reads back (exact parser) as the item, keys sorted', async (t) => {
  const r = rng(99)
  let diff = 0
  for (let i = 0; i < 3000; i++) {
    const item = genItem(r, 0, false)
    const text = stringifyValue(item)
    const back = parseJSONExact(text)
    const same = JSON.stringify(canon(back)) === JSON.stringify(canon(asJSON(item)))
    if ((!same || !keysSorted(back)) && ++diff < 3) t.fail(`item ${i}: ${text}`)
  }
  t.equal(diff, 0)
})

t.test('parseJSONLossless (native fast path) reads what the exact parser reads for 3000 generated documents', async (t) => {
  const r = rng(5)
  let diff = 0
  for (let i = 0; i < 3000; i++) {
    const text = stringifyValue(genItem(r, 0, true))
    const a = JSON.stringify(canon(parseJSONLossless(text)))
    if (a !== JSON.stringify(canon(parseJSONExact(text))) && ++diff < 3) t.equal(a, JSON.stringify(canon(parseJSONExact(text))), text)
  }
  t.equal(diff, 0)
})

t.test('parseJSONLossless keeps long numbers in strings, keys and escapes untouched', async (t) => {
  const text = '{"12345678901234567890":"12345678901234567890","s":"a\\"b 99999999999999999999 \\\\","n":[99999999999999999999,-1.2345678901234567890e-5,0.30000000000000004]}'
  const v = parseJSONLossless(text) as { s: string, n: Array<{ value: string } | number> }
  t.equal((v as Record<string, unknown>)['12345678901234567890'], '12345678901234567890')
  t.equal(v.s, 'a"b 99999999999999999999 \\')
  t.equal((v.n[0] as { value: string }).value, '99999999999999999999')
  t.equal((v.n[1] as { value: string }).value, '-1.2345678901234567890e-5')
  t.equal(v.n[2], 0.30000000000000004, 'a long token a double holds exactly stays a number')
})

t.test('parseJSONLossless never confuses a real \\u0001 string with its placeholder', async (t) => {
  const v = parseJSONLossless('{"a":"\\u00010","b":12345678901234567890123}') as { a: string, b: { value: string } }
  t.equal(v.a, '\u00010')
  t.equal(v.b.value, '12345678901234567890123')
})

t.test('parseJSONLossless rejects invalid JSON even around long number-like tokens', async (t) => {
  t.throws(() => parseJSONLossless('{"a":12345678901234567-5}'), SyntaxError)
  t.throws(() => parseJSONLossless('{"a":12345678901234567890,}'), SyntaxError)
})

t.test('parseJSONLossless reports syntax errors at their position in the original text', async (t) => {
  const text = '{"a":12345678901234567890123,"b":12345678901234567890123 "c":1}'
  t.throws(() => parseJSONLossless(text), { name: 'SyntaxError', message: /position 57/ })
})

t.test('parseJSONLossless ignores number-like text inside strings, even after ":" or ","', async (t) => {
  const v = parseJSONLossless('{"s":"x:12345678901234567890,[99999999999999999999","n":99999999999999999999}') as { s: string, n: { value: string } }
  t.equal(v.s, 'x:12345678901234567890,[99999999999999999999')
  t.equal(v.n.value, '99999999999999999999')
})

t.test('stringifyValue escapes like JSON.stringify, lone surrogates included', async (t) => {
  for (const s of ['a"b', '\\', '\u0001', '\ud800x', 'x\udc00', '😀', 'é', '\u2028', '\u007f']) t.equal(stringifyValue(s), JSON.stringify(s), `code points ${[...s].map((c) => c.codePointAt(0)).join(',')}`)
})

t.test('stringifyValue keeps keys sorted when objects share a first key but differ after it (its sorted-order cache)', async (t) => {
  const r = rng(7)
  const names = ['z', 'b', 'a', 'y', 'm', 'c']
  let bad = 0
  for (let i = 0; i < 2000; i++) {
    const o: Record<string, number> = { q: i } // every object starts with "q", then a random subset in random order
    for (const k of names) if (r() < 0.5) o[k] = i
    const back = JSON.parse(stringifyValue(o)) as Record<string, number>
    const expected = Object.keys(o).sort()
    if (JSON.stringify(Object.keys(back)) !== JSON.stringify(expected) && ++bad < 3) t.same(Object.keys(back), expected)
  }
  t.equal(bad, 0)
})
