import t from 'tap'
import { attributeValueSize, itemSize, numberSize } from '../../../src/writable/item-size.js'

t.test('strings and binaries count their UTF-8 bytes, names included', async (t) => {
  t.equal(itemSize({ ab: { S: 'héllo' } }), 2 + 6)
  t.equal(itemSize({ b: { B: new Uint8Array(10) } }), 11)
})

t.test('numbers count one byte per two significant digits plus one, zeros trimmed', async (t) => {
  t.equal(numberSize('1'), 2)
  t.equal(numberSize('12'), 2)
  t.equal(numberSize('123'), 3)
  t.equal(numberSize('1000000'), 2)
  t.equal(numberSize('0.0001'), 2)
  t.equal(numberSize('-12345678901234567890123456789012345678'), 20)
})

t.test('a plain integer counts like the same number spelt as a decimal or with an exponent', async (t) => {
  const cases: Array<[string, string[], number]> = [
    ['7', ['7.0', '0.7e1', '70e-1'], 2],
    ['1200', ['1.2e3', '12e2', '1200.000', '+1200'], 2],
    ['-120034', ['-1.20034e5', '-120034.0'], 4],
    ['100000000000000000000000000000000000000000', ['1e41', '1.0e41'], 2],
    ['9007199254740993', ['9.007199254740993e15'], 9],
    ['12345678901234567890123456789012345678', ['1.2345678901234567890123456789012345678e37'], 20]
  ]
  for (const [plain, spellings, size] of cases) {
    t.equal(numberSize(plain), size, plain)
    for (const s of spellings) t.equal(numberSize(s), size, `${s} as ${plain}`)
  }
  t.equal(numberSize('0'), 2)
  t.equal(numberSize('-0'), 2)
  t.equal(numberSize('007'), 2, 'leading zeros are not significant')
})

t.test('booleans and NULL are one byte; sets sum their members', async (t) => {
  t.equal(attributeValueSize({ BOOL: false }), 1)
  t.equal(attributeValueSize({ NULL: true }), 1)
  t.equal(attributeValueSize({ SS: ['ab', 'c'] }), 3)
  t.equal(attributeValueSize({ NS: ['1', '123'] }), 5)
  t.equal(attributeValueSize({ BS: [new Uint8Array(2), new Uint8Array(3)] }), 5)
})

t.test('lists and maps add 3 bytes plus 1 per element, and nested names count', async (t) => {
  t.equal(attributeValueSize({ L: [] }), 3)
  t.equal(attributeValueSize({ L: [{ S: 'ab' }, { BOOL: true }] }), 3 + 3 + 2)
  t.equal(attributeValueSize({ M: { k: { S: 'ab' } } }), 3 + 1 + 1 + 2)
  t.equal(attributeValueSize({} as never), 0)
})
