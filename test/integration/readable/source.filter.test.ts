import t from 'tap'
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import path from 'node:path'
import { useDynamo } from '../../helpers/dynamo.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, type Item } from '../../helpers/universe.js'
import { extraItems } from '../filter/filter.corpus.js'
import { createSource } from '../../../src/readable/source.js'
import { createChangeStream } from '../../../src/readable/cdc/change-stream.js'
import { toAttributeMap } from '../../../src/model/codec.js'
import { isOpenCDCError } from '../../../src/errors/index.js'
import type { OpenCDCRecord, StructuredData } from '../../../src/model/record.js'

const ddb = await useDynamo(t)

t.test('a snapshot with filter + projection returns exactly what Scan returns for the same expressions (keys kept)', async (t) => {
  const table = await createUniverseTable(ddb, 'S')
  await putItems(ddb.client, table, [...universe({ key: 'S' }), ...extraItems()])
  const cases: Array<{ filter: string, projection?: string, names?: Record<string, string>, values: Record<string, AttributeValue> }> = [
    { filter: 'begins_with(#c, :p) OR attribute_exists(n)', projection: 'n, s, #c', names: { '#c': 'case' }, values: { ':p': { S: 'every-type' } } },
    { filter: 'size(s) > :z', projection: 'tenant', values: { ':z': { N: '3' } } },
    { filter: 'attribute_type(n, :t)', values: { ':t': { S: 'N' } } }
  ]
  for (const c of cases) {
    const src = createSource({ table, endpoint: ddb.endpoint, snapshotOnly: true, snapshotPageSize: 7, filter: c.filter, ...(c.projection !== undefined ? { projection: c.projection } : {}), ...(c.names !== undefined ? { expressionAttributeNames: c.names } : {}), expressionAttributeValues: c.values })
    const got: Item[] = []
    for await (const r of src) got.push(toAttributeMap((r as OpenCDCRecord).payload.after as StructuredData) as Item)
    // The oracle: DynamoDB's own Scan, with the key written into the projection by hand.
    const want = await scanAll(ddb.client, table, { FilterExpression: c.filter, ...(c.projection !== undefined ? { ProjectionExpression: `${c.projection}, pk` } : {}), ...(c.names !== undefined ? { ExpressionAttributeNames: c.names } : {}), ExpressionAttributeValues: c.values })
    t.ok(want.length > 0, `${c.filter}: the oracle matches ${want.length} items`)
    t.same(diffItems(want, got, 'pk'), [], `${c.filter} / ${c.projection ?? '(all)'}: the same items and attributes, types included`)
  }
})

t.test('a bad expression is refused when the source is created', async (t) => {
  const code = (fn: () => unknown): string | undefined => { try { fn(); return undefined } catch (err) { return (err as { code?: string }).code } }
  t.equal(code(() => createSource({ table: 'x', endpoint: ddb.endpoint, filter: 'status = :s', expressionAttributeValues: { ':s': 'a' } })), 'ERR_DDB_INVALID_EXPRESSION', 'a reserved word')
  t.equal(code(() => createChangeStream({ table: 'x', endpoint: ddb.endpoint, filter: 'a = :s' })), 'ERR_DDB_INVALID_EXPRESSION', 'an undefined value')
  t.equal(code(() => createSource({ table: 'x', endpoint: ddb.endpoint, 'filter.expression': 'a = :s', 'filter.values': '{"":' })), 'ERR_DDB_INVALID_OPTION', 'a setting that is not JSON')
  t.equal(code(() => createSource({ table: 'x', endpoint: ddb.endpoint, 'filter.expression': 'a = :s', 'filter.values': '{":s":{"S":"v"}}' }).destroy()), undefined, 'the settings form')
})

t.test('a filter on a stream without old images is refused at start', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_IMAGE' })
  const s = createChangeStream({ table, endpoint: ddb.endpoint, requireFullImages: false, filter: 'attribute_exists(a)' })
  const err = await new Promise<unknown>((resolve) => { s.on('error', resolve); s.resume() })
  t.ok(isOpenCDCError(err, 'ERR_DDB_STREAM_VIEW_TYPE'), `refused: ${(err as Error).message}`)
})

