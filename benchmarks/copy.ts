// pipeline.copy: table → table through createSource | createDestination, against a raw
// parallel-Scan → BatchWriteItem loop with the same parallelism.
import { BatchWriteItemCommand, CreateTableCommand, ScanCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { pipeline } from 'node:stream/promises'
import { createDynamoDBClient } from '../src/aws/clients.js'
import { ackOnWrite } from '../src/readable/ack.js'
import { createSource } from '../src/readable/source.js'
import { createDestination } from '../src/writable/destination.js'
import { fill } from './snapshot.js'

async function createTable (client: DynamoDBClient, prefix: string): Promise<string> {
  const table = `${prefix}_${Math.random().toString(36).slice(2, 10)}`
  await client.send(new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
  return table
}

async function rawCopy (client: DynamoDBClient, from: string, to: string, segments: number): Promise<number> {
  let copied = 0
  await Promise.all(Array.from({ length: segments }, async (_, segment) => {
    let start: Record<string, never> | undefined
    do {
      const out = await client.send(new ScanCommand({ TableName: from, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start }))
      const items = out.Items ?? []
      for (let i = 0; i < items.length; i += 25) {
        let requests: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }))
        while (requests.length > 0) {
          const res = await client.send(new BatchWriteItemCommand({ RequestItems: { [to]: requests } }))
          requests = res.UnprocessedItems?.[to] ?? []
        }
      }
      copied += items.length
      start = out.LastEvaluatedKey as typeof start
    } while (start !== undefined)
  }))
  return copied
}

/** Items/s copied table → table: ours (source | destination, acks on write) vs the raw loop. */
export async function runCopyBench ({ endpoint, items }: { endpoint: string, items: number }): Promise<{ ours: number, baseline: number }> {
  const client = createDynamoDBClient({ endpoint })
  try {
    const from = await createTable(client, 'bench_copy_src')
    await fill(client, from, items)
    const timed = async (fn: () => Promise<void>): Promise<number> => {
      const t0 = performance.now()
      await fn()
      return items / ((performance.now() - t0) / 1000)
    }
    const baselineTo = await createTable(client, 'bench_copy_raw')
    const baseline = await timed(async () => {
      const n = await rawCopy(client, from, baselineTo, 4)
      if (n !== items) throw new Error(`raw copy moved ${n} of ${items}`)
    })
    const oursTo = await createTable(client, 'bench_copy_ours')
    const ours = await timed(async () => {
      const source = createSource({ table: from, endpoint, snapshotOnly: true })
      const destination = createDestination({ table: oursTo, endpoint })
      await pipeline(source, ackOnWrite(source, destination))
      if (destination.stats.written !== items) throw new Error(`copy wrote ${destination.stats.written} of ${items}`)
    })
    return { ours, baseline }
  } finally {
    client.destroy()
  }
}

/** Items/s of `tables` tables (items in all) copied by one many-table source vs one single-table copy after another. */
export async function runManyTablesCopyBench ({ endpoint, items, tables }: { endpoint: string, items: number, tables: number }): Promise<{ ours: number, baseline: number }> {
  const client = createDynamoDBClient({ endpoint })
  const per = Math.ceil(items / tables)
  try {
    const sources = await Promise.all(Array.from({ length: tables }, async () => await createTable(client, 'bench_many_src')))
    for (const from of sources) await fill(client, from, per)
    const copyTo = async (suffix: string): Promise<void> => { await Promise.all(sources.map(async (from) => { await client.send(new CreateTableCommand({ TableName: `${from}${suffix}`, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })) })) }
    const timed = async (fn: () => Promise<number>): Promise<number> => {
      const t0 = performance.now()
      const n = await fn()
      if (n !== per * tables) throw new Error(`copied ${n} of ${per * tables}`)
      return n / ((performance.now() - t0) / 1000)
    }
    await copyTo('_seq')
    const baseline = await timed(async () => {
      let written = 0
      for (const from of sources) {
        const source = createSource({ table: from, endpoint, snapshotOnly: true })
        const destination = createDestination({ table: `${from}_seq`, endpoint })
        await pipeline(source, ackOnWrite(source, destination))
        written += destination.stats.written
      }
      return written
    })
    await copyTo('_one')
    const ours = await timed(async () => {
      const source = createSource({ tables: sources, endpoint, snapshotOnly: true, tableDiscoveryInterval: 0 })
      const destination = createDestination({ table: '{{collection}}_one', endpoint })
      await pipeline(source, ackOnWrite(source, destination))
      return destination.stats.written
    })
    return { ours, baseline }
  } finally {
    client.destroy()
  }
}
