import { compileTemplate } from '../../../../src/transforms/index.js'
import { decodeNumber } from '../../../../src/model/codec.js'
import { createRecord } from '../../../../src/model/record.js'

/** The record both template test files render. */
const rec = createRecord({
  position: 'pos-1',
  operation: 'update',
  metadata: { 'opencdc.collection': 'Orders', 'opencdc.readAt': '1700000000000000000' },
  key: { id: 'k1' },
  before: { id: 'k1', qty: 1 },
  after: { id: 'k1', qty: 2, price: decodeNumber('12345678901234567890.123456789'), tags: ['a', 'b'], ok: true, gone: null, nested: { x: 1 }, bin: Buffer.from('hi') }
})

export const render = (text: string): string => compileTemplate(text)(rec)
