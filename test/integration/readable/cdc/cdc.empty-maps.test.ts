// DynamoDB Local 3.x's GetRecords sends an empty map as a bare {} at any depth (docs/cdc.md): these go
// through its real stream, inserted, modified to and from empty maps, and removed.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo, type TestDynamo } from '../../../helpers/dynamo.js'
import { cli } from '../../../helpers/child.js'
import { toAttributeMap } from '../../../../src/model/codec.js'
import { createChangeStream } from '../../../../src/readable/cdc/change-stream.js'
import { createSource, type DynamoDBSource } from '../../../../src/readable/source.js'
import type { OpenCDCRecord, StructuredData } from '../../../../src/model/record.js'

const ddb = await useDynamo(t)

const A0: StructuredData = { id: 'a', m: {}, l: [{}], mm: { a: {} }, ll: [[{}]], deep: { x: [{ y: {}, z: 'z' }, 1, { M: {} }] }, n: 5 }
const A1: StructuredData = { id: 'a', m: { k: 1 }, l: [{ k: 'v' }], mm: { a: { b: true } }, ll: [[{ c: null }]], deep: { x: [] }, n: 6 }
const B0: StructuredData = { id: 'b', m: { k: 1 }, l: [{ k: 'v' }, 2], s: 'x' }
const B1: StructuredData = { id: 'b', m: {}, l: [{}, 2], mm: { a: {} }, ll: [[{}], []], s: 'x' }

/** The writes and the records they must give, images exactly as written. */
const STEPS: Array<{ item?: StructuredData, remove?: string, expect: [string, StructuredData | null, StructuredData | null] }> = [
  { item: A0, expect: ['create', null, A0] },
  { item: B0, expect: ['create', null, B0] },
  { item: B1, expect: ['update', B0, B1] },
  { item: A1, expect: ['update', A0, A1] },
  { item: A0, expect: ['update', A1, A0] },
  { remove: 'a', expect: ['delete', A0, null] },
  { remove: 'b', expect: ['delete', B1, null] }
]

async function write (dynamo: TestDynamo, table: string): Promise<void> {
  for (const step of STEPS) {
    if (step.item !== undefined) await dynamo.client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap(step.item) }))
    else await dynamo.client.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: step.remove as string } } }))
  }
}

const shape = (r: OpenCDCRecord): unknown[] => [r.operation, r.payload.before, r.payload.after]
const expected = STEPS.map((s) => s.expect)

async function take (stream: AsyncIterable<unknown> & { iterator?: DynamoDBSource['iterator'] }, n: number): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  for await (const r of stream) {
    out.push(r as OpenCDCRecord)
    if (out.length === n) break
  }
  return out
}

t.test('createChangeStream: empty maps at every depth come out of the real stream exactly as written', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const stream = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100 })
  await stream.whenStarted()
  await write(ddb, table)
  const records = await take(stream, STEPS.length)
  t.strictSame(records.map(shape), expected)
  t.strictSame(records.map((r) => r.key), STEPS.map((s) => ({ id: (s.item?.id ?? s.remove) as string })))
})

t.test('createSource: empty maps from the snapshot (Scan) and then from the stream, exactly as written', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await ddb.client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap({ ...A0, id: 'snap' }) }))
  const source = createSource({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 100, handoffSettle: 0 })
  const [snap] = await take(source.iterator({ destroyOnReturn: false }), 1)
  t.strictSame(snap && shape(snap), ['snapshot', null, { ...A0, id: 'snap' }])
  source.resume()
  for (let i = 0; i < 200 && source.phase !== 'cdc'; i++) await new Promise((resolve) => setTimeout(resolve, 25))
  source.pause()
  t.equal(source.phase, 'cdc')
  await write(ddb, table)
  const records = await take(source, STEPS.length)
  t.strictSame(records.map(shape), expected)
})

t.test('the CLI read prints the changes with empty maps and exits 0', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await write(ddb, table)
  const res = await cli(['read', '--table', table, '--skip-snapshot', '--max-records', String(STEPS.length), '-s', 'startFrom=trim_horizon', '-s', 'recordsPollingPeriod=100ms'], { env: { DYNAMODB_ENDPOINT: ddb.endpoint } })
  t.equal(res.code, 0, res.stderr)
  const lines = res.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { operation: string, payload: { before: unknown, after: unknown } })
  t.strictSame(lines.map((l) => [l.operation, l.payload.before, l.payload.after]), expected, 'plain JSON: every map, empty ones included, is an object')
})

t.test('read --dead-letter: empty maps are not invalid, so nothing is dead-lettered; the flag and the setting cannot disagree', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await write(ddb, table)
  const dir = t.testdir({})
  const file = `${dir}/dead.jsonl`
  const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
  const res = await cli(['read', '--table', table, '--skip-snapshot', '--dead-letter', file, '--max-records', String(STEPS.length), '-s', 'startFrom=trim_horizon', '-s', 'recordsPollingPeriod=100ms'], { env })
  t.equal(res.code, 0, res.stderr)
  t.equal(res.stdout.trimEnd().split('\n').length, STEPS.length)
  t.equal(readFileSync(file, 'utf8'), '')
  const clash = await cli(['read', '--table', table, '--dead-letter', file, '-s', 'cdc.onInvalidRecord=fail'], { env })
  t.equal(clash.code, 2)
  t.match(clash.stderr, /--dead-letter and -s cdc\.onInvalidRecord=… set the same option/)
  const missing = await cli(['read', '--table', table, '-s', 'cdc.onInvalidRecord=dead-letter'], { env })
  t.equal(missing.code, 2)
  t.match(missing.stderr, /onInvalidRecord "dead-letter" needs a deadLetter/)
})
