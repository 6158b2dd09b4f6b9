import t from 'tap'
import { decodeNumber, fromAttributeMap, toAttributeMap } from '../../../src/model/codec.js'
import { isPreciseNumber } from '../../../src/model/record.js'

t.test('an integer text beyond 2^53 that a double prints back the same still round-trips digit for digit', async (t) => {
  for (const text of ['2840127247444810000', '-545533000000000000000', '4109229206990530000']) {
    t.ok(isPreciseNumber(decodeNumber(text)), `${text} stays text`)
    t.same(toAttributeMap(fromAttributeMap({ n: { N: text }, s: { NS: [text] } })), { n: { N: text }, s: { NS: [text] } })
  }
})

t.test('a __proto__ attribute survives decoding and encoding as an own attribute', async (t) => {
  const item = JSON.parse('{"id":{"S":"a"},"__proto__":{"M":{"__proto__":{"S":"x"}}}}')
  const back = toAttributeMap(fromAttributeMap(item))
  t.same(Object.keys(back), ['id', '__proto__'])
  // eslint-disable-next-line no-proto -- '__proto__' is an own attribute name here, not the prototype
  t.same(Object.keys(back.__proto__?.M ?? {}), ['__proto__'])
})
