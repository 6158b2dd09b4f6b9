import { BatchWriteItemCommand, CreateTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { pathToFileURL } from 'node:url'
import { createDynamoDBClient } from '../src/aws/clients.js'
import { startLocalDynamoDB } from '../src/local/dynamodb-local.js'
import { createSource } from '../src/readable/source.js'

export interface SnapshotBenchOptions {
  /** A DynamoDB endpoint; without it a fresh DynamoDB Local is started and stopped. */
  endpoint?: string
  items: number
  /** Segments for ours and the parallel baseline (default 4: where Scan peaks on 2 cores). */
  segments?: number
  /** Measurement rounds, interleaved; each result is the median (default 3). */
  rounds?: number
  /** Number of the first round (odd rounds run the measurements in reverse order); for a runner calling one round at a time. */
  firstRound?: number
}

/** Items per second, each the median of the rounds. */
export interface SnapshotBenchResult {
  /** createSource(...) with `segments` segments, records consumed with for await. */
  ours: number
  /** createSource(...) with the default segment count chosen from the table size. */
  oursDefault: number
  /** Raw ScanCommand loops, one per segment, in parallel; items counted, not converted. */
  parallelBaseline: number
  /** One raw sequential ScanCommand loop. */
  sequentialBaseline: number
}

function benchItem (i: number): Record<string, AttributeValue> {
  return { id: { S: `item-${i}` }, n: { N: String(i * 1.5) }, s: { S: 'x'.repeat(200) }, t: { BOOL: i % 2 === 0 }, l: { L: [{ N: String(i) }, { S: 'y' }] } }
}

/** Fills the table with `items` items (of about 300 bytes by default): 25 per BatchWriteItem, `inFlight` (4) at once. */
export async function fill (client: DynamoDBClient, table: string, items: number, item: (i: number) => Record<string, AttributeValue> = benchItem, inFlight = 4): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < items) {
      const from = next
      next = Math.min(items, next + 25)
      let requests = Array.from({ length: next - from }, (_, k) => ({ PutRequest: { Item: item(from + k) } }))
      while (requests.length > 0) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests
      }
    }
  }))
}

export async function rawScan (client: DynamoDBClient, table: string, segment?: number, total?: number): Promise<number> {
  let n = 0
  let start: Record<string, never> | undefined
  do {
    const out = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ...(total !== undefined ? { Segment: segment, TotalSegments: total } : {}) }))
    n += out.Items?.length ?? 0
    start = out.LastEvaluatedKey as typeof start
  } while (start !== undefined)
  return n
}

async function ours (endpoint: string, table: string, segments?: number): Promise<number> {
  let n = 0
  for await (const record of createSource({ table, endpoint, snapshotOnly: true, ...(segments !== undefined ? { snapshotSegments: segments } : {}) })) {
    if (record !== undefined) n++
  }
  return n
}

async function rate (items: number, fn: () => Promise<number>): Promise<number> {
  const t0 = process.hrtime.bigint()
  const n = await fn()
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  if (n !== items) throw new Error(`benchmark read ${n} items, expected ${items}`)
  return items / seconds
}

function median (values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

export async function runSnapshotBench (opts: SnapshotBenchOptions): Promise<SnapshotBenchResult> {
  const local = opts.endpoint === undefined ? await startLocalDynamoDB() : undefined
  const endpoint = opts.endpoint ?? (local?.endpoint as string)
  const client = createDynamoDBClient({ endpoint })
  const segments = opts.segments ?? 4
  try {
    const table = `bench_snap_${Math.random().toString(36).slice(2, 10)}`
    await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
    await fill(client, table, opts.items)
    await rawScan(client, table)
    const samples: Record<keyof SnapshotBenchResult, number[]> = { ours: [], oursDefault: [], parallelBaseline: [], sequentialBaseline: [] }
    const runs: Array<[keyof SnapshotBenchResult, () => Promise<number>]> = [
      ['sequentialBaseline', async () => await rawScan(client, table)],
      ['parallelBaseline', async () => (await Promise.all(Array.from({ length: segments }, async (_, s) => await rawScan(client, table, s, segments)))).reduce((a, b) => a + b, 0)],
      ['ours', async () => await ours(endpoint, table, segments)],
      ['oursDefault', async () => await ours(endpoint, table)]
    ]
    for (let round = 0; round < (opts.rounds ?? 3); round++) {
      // A B C D, then D C B A: no side always runs first on a JVM that warms (or collects) as it goes.
      for (const [name, fn] of (round + (opts.firstRound ?? 0)) % 2 === 0 ? runs : [...runs].reverse()) samples[name].push(await rate(opts.items, fn))
    }
    return { ours: median(samples.ours), oursDefault: median(samples.oursDefault), parallelBaseline: median(samples.parallelBaseline), sequentialBaseline: median(samples.sequentialBaseline) }
  } finally {
    client.destroy()
    await local?.stop()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const items = Number(process.argv[2] ?? 50_000)
  const r = await runSnapshotBench({ items })
  const fmt = (n: number): string => `${Math.round(n).toLocaleString('en-US')} items/s`
  console.log(`snapshot of ${items} items (${process.version}):`)
  console.log(`  ours (4 segments)      ${fmt(r.ours)}  = ${(r.ours / r.parallelBaseline).toFixed(2)}× raw parallel, ${(r.ours / r.sequentialBaseline).toFixed(2)}× sequential`)
  console.log(`  ours (default segments) ${fmt(r.oursDefault)}`)
  console.log(`  raw parallel Scan (4)  ${fmt(r.parallelBaseline)}`)
  console.log(`  raw sequential Scan    ${fmt(r.sequentialBaseline)}`)
}
