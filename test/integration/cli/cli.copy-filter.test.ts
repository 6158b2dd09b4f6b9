import t from 'tap'
import { DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { toAttributeMap } from '../../../src/model/codec.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli, waitForOutput } from './cli.spawn.js'
import { dump, seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const S = (s: string): AttributeValue => ({ S: s })

t.test('copy --filter --projection while writers move items in and out of the filter: the destination equals the filtered, projected source', async (t) => {
  const from = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 90 }, (_, i) => ({ id: `k${i}`, tenant: `t${i % 3}`, n: i, secret: 'pii' })))
  const run = cli(['copy', '--from', from, '--to', to, '--filter', 'tenant = :t', '--projection', 'tenant, n', '--values', ':t=S:t1', '--until-idle', '5s', '-s', 'recordsPollingPeriod=200ms', '-v'], { env })
  await waitForOutput(run.child, /snapshot scan complete/, 30_000, 'stderr')
  // Changes after the scan arrive only through the stream: out→in, in→out, in→in, out→out, deletes, inserts.
  for (let i = 0; i < 30; i++) {
    await ddb.client.send(new UpdateItemCommand({ TableName: from, Key: { id: S(`k${i}`) }, UpdateExpression: 'SET tenant = :t, n = :n', ExpressionAttributeValues: { ':t': S(`t${(i + 1) % 3}`), ':n': { N: String(1000 + i) } } }))
  }
  for (let i = 30; i < 40; i++) await ddb.client.send(new DeleteItemCommand({ TableName: from, Key: { id: S(`k${i}`) } }))
  for (let i = 0; i < 10; i++) await ddb.client.send(new PutItemCommand({ TableName: from, Item: toAttributeMap({ id: `new${i}`, tenant: `t${i % 2}`, n: i, secret: 'pii' }) }))
  for (let i = 40; i < 50; i++) await ddb.client.send(new UpdateItemCommand({ TableName: from, Key: { id: S(`k${i}`) }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '-1' } } }))
  const r = await run
  t.equal(r.code, 0, r.stderr)
  // The oracle: DynamoDB's own Scan with the same expressions (the key added to the projection by hand).
  const out = await ddb.client.send(new ScanCommand({ TableName: from, FilterExpression: 'tenant = :t', ProjectionExpression: 'id, tenant, n', ExpressionAttributeValues: { ':t': S('t1') } }))
  const want = await dumpItems(out.Items ?? [])
  t.ok(want.length > 20, `${want.length} items match`)
  t.same(await dump(ddb.client, to), want, 'the destination holds exactly the matching items, projected (no stale ones, no secret)')
})

async function dumpItems (items: Array<Record<string, AttributeValue>>): Promise<string[]> {
  const tmp = await ddb.createTable()
  for (const item of items) await ddb.client.send(new PutItemCommand({ TableName: tmp, Item: item }))
  return await dump(ddb.client, tmp)
}

t.test('bad filter flags are usage errors (exit 2)', async (t) => {
  const r = await cli(['copy', '--from', 'a', '--to', 'b', '--filter', 'x = :v', '--values', ':v=X:1'], { env })
  t.equal(r.code, 2, r.stderr)
  t.match(r.stderr, /--values/)
  const r2 = await cli(['read', '--table', 'a', '--filter', 'status = :v', '--values', ':v=S:1'], { env })
  t.not(r2.code, 0)
  t.match(r2.stderr, /reserved|status/)
})
