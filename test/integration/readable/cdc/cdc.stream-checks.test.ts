import t from 'tap'
import { once } from 'node:events'
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { useDynamo } from '../../../helpers/dynamo.js'
import { createChangeStream, type ChangeStream } from '../../../../src/readable/cdc/change-stream.js'
import { MemoryCheckpointStore } from '../../../../src/checkpoint/stores.js'
import type { OpenCDCRecord } from '../../../../src/model/record.js'

async function failure (stream: ChangeStream): Promise<Error & { code?: string, details?: Record<string, unknown> }> {
  const [err] = await once(stream, 'error') as [Error & { code?: string }]
  return err
}

async function first (stream: ChangeStream, n: number): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  for await (const r of stream) { out.push(r as OpenCDCRecord); if (out.length === n) break }
  return out
}

t.test('stream checks', async (t) => {
  const ddb = await useDynamo(t)

  t.test('a table without a stream is refused with the command that enables one', async (t) => {
    const table = await ddb.createTable()
    const err = await failure(createChangeStream({ table, endpoint: ddb.endpoint }))
    t.equal(err.code, 'ERR_DDB_STREAM_DISABLED')
    t.match(err.message, new RegExp(`table ${table} has no DynamoDB stream enabled.*StreamViewType=NEW_AND_OLD_IMAGES.*enableStream: true`))
  })

  t.test('enableStream turns a NEW_AND_OLD_IMAGES stream on, waits for it and reads from it', async (t) => {
    const table = await ddb.createTable()
    const stream = createChangeStream({ table, endpoint: ddb.endpoint, enableStream: true, recordsPollingPeriod: 100 })
    await stream.whenStarted()
    t.equal(stream.stream?.viewType, 'NEW_AND_OLD_IMAGES')
    await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'x' } } }))
    const [r] = await first(stream, 1)
    t.equal(r?.operation, 'create')
  })

  t.test('a NEW_IMAGE stream is refused by default, saying what would be lost', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_IMAGE' })
    const err = await failure(createChangeStream({ table, endpoint: ddb.endpoint }))
    t.equal(err.code, 'ERR_DDB_STREAM_VIEW_TYPE')
    t.match(err.message, /view type is NEW_IMAGE: updates and deletes carry no before image.*requireFullImages: false/)
  })

  t.test('a KEYS_ONLY stream is refused, saying records carry only the key', async (t) => {
    const table = await ddb.createTable({ stream: 'KEYS_ONLY' })
    const err = await failure(createChangeStream({ table, endpoint: ddb.endpoint }))
    t.match(err.message, /KEYS_ONLY: records carry only the key/)
  })

  t.test('with requireFullImages: false a NEW_IMAGE stream is read and the loss is reported', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_IMAGE' })
    const stream = createChangeStream({ table, endpoint: ddb.endpoint, requireFullImages: false, recordsPollingPeriod: 100 })
    await stream.whenStarted()
    t.match(stream.stream?.loss, /no before image/)
    await ddb.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'x' }, n: { N: '1' } } }))
    await ddb.client.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: 'x' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } }))
    const [, updated] = await first(stream, 2)
    t.equal(updated?.payload.before, null)
    t.same(updated?.payload.after, { id: 'x', n: 2 })
  })

  t.test('a checkpoint from another stream ARN is refused, naming both', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
    const checkpoint = new MemoryCheckpointStore()
    await checkpoint.save({ streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/old', shards: {} })
    const err = await failure(createChangeStream({ table, endpoint: ddb.endpoint, checkpointStore: checkpoint }))
    t.equal(err.code, 'ERR_DDB_STREAM_CHANGED')
    t.match(err.message, /stream\/old but the table's stream is now arn:/)
  })

  t.test('a checkpointed shard that no longer exists is a data-loss error naming shard and sequence number', async (t) => {
    const table = await ddb.createTable({ stream: 'NEW_AND_OLD_IMAGES' })
    const probe = createChangeStream({ table, endpoint: ddb.endpoint })
    await probe.whenStarted()
    const streamArn = probe.stream?.streamArn as string
    probe.destroy()
    const checkpoint = new MemoryCheckpointStore()
    await checkpoint.save({ streamArn, shards: { 'shardId-00000000000000000000-deadbeef': { after: '4200' } } })
    const err = await failure(createChangeStream({ table, endpoint: ddb.endpoint, checkpointStore: checkpoint }))
    t.equal(err.code, 'ERR_DDB_STREAM_DATA_LOSS')
    t.match(err.message, /shard shardId-00000000000000000000-deadbeef after sequence number 4200 can no longer be read/)
  })
})
