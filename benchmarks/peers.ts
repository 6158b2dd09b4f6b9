// peers.*: ours against the npm package a user would pick instead, on one DynamoDB Local, the same
// items (sets, 38-digit numbers), alternating order: @shelf/dynamodb-parallel-scan (snapshot),
// @aws/dynamodb-batch-iterator (bulk load), copy-dynamodb-table (table copy).
import { Agent } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BatchWriteItemCommand, CreateTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { parallelScanAsStream } from '@shelf/dynamodb-parallel-scan'
import { BatchWrite } from '@aws/dynamodb-batch-iterator'
import AWS from 'aws-sdk'
import copyTable from 'copy-dynamodb-table'
import { createDynamoDBClient } from '../src/aws/clients.js'
import { fromAttributeMap } from '../src/model/codec.js'
import { createRecord, type OpenCDCRecord } from '../src/model/record.js'
import { ackOnWrite } from '../src/readable/ack.js'
import { createSource } from '../src/readable/source.js'
import { createDestination } from '../src/writable/destination.js'
import type { BenchGroup } from './harness.js'
import { fill, rawScan } from './snapshot.js'

type Item = Record<string, AttributeValue>

/** About 300 bytes with every type a peer must carry: a string set, a number set, 38-digit numbers, a map, a list. */
export function peerItem (i: number): Item {
  return {
    id: { S: `item-${i}` },
    n: { N: String(i * 1.5) },
    big: { N: `1234567890123456789012345678901234567${i % 10}` },
    s: { S: 'x'.repeat(120) },
    t: { BOOL: i % 2 === 0 },
    ss: { SS: ['a', `b${i}`] },
    ns: { NS: ['1', `99999999999999999999.00000${i % 10}`] },
    m: { M: { k: { S: 'v' }, l: { L: [{ N: String(i) }, { S: 'y' }, { NULL: true }] } } }
  }
}

async function newTable (client: DynamoDBClient, prefix: string): Promise<string> {
  const table = `${prefix}_${Math.random().toString(36).slice(2, 10)}`
  await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
  return table
}

async function countItems (client: DynamoDBClient, table: string): Promise<number> {
  let n = 0
  let start: Item | undefined
  do {
    const out = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }))
    n += out.Count ?? 0
    start = out.LastEvaluatedKey
  } while (start !== undefined)
  return n
}

// The v2 SDK closes each connection by default; a keep-alive agent gives the peers their best case.
function v2Config (endpoint: string): { endpoint: string, region: string, accessKeyId: string, secretAccessKey: string, maxRetries: number, httpOptions: { agent: Agent } } {
  return { endpoint, region: 'us-east-1', accessKeyId: 'local', secretAccessKey: 'local', maxRetries: 10, httpOptions: { agent: new Agent({ keepAlive: true, maxSockets: 50 }) } }
}

async function rate (items: number, fn: () => Promise<number>): Promise<number> {
  const t0 = performance.now()
  const n = await fn()
  if (n !== items) throw new Error(`peer benchmark handled ${n} items, expected ${items}`)
  return items / ((performance.now() - t0) / 1000)
}

/** Runs `pair` in the order of the round (odd rounds reversed), returns [ours, peer]. */
async function alternate (round: number, ours: () => Promise<number>, peer: () => Promise<number>): Promise<[number, number]> {
  if (round % 2 === 0) { const o = await ours(); return [o, await peer()] }
  const p = await peer()
  return [await ours(), p]
}

async function oursSnapshot (endpoint: string, table: string): Promise<number> {
  let n = 0
  for await (const record of createSource({ table, endpoint, snapshotOnly: true, snapshotSegments: 4 })) if (record !== undefined) n++
  return n
}

