import t from 'tap'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { serializeOpenCDC } from '../../../src/transforms/format.js'
import { parseJSONL } from '../../../src/transforms/jsonl.js'
import { createRecord } from '../../../src/model/record.js'
import { createDestination } from '../../../src/writable/destination.js'
import { writeAll } from '../../../src/writable/write-all.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { scanAll } from './destination.fixtures.js'

const dynamo = await useDynamo(t)

// 3,000 good lines, then a malformed one, then more good lines: big enough that the destination still buffers
// batches when the parser fails (its highWaterMark is 8 × 25 × 16 records).
const GOOD = 3_000
function lines (): string[] {
  const line = (i: number): string => serializeOpenCDC(createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i } }))
  return [...Array.from({ length: GOOD }, (_, i) => line(i)), '{"operation":"create","key":{"id":"broken"', line(GOOD + 1)]
}

t.test('writeAll: a malformed line fails naming its line number after every record before it is written', async (t) => {
  const table = await dynamo.createTable()
  const parsed = parseJSONL()
  pipeline(Readable.from(lines().map((l) => l + '\n')), parsed).catch(() => {}) // its errors surface through `parsed`
  await t.rejects(writeAll(parsed, createDestination({ table, endpoint: dynamo.endpoint })), { code: 'ERR_DDB_INVALID_JSON_LINE', message: new RegExp(`line ${GOOD + 1}\\b`) })
  const items = await scanAll(dynamo.client, table)
  const missing = Array.from({ length: GOOD }, (_, i) => `k${i}`).filter((k) => !items.has(k))
  t.same(missing, [], 'every record before the bad line is in the table')
  t.notOk(items.has(`k${GOOD + 1}`), 'the line after the bad one was not applied')
})
