import t from 'tap'
import { CreateTableCommand, DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../helpers/dynamo.js'
import { useFaultProxy } from '../../helpers/fault-proxy.js'
import { createUniverseTable, diffItems, putItems, scanAll, universe, PK, SK } from '../../helpers/universe.js'
import { cli } from './cli.spawn.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }

// What a table's schema is, independent of list order and of status fields.
function schemaOf (d: TableDescription | undefined): unknown {
  const byName = <T extends { IndexName?: string }>(xs: T[] | undefined): T[] => [...xs ?? []].sort((a, b) => String(a.IndexName).localeCompare(String(b.IndexName)))
  return {
    keys: d?.KeySchema,
    defs: [...d?.AttributeDefinitions ?? []].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName))),
    billing: d?.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    gsi: byName(d?.GlobalSecondaryIndexes).map((g) => ({ name: g.IndexName, keys: g.KeySchema, projection: g.Projection })),
    lsi: byName(d?.LocalSecondaryIndexes).map((l) => ({ name: l.IndexName, keys: l.KeySchema, projection: l.Projection }))
  }
}

async function describe (table: string): Promise<TableDescription | undefined> {
  return (await ddb.client.send(new DescribeTableCommand({ TableName: table }))).Table
}

t.test('copy --create-table creates the destination with the source\'s keys, GSI and LSI, then copies the universe identically', async (t) => {
  const source = `src_${Date.now().toString(36)}`
  await ddb.client.send(new CreateTableCommand({
    TableName: source,
    KeySchema: [{ AttributeName: PK, KeyType: 'HASH' }, { AttributeName: SK, KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: PK, AttributeType: 'B' }, { AttributeName: SK, AttributeType: 'S' }, { AttributeName: 'case', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [{ IndexName: 'byCase', KeySchema: [{ AttributeName: 'case', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['s'] } }],
    LocalSecondaryIndexes: [{ IndexName: 'pkCase', KeySchema: [{ AttributeName: PK, KeyType: 'HASH' }, { AttributeName: 'case', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }]
  }))
  const items = universe({ key: 'B', range: 'S', count: 40 })
  await putItems(ddb.client, source, items)
  const res = await cli(['copy', '--from', source, '--to-template', '{{collection}}_copy', '--create-table', '--snapshot-only', '--verbose'], { env })
  t.equal(res.code, 0, res.stderr)
  t.match(res.stderr, new RegExp(`created table ${source}_copy like ${source}`))
  const created = await describe(`${source}_copy`)
  t.equal(created?.TableStatus, 'ACTIVE')
  t.same(schemaOf(created), schemaOf(await describe(source)), 'keys, attribute definitions, billing mode, GSI and LSI equal')
  t.same(created?.StreamSpecification?.StreamEnabled ?? false, false, 'no stream unless asked')
  const back = await scanAll(ddb.client, `${source}_copy`)
  t.equal(back.length, items.length)
  t.same(diffItems(items, back, [PK, SK]), [], 'every item equal, types included')
  // Run again: the table now exists with the right schema, so it is checked, not created.
  const again = await cli(['copy', '--from', source, '--to', `${source}_copy`, '--snapshot-only', '--verbose'], { env })
  t.equal(again.code, 0, again.stderr)
  t.notMatch(again.stderr, /created table/)
})

t.test('--create-table-stream gives the created table a stream', async (t) => {
  const source = await createUniverseTable(ddb, 'N')
  const res = await cli(['copy', '--from', source, '--to', `${source}_s`, '--create-table', '--create-table-stream', 'NEW_IMAGE', '--snapshot-only'], { env })
  t.equal(res.code, 0, res.stderr)
  t.same((await describe(`${source}_s`))?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' })
})

t.test('a destination with another key schema fails before the first Scan, naming both schemas', async (t) => {
  const source = await createUniverseTable(ddb, 'S', { range: 'N' })
  await putItems(ddb.client, source, universe({ key: 'S', range: 'N', count: 5 }))
  const dest = await createUniverseTable(ddb, 'S', { range: 'S' })
  const proxy = await useFaultProxy(t, ddb.endpoint, [])
  const res = await cli(['copy', '--from', source, '--to', dest, '--from-endpoint', proxy.endpoint, '--to-endpoint', ddb.endpoint, '--snapshot-only'], { env: {} })
  t.equal(res.code, 1)
  t.match(res.stderr, new RegExp(`destination table "${dest}" cannot take the items of "${source}": the destination's primary key is pk \\(S, HASH\\), sk \\(S, RANGE\\); the source's is pk \\(S, HASH\\), sk \\(N, RANGE\\)`))
  t.equal(proxy.requests.Scan, undefined, 'the source was never scanned')
  t.equal(proxy.requests.DescribeTable, 1, 'only described')
  t.same(await scanAll(ddb.client, dest), [], 'nothing was written')
})

t.test('a missing destination without --create-table fails before the Scan, saying how to create it', async (t) => {
  const source = await createUniverseTable(ddb, 'B')
  const proxy = await useFaultProxy(t, ddb.endpoint, [])
  const res = await cli(['copy', '--from', source, '--to', `${source}_none`, '--from-endpoint', proxy.endpoint, '--to-endpoint', ddb.endpoint, '--snapshot-only'], { env: {} })
  t.equal(res.code, 1)
  t.match(res.stderr, /destination table ".*_none" does not exist: create it with the source's key schema \(pk \(B, HASH\)\), or let the copy create it \(--create-table/)
  t.equal(proxy.requests.Scan, undefined)
})

t.test('copy --from a --from b, and --from a,b, are usage errors pointing at --tables', async (t) => {
  for (const args of [['--from', 'aaa', '--from', 'bbb'], ['--from', 'aaa,bbb']]) {
    const res = await cli(['copy', ...args, '--to', 'ccc'], { env })
    t.equal(res.code, 2)
    t.match(res.stderr, /--from names several tables \(aaa, ?bbb\): --from takes one table; to read many in one run give --tables aaa,?bbb/)
  }
})
