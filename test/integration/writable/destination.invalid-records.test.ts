import t from 'tap'
import { useDynamo } from '../../helpers/dynamo.js'
import { createDestination } from '../../../src/writable/destination.js'
import { createRecord, type OpenCDCRecord } from '../../../src/model/record.js'
import { isOpenCDCError, type ErrorCode } from '../../../src/errors/index.js'
import { run, scanAll } from './destination.fixtures.js'

const db = await useDynamo(t)

const good = (i: number): OpenCDCRecord => createRecord({ position: `p${i}`, operation: 'create', key: { id: `k${i}` }, after: { i } })

const cases: Array<[string, OpenCDCRecord, ErrorCode, RegExp]> = [
  ['an item over 400 KB', createRecord({ position: 'bad', operation: 'create', key: { id: 'big' }, after: { blob: 'x'.repeat(410_000) } }), 'ERR_DDB_ITEM_TOO_LARGE', /item is \d+ bytes; DynamoDB allows at most 409600/],
  ['a missing key attribute', createRecord({ position: 'bad', operation: 'create', key: { other: 'x' }, after: { v: 1 } }), 'ERR_DDB_INVALID_KEY', /missing key attribute "id"/],
  ['a wrong key type', createRecord({ position: 'bad', operation: 'create', key: { id: 42 }, after: { v: 1 } }), 'ERR_DDB_INVALID_KEY', /"id" must be a string \(S\).*got number/],
  ['an unknown operation', { ...createRecord({ position: 'bad', operation: 'create', key: { id: 'u' }, after: {} }), operation: 'merge' } as unknown as OpenCDCRecord, 'ERR_DDB_INVALID_RECORD', /unknown operation "merge"/]
]

for (const [what, bad, code, rule] of cases) {
  t.test(`${what} fails the stream naming the record, and every record before it is written`, async (t) => {
    const table = await db.createTable()
    const records = [...Array.from({ length: 120 }, (_, i) => good(i)), bad, ...Array.from({ length: 30 }, (_, i) => good(1000 + i))]
    const err = await run(records, createDestination({ table, endpoint: db.endpoint }))
    t.ok(isOpenCDCError(err, code), `${code}: ${String(err)}`)
    t.match(err?.message, /^record #120 position "bad"/)
    t.match(err?.message, rule)
    const items = await scanAll(db.client, table)
    t.same([...items.keys()].sort(), Array.from({ length: 120 }, (_, i) => `k${i}`).sort(), 'exactly the 120 records before it landed')
  })
}

t.test('with a dead-letter handler, invalid records go there and the rest is written', async (t) => {
  const table = await db.createTable()
  const dead: Array<{ position: string, code: string }> = []
  const records = [good(0), ...cases.map((c) => c[1]), good(1)]
  const err = await run(records, createDestination({ table, endpoint: db.endpoint, deadLetter: (record, error) => { dead.push({ position: record.position.toString(), code: (error as Error & { code: string }).code }) } }))
  t.equal(err, undefined)
  t.same(dead.map((d) => d.code), cases.map((c) => c[2]))
  t.same([...(await scanAll(db.client, table)).keys()].sort(), ['k0', 'k1'])
})