// As its README shows: chunks of items from 4 segments, numbers kept exact (wrapNumbers) so 38 digits survive.
async function shelfSnapshot (endpoint: string, table: string): Promise<number> {
  const client = DynamoDBDocumentClient.from(createDynamoDBClient({ endpoint }), { unmarshallOptions: { wrapNumbers: true } })
  try {
    let n = 0
    const stream = await parallelScanAsStream({ TableName: table }, { concurrency: 4, chunkSize: 1000, client })
    for await (const chunk of stream) n += (chunk as unknown[]).length
    return n
  } finally {
    client.destroy()
  }
}

// Each side gets its own input ready-made, outside the clock: the peer AttributeMaps, ours OpenCDC records (as load.ts does).
function recordsOf (items: Item[]): OpenCDCRecord[] {
  return items.map((item, i) => createRecord({ position: String(i), operation: 'create', key: { id: `item-${i}` }, after: fromAttributeMap(item) }))
}

async function oursLoad (endpoint: string, table: string, records: OpenCDCRecord[]): Promise<number> {
  const destination = createDestination({ table, endpoint })
  await pipeline(Readable.from(records), destination)
  return destination.stats.written
}

async function batchIteratorLoad (endpoint: string, table: string, items: Item[]): Promise<number> {
  const client = new AWS.DynamoDB(v2Config(endpoint))
  let n = 0
  for await (const written of new BatchWrite(client, items.map((Item) => [table, { PutRequest: { Item } }] as [string, { PutRequest: { Item: Item } }]))) if (written !== undefined) n++
  return n
}

async function oursCopy (endpoint: string, from: string, to: string): Promise<number> {
  const source = createSource({ table: from, endpoint, snapshotOnly: true })
  const destination = createDestination({ table: to, endpoint })
  await pipeline(source, ackOnWrite(source, destination))
  return destination.stats.written
}

async function copyDynamodbTable (endpoint: string, from: string, to: string): Promise<number> {
  const config = v2Config(endpoint)
  const docClient = (): AWS.DynamoDB.DocumentClient => new AWS.DynamoDB.DocumentClient({ ...config, wrapNumbers: true })
  return await new Promise((resolve, reject) => {
    copyTable.copy({ config, source: { tableName: from, dynamoClient: docClient(), active: true }, destination: { tableName: to, dynamoClient: docClient(), active: true }, log: false, create: false }, (err: Error | null, result: { count: number }) => {
      if (err !== null && err !== undefined) reject(err)
      else resolve(result.count)
    })
  })
}

/** One round of the three peer comparisons on one DynamoDB Local (items/s, higher is better). */
export async function runPeersBench ({ endpoint, items, round }: { endpoint: string, items: number, round: number }): Promise<{ snapshot: [number, number], load: [number, number], copy: [number, number], ceiling: { snapshot: number, load: number } }> {
  const client = createDynamoDBClient({ endpoint })
  try {
    const source = await newTable(client, 'peer_src')
    await fill(client, source, items, peerItem)
    // An unmeasured pass of each warms the JVM's Scan path and both readers' code.
    await oursSnapshot(endpoint, source)
    await shelfSnapshot(endpoint, source)
    // What this server allows at all: the raw SDK loops converting nothing, on the same items, measured just before and
    // just after each pair (the JVM still speeds up run after run, so one side of the pair alone would flatter or wrong it).
    const rawSnapshot = async (): Promise<number> => await rate(items, async () => (await Promise.all([0, 1, 2, 3].map(async (s) => await rawScan(client, source, s, 4)))).reduce((a, b) => a + b, 0))
    const rawSnapshotBefore = await rawSnapshot()
    const snapshot = await alternate(round, async () => await rate(items, async () => await oursSnapshot(endpoint, source)), async () => await rate(items, async () => await shelfSnapshot(endpoint, source)))
    const rawSnapshotAfter = await rawSnapshot()
    const rows = Array.from({ length: items }, (_, i) => peerItem(i))
    const records = recordsOf(rows)
    const rawLoadRate = async (): Promise<number> => { const t = await newTable(client, 'peer_raw'); return await rate(items, async () => await rawLoad(client, t, rows, 8)) }
    const rawLoadBefore = await rawLoadRate()
    const load = await alternate(round,
      async () => { const t = await newTable(client, 'peer_load'); return await rate(items, async () => await oursLoad(endpoint, t, records)) },
      async () => { const t = await newTable(client, 'peer_load'); return await rate(items, async () => await batchIteratorLoad(endpoint, t, rows)) })
    const rawLoadAfter = await rawLoadRate()
    const copy = await alternate(round,
      async () => { const t = await newTable(client, 'peer_copy'); const r = await rate(items, async () => await oursCopy(endpoint, source, t)); return await checked(r, client, t, items) },
      async () => { const t = await newTable(client, 'peer_copy'); const r = await rate(items, async () => await copyDynamodbTable(endpoint, source, t)); return await checked(r, client, t, items) })
    const ceiling = { snapshot: (rawSnapshotBefore + rawSnapshotAfter) / 2, load: (rawLoadBefore + rawLoadAfter) / 2 }
    return { snapshot, load, copy, ceiling }
  } finally {
    client.destroy()
  }
}

