import t from 'tap'
import { toWriteOp } from '../../../src/writable/write-op.js'
import { createRecord } from '../../../src/model/record.js'
import { serializeOpenCDC } from '../../../src/transforms/opencdc-json.js'
import { createLineParser } from '../../../src/transforms/jsonl.js'
import type { KeySchema } from '../../../src/writable/key-schema.js'

const binaryKey: KeySchema = { hash: { name: 'id', type: 'B' } }
const HINT = /plain JSON lost the type: use the default type hints of opencdc\/json \(metadata "dynamodb\.types"\), or opencdc\.dynamodbJson=true/

t.test('a base64 string where the table keys on B names the lost type and the options that keep it', async (t) => {
  const line = serializeOpenCDC(createRecord({ position: 'p', operation: 'create', key: { id: Uint8Array.of(1, 2) }, after: { id: Uint8Array.of(1, 2) } }), { typeHints: false })
  const record = createLineParser()(line)
  t.throws(() => toWriteOp(record as never, 0, binaryKey), { code: 'ERR_DDB_INVALID_KEY', message: /key attribute "id" must be binary \(B\) as the table defines it, got string/ })
  t.throws(() => toWriteOp(record as never, 0, binaryKey), { message: HINT })
})

t.test('a string where the table keys on N gets the hint too; other mismatches do not', async (t) => {
  const schema: KeySchema = { hash: { name: 'id', type: 'N' } }
  t.throws(() => toWriteOp(createRecord({ position: 'p', operation: 'create', after: { id: '42' } }), 0, schema), { message: HINT })
  const err = t.throws(() => toWriteOp(createRecord({ position: 'p', operation: 'create', after: { id: true } }), 0, schema)) as Error
  t.notMatch(err.message, HINT, 'a boolean is no text loss')
})

t.test('with the default hints the same line writes the binary key', async (t) => {
  const line = serializeOpenCDC(createRecord({ position: 'p', operation: 'create', key: { id: Uint8Array.of(1, 2) }, after: { id: Uint8Array.of(1, 2) } }))
  const op = toWriteOp(createLineParser()(line) as never, 0, binaryKey)
  t.same(op.key, { id: { B: Buffer.from([1, 2]) } })
})
