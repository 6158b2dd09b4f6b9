import t from 'tap'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { checkStream } from '../../../../src/readable/cdc/stream-check.js'

const streams = { async send () { return { StreamDescription: { StreamStatus: 'ENABLING' } } } } as unknown as DynamoDBStreamsClient

t.test('enableStream gives up after enableStreamTimeout with an error naming the table and the option', async (t) => {
  const calls: string[] = []
  const client = {
    async send (cmd: { constructor: { name: string } }) {
      calls.push(cmd.constructor.name)
      return { Table: { StreamSpecification: { StreamEnabled: false } } }
    }
  } as unknown as DynamoDBClient
  await t.rejects(checkStream({ client, streams, table: 'orders', enableStream: true, enableStreamTimeout: 50, requireFullImages: true, pollInterval: 10 }),
    { code: 'ERR_DDB_STREAM_TIMEOUT', message: /table orders: the stream was not ENABLED within 50 ms \(enableStreamTimeout\)/ })
  t.equal(calls.filter((c) => c === 'UpdateTableCommand').length, 1, 'the stream is enabled once')
})

t.test('a stream that is ENABLING is waited for until DescribeStream says ENABLED', async (t) => {
  let polls = 0
  let described = 0
  const client = {
    async send (cmd: { constructor: { name: string } }) {
      if (cmd.constructor.name === 'UpdateTableCommand') return {}
      if (described++ === 0) return { Table: { StreamSpecification: { StreamEnabled: false } } }
      return { Table: { LatestStreamArn: 'arn:s', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } }
    }
  } as unknown as DynamoDBClient
  const slow = { async send () { return { StreamDescription: { StreamStatus: ++polls < 3 ? 'ENABLING' : 'ENABLED' } } } } as unknown as DynamoDBStreamsClient
  const info = await checkStream({ client, streams: slow, table: 'orders', enableStream: true, enableStreamTimeout: 5000, requireFullImages: true, pollInterval: 5 })
  t.same(info, { streamArn: 'arn:s', viewType: 'NEW_AND_OLD_IMAGES', loss: undefined })
  t.equal(polls, 3)
})