// BatchWriteItem of ready AttributeMaps, `inFlight` requests at a time, unprocessed items re-sent.
async function rawLoad (client: DynamoDBClient, table: string, rows: Item[], inFlight: number): Promise<number> {
  let next = 0
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < rows.length) {
      const from = next
      next = Math.min(rows.length, next + 25)
      let requests: WriteRequest[] = rows.slice(from, next).map((Item) => ({ PutRequest: { Item } }))
      while (requests.length > 0) requests = (await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))).UnprocessedItems?.[table] ?? []
    }
  }))
  return rows.length
}

// A copy counts only when the destination really holds every item.
async function checked (r: number, client: DynamoDBClient, table: string, items: number): Promise<number> {
  const n = await countItems(client, table)
  if (n !== items) throw new Error(`copy left ${n} of ${items} items in ${table}`)
  return r
}

export const peersBenchGroup = (quick: boolean): BenchGroup => ({
  name: 'peers',
  endpoint: 'fresh',
  run: async ({ endpoint, round }) => {
    const items = quick ? 5_000 : 10_000
    const r = await runPeersBench({ endpoint, items, round })
    const unit = 'items/s (higher is better)'
    return [
      { name: 'peers.snapshot', unit, ours: r.snapshot[0], baseline: r.snapshot[1], baselineName: '@shelf/dynamodb-parallel-scan 4.0.0 (4 segments, chunks of 1000)', target: '≥ 1.5' },
      { name: 'peers.load', unit, ours: r.load[0], baseline: r.load[1], baselineName: '@aws/dynamodb-batch-iterator 0.7.1 BatchWrite (aws-sdk v2, keep-alive)', target: '≥ 1.5' },
      { name: 'peers.copy', unit, ours: r.copy[0], baseline: r.copy[1], baselineName: 'copy-dynamodb-table 2.2.1 (aws-sdk v2, keep-alive)', target: '≥ 1.5' },
      // Not ours: how far above each peer this server lets anything go (the "ours" column is the raw SDK loop).
      { name: 'peers.snapshot.server-ceiling', unit, ours: r.ceiling.snapshot, baseline: r.snapshot[1], baselineName: '@shelf/dynamodb-parallel-scan (as above)', note: 'ours column = raw 4-segment parallel Scan converting nothing (mean of a run just before and just after the pair): about the most any reader gains over the peer here' },
      { name: 'peers.load.server-ceiling', unit, ours: r.ceiling.load, baseline: r.load[1], baselineName: '@aws/dynamodb-batch-iterator (as above)', note: 'ours column = raw BatchWriteItem loop, 8 in flight, of ready AttributeMaps (mean of a run just before and just after the pair): about the most any writer gains over the peer here' }
    ]
  }
})
