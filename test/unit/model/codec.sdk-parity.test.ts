import t from 'tap'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { decodeNumber, fromAttributeMap, toAttributeMap } from '../../../src/model/codec.js'
import { genItem, rng } from '../transforms/format.fixtures.js'

// The codec converts in one hand-written walk; the SDK's marshall/unmarshall are the independent reference
// for every value both accept (the codec additionally rejects what the SDK would coerce silently).

t.test('toAttributeMap gives what the SDK marshall gives for 3000 generated items of every type', async (t) => {
  const r = rng(21)
  let diff = 0
  for (let i = 0; i < 3000; i++) {
    const item = genItem(r, 0, false)
    const ours = toAttributeMap(item)
    const sdk = marshall(item, { allowImpreciseNumbers: true }) // the generated numbers are all exact in both
    if (JSON.stringify(ours) !== JSON.stringify(sdk) && ++diff < 3) t.same(ours, sdk, `item ${i}`)
  }
  t.equal(diff, 0)
})

t.test('fromAttributeMap gives what the SDK unmarshall (numbers through decodeNumber) gives for the same items', async (t) => {
  const r = rng(22)
  let diff = 0
  for (let i = 0; i < 3000; i++) {
    const av = marshall(genItem(r, 0, false), { allowImpreciseNumbers: true })
    const ours = fromAttributeMap(av)
    const sdk = unmarshall(av, { wrapNumbers: decodeNumber })
    if (!sameValue(ours, sdk) && ++diff < 3) t.fail(`item ${i}: ${JSON.stringify(av)}`)
  }
  t.equal(diff, 0)
})

// Deep equality that tells a Set from an array and compares bytes and precise numbers by content.
function sameValue (a: unknown, b: unknown): boolean {
  if (a instanceof Set && b instanceof Set) return sameValue([...a], [...b])
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b))
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return Object.is(a, b)
}

t.test('a number the SDK would round (2**60) keeps every digit, as it must', async (t) => {
  t.same(toAttributeMap({ n: 2 ** 60 }), { n: { N: '1152921504606846976' } })
})
