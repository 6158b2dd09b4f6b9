// CDC benchmarks: drain throughput of queued stream records vs a raw GetRecords loop, and write→emit latency.
import { BatchWriteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { createDynamoDBClient, createStreamsClient } from '../src/aws/clients.js'
import { createChangeStream } from '../src/readable/cdc/change-stream.js'
import { checkStream } from '../src/readable/cdc/stream-check.js'
import type { OpenCDCRecord } from '../src/model/record.js'
import type { BenchGroup } from './harness.js'

export interface CdcBenchResult {
  records: number
  /** Records/s through createChangeStream (startFrom trim_horizon, for await), best of the rounds after a warm-up. */
  oursPerSecond: number
  /** Records/s of a bare GetShardIterator + GetRecords loop, best of the rounds. */
  rawPerSecond: number
  ratio: number
  /** Time to the first record (DescribeTable, DescribeStream, GetShardIterator, first page). */
  startupMs: number
  /** Write→emit latency at the default recordsPollingPeriod (1 s), ms. */
  latencyP50: number
  latencyP99: number
  latencySamples: number
}

export async function createStreamTable (client: DynamoDBClient, name: string): Promise<void> {
  const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb')
  await client.send(new CreateTableCommand({
    TableName: name,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }
  }))
}

const item = (i: number): Record<string, AttributeValue> => ({ id: { S: `k${i}` }, n: { N: String(i) }, s: { S: 'x'.repeat(200) } })

// One BatchWriteItem at a time: concurrent batches collapse DynamoDB Local on stream-enabled tables.
export async function fill (client: DynamoDBClient, table: string, records: number): Promise<void> {
  for (let i = 0; i < records; i += 25) {
    let reqs = Array.from({ length: Math.min(25, records - i) }, (_, j) => ({ PutRequest: { Item: item(i + j) } }))
    while (reqs.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: reqs } }))
      reqs = (out.UnprocessedItems?.[table] ?? []) as typeof reqs
    }
  }
}

export async function rawDrain (streams: DynamoDBStreamsClient, streamArn: string, records: number): Promise<number> {
  const t0 = performance.now()
  const desc = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
  let n = 0
  for (const shard of desc.StreamDescription?.Shards ?? []) {
    let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator
    while (it !== undefined && n < records) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }))
      n += out.Records?.length ?? 0
      it = out.NextShardIterator
      if ((out.Records?.length ?? 0) === 0) break
    }
  }
  if (n < records) throw new Error(`raw loop read ${n} of ${records} records`)
  return records / ((performance.now() - t0) / 1000)
}

// The same warm SDK clients as the raw loop, so both pay the same connection and SDK start-up costs.
async function oursDrain (client: DynamoDBClient, streams: DynamoDBStreamsClient, table: string, records: number): Promise<{ rate: number, startupMs: number }> {
  const t0 = performance.now()
  const stream = createChangeStream({ table, client, streamsClient: streams, startFrom: 'trim_horizon' })
  let n = 0
  let first = 0
  for await (const r of stream) { void r; if (n === 0) first = performance.now(); if (++n === records) break }
  return { rate: records / ((performance.now() - t0) / 1000), startupMs: first - t0 }
}

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number
}

async function latency (endpoint: string, client: DynamoDBClient, table: string, samples: number): Promise<number[]> {
  const stream = createChangeStream({ table, endpoint })
  await stream.whenStarted()
  const started = new Map<string, number>()
  const lat: number[] = []
  const reading = (async () => {
    for await (const r of stream) {
      const id = ((r as OpenCDCRecord).key as { id: string }).id
      const t = started.get(id)
      if (t !== undefined) lat.push(performance.now() - t)
      if (lat.length === samples) break
    }
  })()
  for (let i = 0; i < samples; i++) {
    const id = `lat${i}`
    started.set(id, performance.now())
    await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }))
    // Spread writes over the polling cycle.
    await new Promise((resolve) => setTimeout(resolve, 37 + Math.random() * 60))
  }
  await reading
  return lat.sort((a, b) => a - b)
}

/** Measures (never asserts) CDC drain throughput against a raw GetRecords loop, and write→emit latency. */
export async function runCdcBench ({ endpoint, records = 20_000, rounds = 3, latencySamples = 100 }: { endpoint: string, records?: number, rounds?: number, latencySamples?: number }): Promise<CdcBenchResult> {
  const client = createDynamoDBClient({ endpoint })
  const streams = createStreamsClient({ endpoint })
  try {
    const table = `cdc_bench_${Date.now()}`
    await createStreamTable(client, table)
    await fill(client, table, records)
    const { streamArn } = await checkStream({ client, streams, table, enableStream: false, enableStreamTimeout: 1, requireFullImages: true })
    const ours: number[] = []
    const raw: number[] = []
    const startup: number[] = []
    // A first, unmeasured pass of each warms the JIT and DynamoDB Local.
    for (let r = -1; r < rounds; r++) {
      const a = await rawDrain(streams, streamArn, records)
      const b = await oursDrain(client, streams, table, records)
      if (r >= 0) { raw.push(a); ours.push(b.rate); startup.push(b.startupMs) }
    }
    const latTable = `cdc_lat_${Date.now()}`
    await createStreamTable(client, latTable)
    const lat = await latency(endpoint, client, latTable, latencySamples)
    const oursBest = Math.max(...ours)
    const rawBest = Math.max(...raw)
    return {
      records,
      oursPerSecond: Math.round(oursBest),
      rawPerSecond: Math.round(rawBest),
      ratio: Math.round((oursBest / rawBest) * 100) / 100,
      startupMs: Math.round(Math.min(...startup)),
      latencyP50: Math.round(percentile(lat, 0.5)),
      latencyP99: Math.round(percentile(lat, 0.99)),
      latencySamples: lat.length
    }
  } finally {
    client.destroy()
    streams.destroy()
  }
}

/** The CDC group for benchmarks/cases.ts. */
export const cdcBenchGroup: BenchGroup = {
  name: 'cdc',
  endpoint: 'fresh',
  run: async ({ endpoint, quick }) => {
    // Quick: 10k records, best of 3 each side a round (3k records drained in ~0.1 s were mostly start-up).
    const r = await runCdcBench({ endpoint, records: quick ? 10_000 : 20_000, rounds: quick ? 3 : 1, latencySamples: quick ? 30 : 100 })
    return [
      { name: 'cdc.drain', unit: 'records/s (higher is better)', ours: r.oursPerSecond, baseline: r.rawPerSecond, baselineName: 'raw GetRecords loop', target: '≥ 0.95' },
      { name: 'cdc.latency', unit: 'ms p99 write→record (lower is better)', ours: r.latencyP99, baseline: 1250, baselineName: 'recordsPollingPeriod + 250 ms', target: '≤ 1250 ms', note: `p50 ${r.latencyP50} ms` }
    ]
  }
}
