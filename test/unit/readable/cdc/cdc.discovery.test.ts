import t from 'tap'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { listShards } from '../../../../src/readable/cdc/discovery.js'

t.test('follows LastEvaluatedShardId across DescribeStream pages so no shard past the first 100 is lost', async (t) => {
  const all = Array.from({ length: 250 }, (_, i) => ({
    ShardId: `s${String(i).padStart(3, '0')}`,
    ParentShardId: i > 0 ? `s${String(i - 1).padStart(3, '0')}` : undefined,
    SequenceNumberRange: { StartingSequenceNumber: '1', ...(i < 249 ? { EndingSequenceNumber: '9' } : {}) }
  }))
  const starts: Array<string | undefined> = []
  const streams = {
    async send (cmd: { input: { ExclusiveStartShardId?: string } }) {
      starts.push(cmd.input.ExclusiveStartShardId)
      const from = cmd.input.ExclusiveStartShardId === undefined ? 0 : all.findIndex((s) => s.ShardId === cmd.input.ExclusiveStartShardId) + 1
      const page = all.slice(from, from + 100)
      return { StreamDescription: { Shards: page, LastEvaluatedShardId: from + 100 < all.length ? page.at(-1)?.ShardId : undefined } }
    }
  } as unknown as DynamoDBStreamsClient
  const shards = await listShards(streams, 'arn:s')
  t.equal(shards.length, 250)
  t.same(starts, [undefined, 's099', 's199'])
  t.same(shards[0], { shardId: 's000', parentShardId: undefined, closed: true })
  t.same(shards[249], { shardId: 's249', parentShardId: 's248', closed: false })
})
