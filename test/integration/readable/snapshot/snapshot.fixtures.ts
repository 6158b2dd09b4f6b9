import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { OpenCDCRecord } from '../../../../src/model/record.js'
import type { Readable } from 'node:stream'
import type { Item } from '../../../helpers/attribute-diff.js'
import { collect as collectAll } from '../../../helpers/collect.js'

export type { Item }

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

/** Counts Scan requests sent through a client (a real SDK middleware). */
export function countScans (client: DynamoDBClient): { count: number } {
  const counter = { count: 0 }
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'ScanCommand') counter.count++
    return await next(args)
  }, { step: 'initialize', name: `countScans${Math.random()}` })
  return counter
}

/** Every record a source emits, in order. */
export async function collect (source: Readable): Promise<OpenCDCRecord[]> {
  return await collectAll<OpenCDCRecord>(source)
}

export function sleepMs (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
