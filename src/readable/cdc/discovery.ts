import { DescribeStreamCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { ShardInfo } from './shard-tree.js'

/** Every shard of a stream: DescribeStream returns at most 100 per page, so follow LastEvaluatedShardId. */
export async function listShards (streams: DynamoDBStreamsClient, streamArn: string, signal?: AbortSignal): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = []
  let start: string | undefined
  do {
    const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start !== undefined ? { ExclusiveStartShardId: start } : {}) }), { abortSignal: signal })
    for (const s of out.StreamDescription?.Shards ?? []) {
      if (s.ShardId === undefined) continue
      shards.push({ shardId: s.ShardId, parentShardId: s.ParentShardId, closed: s.SequenceNumberRange?.EndingSequenceNumber !== undefined })
    }
    start = out.StreamDescription?.LastEvaluatedShardId
  } while (start !== undefined)
  return shards
}
