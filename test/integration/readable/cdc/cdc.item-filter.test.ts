import t from 'tap'
import { pipeline } from 'node:stream/promises'
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, PK, type Item } from '../../../helpers/universe.js'
import { createChangeStream } from '../../../../src/readable/cdc/change-stream.js'
import { createSource } from '../../../../src/readable/source.js'
import { createDestination } from '../../../../src/writable/destination.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'

const ddb = await useDynamo(t)
const GRP = 'opencdc_grp'
const inFilter = (image: Item): boolean => image[GRP]?.S === 'in'

/** DynamoDB's own answer to the filter (the oracle): Scan with the same FilterExpression. */
const IN_SCAN = { FilterExpression: '#g = :in', ExpressionAttributeNames: { '#g': GRP }, ExpressionAttributeValues: { ':in': { S: 'in' } } }

/** Universe items half in, then moves in and out, updates that stay, removes; written after the stream was enabled. */
async function moving (table: string): Promise<void> {
  const base: Item[] = universe({ key: 'S', count: 50, seed: 1919, proto: false }).map((it, i) => ({ ...it, [GRP]: { S: i % 2 === 0 ? 'in' : 'out' } }))
  await putItems(ddb.client, table, base)
  await putItems(ddb.client, table, base.filter((_, i) => i % 3 === 0).map((it) => ({ ...it, [GRP]: { S: it[GRP]?.S === 'in' ? 'out' : 'in' } })))
  await putItems(ddb.client, table, base.filter((_, i) => i % 3 === 1).map((it) => ({ ...it, rev: { N: '7' } })))
  const removed = base.filter((_, i) => i % 5 === 2).map((it) => ({ DeleteRequest: { Key: { [PK]: it[PK] as Item[string] } } }))
  for (let i = 0; i < removed.length; i += 25) await ddb.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: removed.slice(i, i + 25) } }))
}

t.test('itemFilter on a real stream: moves in become creates, moves out deletes; the copy ends equal to DynamoDB\'s filtered Scan', async (t) => {
  const source = await createUniverseTable(ddb, 'S', { stream: 'NEW_AND_OLD_IMAGES' })
  const dest = await createUniverseTable(ddb, 'S')
  await moving(source)
  const stream = createChangeStream({ table: source, endpoint: ddb.endpoint, startFrom: 'trim_horizon', recordsPollingPeriod: 50, itemFilter: inFilter })
  const ops = new Map<string, number>()
  stream.on('data', (r: { operation: string }) => { ops.set(r.operation, (ops.get(r.operation) ?? 0) + 1) })
  const run = pipeline(stream, createDestination({ table: dest, endpoint: ddb.endpoint })).catch((err: Error) => err)
  const expected = await scanAll(ddb.client, source, IN_SCAN)
  let diff: string[] = []
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    diff = diffItems(expected, await scanAll(ddb.client, dest), PK)
    if (diff.length === 0) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  stream.destroy()
  await run
  t.ok(expected.length > 0 && expected.length < (await scanAll(ddb.client, source)).length, `${expected.length} items in the filter, others out`)
  t.same(diff, [], 'destination = the filtered source, types exact')
  t.ok((ops.get('create') ?? 0) > 0 && (ops.get('update') ?? 0) > 0 && (ops.get('delete') ?? 0) > 0, `creates, updates and deletes: ${JSON.stringify([...ops])}`)
})

t.test('an itemFilter that throws or returns a non-boolean fails the stream, naming the record and the rule', async (t) => {
  const source = await createUniverseTable(ddb, 'S', { stream: 'NEW_AND_OLD_IMAGES' })
  await putItems(ddb.client, source, [{ [PK]: { S: 'k1' }, v: { N: '1' } }])
  const cases: Array<[string, (image: Item) => boolean, RegExp]> = [
    ['throws', () => { throw new Error('boom') }, /itemFilter threw: boom/],
    ['returns a string', () => 'yes' as unknown as boolean, /itemFilter returned string, not a boolean/]
  ]
  for (const [name, fn, rule] of cases) {
    const s = createChangeStream({ table: source, endpoint: ddb.endpoint, startFrom: 'trim_horizon', recordsPollingPeriod: 50, itemFilter: fn })
    const err = await new Promise<Error>((resolve) => { s.on('error', resolve); s.resume() })
    t.ok(isOpenCDCError(err, 'ERR_DDB_INVALID_STREAM_RECORD'), `${name}: ${err.message}`)
    t.match(err.message, rule)
    t.match(err.message, /"pk":"k1"/, 'the record is named by its key')
    t.ok(isOpenCDCError((err as { cause?: unknown }).cause, 'ERR_DDB_ITEM_FILTER'), 'the cause is the predicate\'s failure')
  }
})

t.test('createSource refuses itemFilter with a snapshot phase (Scan cannot run it); with skipSnapshot it is taken', async (t) => {
  t.throws(() => createSource({ table: 'x', endpoint: ddb.endpoint, itemFilter: inFilter }), { code: 'ERR_DDB_INVALID_OPTION', message: /itemFilter .* is for changes only/ })
  t.throws(() => createSource({ table: 'x', endpoint: ddb.endpoint, itemFilter: 'x' as unknown as () => boolean, skipSnapshot: true }), { code: 'ERR_DDB_INVALID_OPTION' }, 'not a function')
  t.doesNotThrow(() => { createSource({ table: 'x', endpoint: ddb.endpoint, itemFilter: inFilter, skipSnapshot: true }).destroy() })
})