const S = (s: string): AttributeValue => ({ S: s })

t.test('CDC under a filter: in/in → update, out/in → create, in/out → delete, out/out → nothing; the checkpoint moves past dropped events', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const put = async (id: string, tenant: string, extra: Record<string, AttributeValue> = {}): Promise<void> => { await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: S(id), tenant: S(tenant), secret: S('x'), ...extra } })) }
  const setTenant = async (id: string, tenant: string): Promise<void> => { await ddb.client.send(new UpdateItemCommand({ TableName: table, Key: { id: S(id) }, UpdateExpression: 'SET tenant = :t', ExpressionAttributeValues: { ':t': S(tenant) } })) }
  // All on one key: one shard, one order.
  await put('k', 't1', { v: { N: '1' } }) // create
  await ddb.client.send(new UpdateItemCommand({ TableName: table, Key: { id: S('k') }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } })) // in/in: update
  await setTenant('k', 't2') // in/out: delete
  await setTenant('k', 't3') // out/out: nothing
  await setTenant('k', 't4') // out/out: nothing
  await setTenant('k', 't1') // out/in: create
  await ddb.client.send(new DeleteItemCommand({ TableName: table, Key: { id: S('k') } })) // delete
  await put('k', 't9') // out: nothing
  await put('k', 't1') // create (sentinel)
  const checkpoint = path.join(t.testdir(), 'cdc.json')
  const s = createChangeStream({ table, endpoint: ddb.endpoint, startFrom: 'trim_horizon', recordsPollingPeriod: 50, filter: 'tenant = :t', projection: 'tenant, v', expressionAttributeValues: { ':t': 't1' } })
  const seen: Array<{ op: string, before: unknown, after: unknown }> = []
  const records: OpenCDCRecord[] = []
  for await (const r of s) {
    const rec = r as OpenCDCRecord
    records.push(rec)
    seen.push({ op: rec.operation, before: rec.payload.before, after: rec.payload.after })
    if (seen.length === 6) break
  }
  t.strictSame(seen, [
    { op: 'create', before: null, after: { id: 'k', tenant: 't1', v: 1 } },
    { op: 'update', before: { id: 'k', tenant: 't1', v: 1 }, after: { id: 'k', tenant: 't1', v: 2 } },
    { op: 'delete', before: { id: 'k', tenant: 't1', v: 2 }, after: null },
    { op: 'create', before: null, after: { id: 'k', tenant: 't1', v: 2 } },
    { op: 'delete', before: { id: 'k', tenant: 't1', v: 2 }, after: null },
    { op: 'create', before: null, after: { id: 'k', tenant: 't1' } }
  ], 'the transitions, projected (secret left out, key kept)')

  // Acknowledge up to the first delete: the two out/out events after it settle by themselves.
  const s2 = createChangeStream({ table, endpoint: ddb.endpoint, startFrom: 'trim_horizon', recordsPollingPeriod: 50, checkpoint, checkpointInterval: 0, filter: 'tenant = :t', projection: 'tenant, v', expressionAttributeValues: { ':t': 't1' } })
  const again: OpenCDCRecord[] = []
  for await (const r of s2) {
    again.push(r as OpenCDCRecord)
    if (again.length === 4) break
  }
  for (const r of again.slice(0, 3)) s2.ack(r)
  await s2.flushCheckpoint()
  s2.destroy()
  // A resume without the filter sees every raw event after the frontier: the dropped ones must not be among them.
  const s3 = createChangeStream({ table, endpoint: ddb.endpoint, recordsPollingPeriod: 50, checkpoint })
  const resumed: string[] = []
  for await (const r of s3) {
    const rec = r as OpenCDCRecord
    resumed.push(`${rec.operation}:${String((rec.payload.after as StructuredData | null)?.tenant ?? '-')}`)
    if (resumed.length === 4) break
  }
  t.strictSame(resumed, ['update:t1', 'delete:-', 'create:t9', 'update:t1'], 'the resume starts at the out→in event, after the two filtered-out ones')
})
