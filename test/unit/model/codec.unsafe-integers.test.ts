import t from 'tap'
import { decodeNumber, fromAttributeMap, fromAttributeValue, toAttributeMap, toAttributeValue } from '../../../src/model/codec.js'
import { isPreciseNumber } from '../../../src/model/record.js'

// Integers above 2^53 whose text String() prints back the same, while the writer prints a double's exact binary value.
const unsafe = ['-727847800000000000000', '1152921504606847000', '9007199254740993', '123456789012345678000', '2840127247444810000', '-545533000000000000000', '4109229206990530000']

t.test('an integer beyond 2^53 that a double cannot hold exactly stays text and is written back digit for digit', async (t) => {
  for (const text of unsafe) {
    t.ok(isPreciseNumber(decodeNumber(text)), `${text} stays text`)
    t.same(toAttributeValue(fromAttributeValue({ N: text })), { N: text }, text)
    t.same(toAttributeValue(fromAttributeValue({ NS: [text, '1'] })), { NS: [text, '1'] }, `${text} in a set`)
    t.same(toAttributeMap(fromAttributeMap({ n: { N: text }, s: { NS: [text] } })), { n: { N: text }, s: { NS: [text] } }, `${text} in an item`)
  }
})

t.test('integers a double holds exactly still decode as plain numbers', async (t) => {
  for (const text of ['9007199254740992', '1152921504606846976', '10000000000000000000', '1e+21', '42']) t.equal(typeof decodeNumber(text), 'number', text)
})
