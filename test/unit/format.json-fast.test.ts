import t from 'tap'
import { parseJSONFast, stringifyData } from '../../src/transforms/json-fast.js'
import { parseJSONLossless, stringifyValue } from '../../src/json-value.js'
import { canon, genItem, rng } from './format.fixtures.js'

t.test('stringifyData writes exactly what stringifyValue writes for 3000 generated items', async (t) => {
  const r = rng(99)
  let diff = 0
  for (let i = 0; i < 3000; i++) {
    const item = genItem(r, 0, false)
    if (stringifyData(item) !== stringifyValue(item) && ++diff < 3) t.equal(stringifyData(item), stringifyValue(item))
  }
  t.equal(diff, 0)
})

t.test('parseJSONFast reads what parseJSONLossless reads for 3000 generated documents', async (t) => {
  const r = rng(5)
  let diff = 0
  for (let i = 0; i < 3000; i++) {
    const text = stringifyValue(genItem(r, 0, true))
    const a = JSON.stringify(canon(parseJSONFast(text)))
    if (a !== JSON.stringify(canon(parseJSONLossless(text))) && ++diff < 3) t.equal(a, JSON.stringify(canon(parseJSONLossless(text))), text)
  }
  t.equal(diff, 0)
})

t.test('parseJSONFast keeps long numbers in strings, keys and escapes untouched', async (t) => {
  const text = '{"12345678901234567890":"12345678901234567890","s":"a\\"b 99999999999999999999 \\\\","n":[99999999999999999999,-1.2345678901234567890e-5,0.30000000000000004]}'
  const v = parseJSONFast(text) as { s: string, n: Array<{ value: string } | number> }
  t.equal((v as Record<string, unknown>)['12345678901234567890'], '12345678901234567890')
  t.equal(v.s, 'a"b 99999999999999999999 \\')
  t.equal((v.n[0] as { value: string }).value, '99999999999999999999')
  t.equal((v.n[1] as { value: string }).value, '-1.2345678901234567890e-5')
  t.equal(v.n[2], 0.30000000000000004, 'a long token a double holds exactly stays a number')
})

t.test('parseJSONFast never confuses a real \\u0001 string with its placeholder', async (t) => {
  const v = parseJSONFast('{"a":"\\u00010","b":12345678901234567890123}') as { a: string, b: { value: string } }
  t.equal(v.a, '\u00010')
  t.equal(v.b.value, '12345678901234567890123')
})

t.test('parseJSONFast rejects invalid JSON even around long number-like tokens', async (t) => {
  t.throws(() => parseJSONFast('{"a":12345678901234567-5}'), SyntaxError)
  t.throws(() => parseJSONFast('{"a":12345678901234567890,}'), SyntaxError)
})

t.test('parseJSONFast reports syntax errors at their position in the original text', async (t) => {
  const text = '{"a":12345678901234567890123,"b":12345678901234567890123 "c":1}'
  t.throws(() => parseJSONFast(text), { name: 'SyntaxError', message: /position 57/ })
})

t.test('parseJSONFast ignores number-like text inside strings, even after ":" or ","', async (t) => {
  const v = parseJSONFast('{"s":"x:12345678901234567890,[99999999999999999999","n":99999999999999999999}') as { s: string, n: { value: string } }
  t.equal(v.s, 'x:12345678901234567890,[99999999999999999999')
  t.equal(v.n.value, '99999999999999999999')
})

t.test('stringifyData escapes like JSON.stringify, lone surrogates included', async (t) => {
  for (const s of ['a"b', '\\', '\u0001', '\ud800x', 'x\udc00', '😀', 'é', '\u2028', '\u007f']) t.equal(stringifyData(s), JSON.stringify(s), `code points ${[...s].map((c) => c.codePointAt(0)).join(',')}`)
})
