import t from 'tap'
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { toAttributeMap } from '../../../src/model/codec.js'
import { useDynamo } from '../../helpers/dynamo.js'
import { cli, waitForOutput } from './cli.spawn.js'
import { dump, seed } from './cli.tables.js'

const ddb = await useDynamo(t)
const env = { DYNAMODB_ENDPOINT: ddb.endpoint }
const dir = mkdtempSync(path.join(tmpdir(), 'cli-copy-live-'))

/** Inserts, updates and deletes, one request at a time (DynamoDB Local slows down under concurrent writes to a stream-enabled table). */
async function change (client: DynamoDBClient, table: string, round: number): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await client.send(new PutItemCommand({ TableName: table, Item: toAttributeMap({ id: `new-${round}-${i}`, n: i, tags: new Set([`r${round}`]) }) }))
  }
  for (let i = 0; i < 20; i++) {
    await client.send(new UpdateItemCommand({ TableName: table, Key: toAttributeMap({ id: `k${i}` }), UpdateExpression: 'SET round = :r', ExpressionAttributeValues: toAttributeMap({ ':r': round }) }))
  }
  for (let i = 20 + round * 10; i < 30 + round * 10; i++) {
    await client.send(new DeleteItemCommand({ TableName: table, Key: toAttributeMap({ id: `k${i}` }) }))
  }
}

t.test('copy replicates the snapshot and live changes, and a rerun resumes from the checkpoint', async (t) => {
  const from = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 300 }, (_, i) => ({ id: `k${i}`, v: `value ${i}` })))
  const ckpt = path.join(dir, 'copy.json')
  const args = ['copy', '--from', from, '--to', to, '--checkpoint', ckpt, '--until-idle', '5s', '-s', 'recordsPollingPeriod=200ms', '-v']
  const first = cli(args, { env })
  // Changes made once the scan is over can only arrive through DynamoDB Streams.
  await waitForOutput(first.child, /snapshot scan complete: 300 items read; changes follow/, 30_000, 'stderr')
  await change(ddb.client, from, 1)
  const r1 = await first
  t.equal(r1.code, 0, r1.stderr)
  t.same(await dump(ddb.client, to), await dump(ddb.client, from), 'after the first run the copy equals the source')

  await change(ddb.client, from, 2)
  const r2 = await cli(args, { env })
  t.equal(r2.code, 0, r2.stderr)
  t.same(await dump(ddb.client, to), await dump(ddb.client, from), 'the rerun applied the changes made while copy was not running')
})

t.test('Ctrl-C stops copy with exit 0 and a checkpoint the next run resumes from', async (t) => {
  const from = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const to = await ddb.createTable()
  await seed(ddb.client, from, Array.from({ length: 300 }, (_, i) => ({ id: `k${i}`, v: `value ${i}` })))
  const ckpt = path.join(dir, 'sigint.json')
  const args = ['copy', '--from', from, '--to', to, '--checkpoint', ckpt, '-s', 'recordsPollingPeriod=200ms', '-v']
  const run = cli(args, { env })
  await waitForOutput(run.child, /snapshot scan complete/, 30_000, 'stderr')
  await change(ddb.client, from, 1)
  run.child.kill('SIGINT')
  const stopped = await run
  t.equal(stopped.code, 0, stopped.stderr)
  await change(ddb.client, from, 2)
  const resumed = await cli([...args, '--until-idle', '3s'], { env })
  t.equal(resumed.code, 0, resumed.stderr)
  t.same(await dump(ddb.client, to), await dump(ddb.client, from))
  t.notMatch(resumed.stderr, /snapshot scan complete/, 'the resumed run did not scan the table again')
})
