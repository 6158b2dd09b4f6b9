// A fake of the DynamoDB Streams API for the reader's pure logic (lineage, expiry, paging, poisoned
// records): DynamoDB Local cannot be made to produce these situations on demand.
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { ChangeReaderOptions } from '../../src/readable/cdc/change-reader.js'

export interface FakeShard { id: string, parent?: string, seqs: number[], closed: boolean }

/** A scripted DynamoDB Streams endpoint: shards with sequence numbers, iterators as "shard:offset". */
export function fakeStreams (shards: FakeShard[], faults: { expireOnce?: Set<string>, trimmed?: Set<string>, newImage?: (shardId: string, seq: number) => Record<string, unknown>, createdAt?: (shardId: string, seq: number) => Date } = {}): DynamoDBStreamsClient & { calls: string[] } {
  const calls: string[] = []
  const fake = {
    calls,
    async send (cmd: { constructor: { name: string }, input: Record<string, unknown> }, opts?: { abortSignal?: AbortSignal }): Promise<unknown> {
      await new Promise((resolve) => setImmediate(resolve))
      if (opts?.abortSignal?.aborted === true) throw Object.assign(new Error('aborted'), { name: 'AbortError' })
      const input = cmd.input
      calls.push(cmd.constructor.name)
      switch (cmd.constructor.name) {
        case 'DescribeStreamCommand':
          return { StreamDescription: { StreamStatus: 'ENABLED', Shards: shards.map((s) => ({ ShardId: s.id, ParentShardId: s.parent, SequenceNumberRange: { StartingSequenceNumber: '0', ...(s.closed ? { EndingSequenceNumber: '999' } : {}) } })) } }
        case 'GetShardIteratorCommand': {
          const shard = shards.find((s) => s.id === input.ShardId)
          if (shard === undefined) throw Object.assign(new Error('no shard'), { name: 'ResourceNotFoundException' })
          if (faults.trimmed?.has(shard.id)) throw Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' })
          const seq = Number(input.SequenceNumber)
          const at = input.ShardIteratorType === 'TRIM_HORIZON' ? 0
            : input.ShardIteratorType === 'LATEST' ? shard.seqs.length
              : shard.seqs.indexOf(seq) + (input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? 1 : 0)
          return { ShardIterator: `${shard.id}:${at}` }
        }
        case 'GetRecordsCommand': {
          const [id, offset] = String(input.ShardIterator).split(':') as [string, string]
          if (faults.expireOnce?.delete(`${id}:${offset}`) === true) throw Object.assign(new Error('expired'), { name: 'ExpiredIteratorException' })
          const shard = shards.find((s) => s.id === id) as FakeShard
          const from = Number(offset)
          const page = shard.seqs.slice(from, from + Math.min(Number(input.Limit), 3))
          const end = from + page.length
          return {
            Records: page.map((seq) => ({ eventID: `e${seq}`, eventName: 'INSERT', dynamodb: { Keys: { id: { S: `${id}/${seq}` } }, NewImage: faults.newImage?.(id, seq) ?? { id: { S: `${id}/${seq}` } }, SequenceNumber: String(seq), ...(faults.createdAt !== undefined ? { ApproximateCreationDateTime: faults.createdAt(id, seq) } : {}) } })),
            NextShardIterator: shard.closed && end >= shard.seqs.length ? undefined : `${id}:${end}`
          }
        }
      }
      throw new Error(`unexpected ${cmd.constructor.name}`)
    },
    destroy () {}
  }
  return fake as unknown as DynamoDBStreamsClient & { calls: string[] }
}

/** ChangeReader options for a scripted stream: fast polling, small buffers. */
export const readerOptions = (streams: DynamoDBStreamsClient, extra: Partial<ChangeReaderOptions> = {}): ChangeReaderOptions => ({
  table: 'tbl',
  streams,
  streamArn: 'arn:stream',
  startFrom: 'trim_horizon',
  discoveryPollingPeriod: 10,
  polling: { base: 5, max: 20, idlePolls: 2 },
  concurrency: 4,
  maxBufferedRecords: 100,
  spool: { memoryLimit: 1000 },
  ...extra
})
