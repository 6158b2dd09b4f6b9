import t from 'tap'
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { toAttributeMap } from '../../../src/model/codec.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli, waitForOutput } from './cli.spawn.js'
import { seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }

interface Line { operation: string, key: { id: string }, payload: { before: { v?: number } | null, after: { v?: number } | null } }
const parse = (out: string): Line[] => out.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line)

t.test('read prints the snapshot, then changes as they happen, and stops after --idle-exit', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await seed(ddb.client, table, [{ id: 'a', v: 1 }, { id: 'b', v: 1 }])
  const run = cli(['read', '--table', table, '--idle-exit', '3s', '-s', 'recordsPollingPeriod=200ms'], { env })
  await waitForOutput(run.child, /(.*\n){2}/)
  await ddb.client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap({ id: 'c', v: 1 }) }))
  await ddb.client.send(new UpdateItemCommand({ TableName: table, Key: toAttributeMap({ id: 'a' }), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: toAttributeMap({ ':v': 2 }) }))
  await ddb.client.send(new DeleteItemCommand({ TableName: table, Key: toAttributeMap({ id: 'b' }) }))
  const res = await run
  t.equal(res.code, 0, res.stderr)
  const lines = parse(res.stdout)
  t.same(lines.slice(0, 2).map((l) => l.operation), ['snapshot', 'snapshot'])
  t.same(lines.slice(2).map((l) => `${l.operation} ${l.key.id}`), ['create c', 'update a', 'delete b'])
  t.same([lines[3]?.payload.before?.v, lines[3]?.payload.after?.v], [1, 2])
})

t.test('read --skip-snapshot prints only changes, never the items already there', async (t) => {
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  await seed(ddb.client, table, [{ id: 'old', v: 1 }])
  const run = cli(['read', '--table', table, '--skip-snapshot', '--max-records', '1', '-s', 'recordsPollingPeriod=200ms'], { env })
  // It starts at the stream's LATEST point once running; write until a change comes out.
  let n = 0
  let exited = false
  run.child.on('close', () => { exited = true })
  while (!exited && n < 60) {
    await ddb.client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap({ id: `new-${n++}`, v: 2 }) }))
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const res = await run
  t.equal(res.code, 0, res.stderr)
  const lines = parse(res.stdout)
  t.equal(lines.length, 1)
  t.equal(lines[0]?.operation, 'create')
  t.match(lines[0]?.key.id, /^new-\d+$/, 'a change, not the existing item')
})

t.test('read on a table without a stream fails with exit 1 and says so', async (t) => {
  const table = await ddb.createTable()
  const res = await cli(['read', '--table', table, '--idle-exit', '5s'], { env })
  t.equal(res.code, 1)
  t.match(res.stderr, /has no DynamoDB stream enabled/)
  t.match(res.stderr, /hint: add --snapshot-only/)
})
