import t from 'tap'
import { decodeNumber, fromAttributeValue, toAttributeValue } from '../../../src/model/codec.js'

t.test('an integer above 2^53 that a double cannot hold exactly is written back with the text it was read with', async (t) => {
  // String() prints these doubles with the read text, but the writer prints a double's exact binary value.
  for (const text of ['-727847800000000000000', '1152921504606847000', '9007199254740993', '123456789012345678000']) {
    t.same(toAttributeValue(fromAttributeValue({ N: text })), { N: text }, text)
    t.same(toAttributeValue(fromAttributeValue({ NS: [text, '1'] })), { NS: [text, '1'] }, `${text} in a set`)
  }
})

t.test('integers a double holds exactly still decode as plain numbers', async (t) => {
  for (const text of ['9007199254740992', '1152921504606846976', '10000000000000000000', '1e+21', '42']) t.equal(typeof decodeNumber(text), 'number', text)
})
