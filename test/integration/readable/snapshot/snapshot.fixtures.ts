import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { OpenCDCRecord } from '../../../../src/model/record.js'
import { canonicalDecimal } from '../../../../src/model/codec.js'
import type { Readable } from 'node:stream'

export type Item = Record<string, AttributeValue>

/** Writes items with BatchWriteItem, 4 requests in flight, retrying unprocessed items. */
export async function loadItems (client: DynamoDBClient, table: string, items: Item[]): Promise<void> {
  const batches: Item[][] = []
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25))
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      let requests = (batches[next++] as Item[]).map((Item) => ({ PutRequest: { Item } }))
      while (requests.length > 0) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests
      }
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
}

/** An item holding every DynamoDB type, with numbers a double cannot hold. */
export function richItem (i: number): Item {
  return {
    id: { S: `item-${String(i).padStart(6, '0')}` },
    s: { S: `text ${i} ✓ "quoted"` },
    n: { N: String(i) },
    big: { N: '12345678901234567890123456789012345678' },
    tiny: { N: '1E-130' },
    pi: { N: '3.14159265358979323846264338327950288' },
    neg: { N: `-${i}.5` },
    b: { B: Buffer.from([i & 255, (i >> 8) & 255, 0, 255]) },
    t: { BOOL: i % 2 === 0 },
    nil: { NULL: true },
    ss: { SS: ['a', `b${i}`] },
    ns: { NS: ['1', '99999999999999999999.000001', String(i + 2)] },
    bs: { BS: [Buffer.from('x'), Buffer.from([i & 255, 7])] },
    l: { L: [{ S: 'x' }, { N: '1.50' }, { NULL: true }, { L: [] }, { M: { deep: { BOOL: false } } }] },
    m: { M: { nested: { M: { n: { N: String(i) }, b: { B: Buffer.from('z') } } }, e: { M: {} } } }
  }
}

/** Every item of the table, read with one plain sequential Scan. */
export async function scanAll (client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = []
  let start: Item | undefined
  do {
    const out = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }))
    items.push(...(out.Items ?? []))
    start = out.LastEvaluatedKey
  } while (start !== undefined)
  return items
}

/** Counts Scan requests sent through a client (a real SDK middleware). */
export function countScans (client: DynamoDBClient): { count: number } {
  const counter = { count: 0 }
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'ScanCommand') counter.count++
    return await next(args)
  }, { step: 'initialize', name: `countScans${Math.random()}` })
  return counter
}

export async function collect (source: Readable): Promise<OpenCDCRecord[]> {
  const out: OpenCDCRecord[] = []
  for await (const record of source) out.push(record as OpenCDCRecord)
  return out
}

export function sleepMs (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** An attribute map as plain JSON for deep comparison: binaries as base64, numbers in one canonical decimal form (1.50 = 1.5, 1E-130 = 1e-130). */
export function canonical (value: unknown, key?: string): unknown {
  if (key === 'N' && typeof value === 'string') return canonicalDecimal(value)
  if (key === 'NS' && Array.isArray(value)) return value.map((v) => canonicalDecimal(String(v)))
  if (value instanceof Uint8Array) return `b64:${Buffer.from(value).toString('base64')}`
  if (Array.isArray(value)) return value.map((v) => canonical(v))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = canonical(v, k)
    }
    return out
  }
  return value
}
