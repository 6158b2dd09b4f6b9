import t from 'tap'
import { DynamoDBCheckpointStore } from '../../../../src/checkpoint/dynamodb.js'
import { isOpenCDCError } from '../../../../src/errors/index.js'
import { useDynamo } from '../../../helpers/dynamo.js'

t.test('the DynamoDB checkpoint store', async (t) => {
  const ddb = await useDynamo(t)

  t.test('creates its table on request and round-trips a document', async (t) => {
    const store = new DynamoDBCheckpointStore<{ streamArn: string, shards: Record<string, { after: string }> }>({ client: ddb.client, table: 'checkpoints', id: 'p1', createTable: true })
    t.equal(await store.load(), undefined)
    await store.save({ streamArn: 'arn:a', shards: { s1: { after: '42' } } })
    await store.save({ streamArn: 'arn:a', shards: { s1: { after: '43' } } })
    const again = new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'p1' })
    t.same(await again.load(), { streamArn: 'arn:a', shards: { s1: { after: '43' } } })
  })

  t.test('a second process writing the same checkpoint id makes the first one fail with a conflict', async (t) => {
    const a = new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'shared', createTable: true })
    const b = new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'shared' })
    await a.load()
    await b.load()
    await a.save({ n: 1 })
    await t.rejects(b.save({ n: 2 }), { code: 'ERR_DDB_CHECKPOINT_CONFLICT', message: /checkpoint shared in table checkpoints was changed by another process \(expected no item\)/ })
    await a.save({ n: 3 })
    t.same(await new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'shared' }).load(), { n: 3 }, 'the loser wrote nothing')
  })

  t.test('saving without loading first never overwrites an existing checkpoint silently', async (t) => {
    const a = new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'blind', createTable: true })
    await a.save({ n: 1 })
    const b = new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'blind' })
    await b.save({ n: 2 })
    const err = await a.save({ n: 3 }).then(() => undefined, (e: unknown) => e)
    t.ok(isOpenCDCError(err, 'ERR_DDB_CHECKPOINT_CONFLICT'), 'the stale writer gets a conflict')
  })

  t.test('clear removes the checkpoint', async (t) => {
    const a = new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'gone', createTable: true })
    await a.save({ n: 1 })
    await a.clear()
    t.equal(await new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'gone' }).load(), undefined)
    await a.save({ n: 2 })
    t.same(await a.load(), { n: 2 })
  })

  t.test('a corrupt item is reported, naming the id and table', async (t) => {
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb')
    await ddb.client.send(new PutItemCommand({ TableName: 'checkpoints', Item: { id: { S: 'bad' }, doc: { S: '{nope' }, rev: { N: '1' } } }))
    await t.rejects(new DynamoDBCheckpointStore({ client: ddb.client, table: 'checkpoints', id: 'bad' }).load(), { code: 'ERR_DDB_CHECKPOINT_CORRUPT', message: /checkpoint bad in table checkpoints/ })
  })
})

t.test('a change stream resumes from a DynamoDB-table checkpoint after its last acknowledged record', async (t) => {
  const ddb = await useDynamo(t)
  const { createChangeStream } = await import('../../../../src/readable/cdc/change-stream.js')
  const { PutItemCommand } = await import('@aws-sdk/client-dynamodb')
  const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
  const put = async (id: string): Promise<void> => { await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } })) }
  const store = (): DynamoDBCheckpointStore => new DynamoDBCheckpointStore({ client: ddb.client, table: 'cdc_checkpoints', id: `pipeline-${table}`, createTable: true })
  for (const id of ['a', 'b', 'c']) await put(id)
  const first = createChangeStream({ table, endpoint: ddb.endpoint, startFrom: 'trim_horizon', checkpointStore: store(), recordsPollingPeriod: 100 })
  const seen: string[] = []
  for await (const r of first.iterator({ destroyOnReturn: false })) {
    const record = r as { key: { id: string }, position: Buffer }
    seen.push(record.key.id)
    if (seen.length <= 2) first.ack(record)
    if (seen.length === 3) break
  }
  first.destroy()
  await new Promise((resolve) => first.once('close', resolve))
  await put('d')
  const second = createChangeStream({ table, endpoint: ddb.endpoint, checkpointStore: store(), recordsPollingPeriod: 100 })
  const resumed: string[] = []
  for await (const r of second) {
    resumed.push((r.key as { id: string }).id)
    if (resumed.length === 2) break
  }
  t.same(seen, ['a', 'b', 'c'])
  t.same(resumed, ['c', 'd'], 'c was not acknowledged, so it comes again; a and b do not')
})
