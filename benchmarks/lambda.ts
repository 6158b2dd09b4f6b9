// Lambda handler benchmark: records/s through createStreamHandler (batches of 100 and 1,000, as a mapping
// delivers them) against createChangeStream on the same stream records, in the same run.
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type _Record as StreamEvent } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient } from '../src/aws/clients.js'
import { createStreamHandler } from '../src/lambda/handler.js'
import type { LambdaStreamRecord } from '../src/lambda/event.js'
import { createChangeStream } from '../src/readable/cdc/change-stream.js'
import { checkStream } from '../src/readable/cdc/stream-check.js'
import type { BenchGroup } from './harness.js'
import { createStreamTable, fill } from './cdc.js'

// The bench items hold no binaries, so Lambda's JSON differs from the SDK's record only by the time (epoch seconds) and the ARN.
function asLambda (r: StreamEvent, arn: string): LambdaStreamRecord {
  const d = r.dynamodb
  return JSON.parse(JSON.stringify({ ...r, eventSource: 'aws:dynamodb', eventSourceARN: arn, dynamodb: { ...d, ApproximateCreationDateTime: Math.floor((d?.ApproximateCreationDateTime?.getTime() ?? 0) / 1000) } })) as LambdaStreamRecord
}

export async function runLambdaBench ({ endpoint, records }: { endpoint: string, records: number }): Promise<{ batch100: number, batch1000: number, reader: number }> {
  const client = createDynamoDBClient({ endpoint })
  const streams = createStreamsClient({ endpoint })
  try {
    const table = `lambda_bench_${Date.now()}`
    await createStreamTable(client, table)
    await fill(client, table, records)
    const { streamArn } = await checkStream({ client, streams, table, enableStream: false, enableStreamTimeout: 1, requireFullImages: true })
    const raw: StreamEvent[] = []
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? []
    for (const shard of shards) {
      let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator
      while (it !== undefined && raw.length < records) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }))
        raw.push(...(page.Records ?? []))
        it = page.NextShardIterator
      }
    }
    const events = raw.map((r) => asLambda(r, streamArn))
    let sunk = 0
    const handler = createStreamHandler({ destination: async (rs) => { sunk += rs.length } })
    const context = { getRemainingTimeInMillis: () => 900_000 }
    const handle = async (size: number): Promise<number> => {
      const t0 = performance.now()
      for (let i = 0; i < events.length; i += size) await handler({ Records: events.slice(i, i + size) }, context)
      return events.length / ((performance.now() - t0) / 1000)
    }
    const read = async (): Promise<number> => {
      const t0 = performance.now()
      let n = 0
      for await (const r of createChangeStream({ table, client, streamsClient: streams, startFrom: 'trim_horizon' })) { void r; if (++n === records) break }
      return records / ((performance.now() - t0) / 1000)
    }
    await handle(100) // warm-up
    await read()
    const result = { batch100: await handle(100), batch1000: await handle(1000), reader: await read() }
    if (sunk !== events.length * 3) throw new Error(`the sink saw ${sunk} records, expected ${events.length * 3}`)
    return result
  } finally {
    client.destroy()
    streams.destroy()
  }
}

/** The Lambda group for benchmarks/cases.ts. */
export const lambdaBenchGroup: BenchGroup = {
  name: 'lambda',
  endpoint: 'fresh',
  run: async ({ endpoint, quick }) => {
    const r = await runLambdaBench({ endpoint, records: quick ? 3000 : 10_000 })
    const unit = 'records/s (higher is better)'
    const baselineName = 'createChangeStream on the same records (GetRecords + conversion)'
    return [
      { name: 'lambda.batch-100', unit, ours: Math.round(r.batch100), baseline: Math.round(r.reader), baselineName, note: 'handler → no-op async sink; the records are already read (Lambda\'s pollers do that)' },
      { name: 'lambda.batch-1000', unit, ours: Math.round(r.batch1000), baseline: Math.round(r.reader), baselineName }
    ]
  }
}
