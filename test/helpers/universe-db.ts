import { BatchWriteItemCommand, ScanCommand, type DynamoDBClient, type ScanCommandInput, type StreamViewType, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TestDynamo } from './dynamo.js'
import type { Item } from './attribute-diff.js'

/** The universe's key attribute names. */
export const PK = 'pk'
export const SK = 'sk'

export type KeyType = 'S' | 'N' | 'B'

/** A table keyed like the universe: `pk` of the given type, plus `sk` when `range` is set. */
export async function createUniverseTable (ddb: TestDynamo, key: KeyType, opts: { stream?: StreamViewType, range?: KeyType, name?: string } = {}): Promise<string> {
  return await ddb.createTable({
    hash: [PK, key],
    ...(opts.range !== undefined ? { range: [SK, opts.range] } : {}),
    ...(opts.stream !== undefined ? { stream: opts.stream } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {})
  })
}

/** Writes raw items with low-level BatchWriteItem (25 per call, ≤ 16 MB), retrying UnprocessedItems until none are left. */
export async function putItems (client: DynamoDBClient, table: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }))
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt))
      if (attempt > 30) throw new Error(`putItems: ${pending.length} item(s) still unprocessed after ${attempt} attempts`)
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }))
      pending = out.UnprocessedItems?.[table] ?? []
    }
  }
}

/** Every item of a table (or of what `input` filters, projects, segments) by raw low-level Scan, every page, consistent read, as DynamoDB returns it. */
export async function scanAll (client: DynamoDBClient, table: string, input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'> = {}): Promise<Item[]> {
  const items: Item[] = []
  let start: Item | undefined
  do {
    const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...input, ...(start !== undefined ? { ExclusiveStartKey: start } : {}) }))
    items.push(...(out.Items ?? []))
    start = out.LastEvaluatedKey
  } while (start !== undefined)
  return items
}
