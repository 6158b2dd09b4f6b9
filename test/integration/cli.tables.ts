import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { toAttributeMap } from '../../src/codec.js'
import type { StructuredData } from '../../src/record.js'

/** Puts items 25 at a time, retrying unprocessed ones. */
export async function seed (client: DynamoDBClient, table: string, items: StructuredData[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: toAttributeMap(item) } }))
    while (requests.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests
    }
  }
}

function canonical (v: AttributeValue): unknown {
  if (v.SS !== undefined) return { SS: [...v.SS].sort() }
  if (v.NS !== undefined) return { NS: [...v.NS].sort() }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')).sort() }
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.L !== undefined) return { L: v.L.map(canonical) }
  if (v.M !== undefined) return { M: canonicalItem(v.M) }
  return v
}

function canonicalItem (item: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(item).sort()) out[k] = canonical(item[k] as AttributeValue)
  return out
}

/** Every item of a table as canonical JSON text (attribute types kept, sets sorted), sorted. */
export async function dump (client: DynamoDBClient, table: string): Promise<string[]> {
  const out: string[] = []
  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }))
    for (const item of page.Items ?? []) out.push(JSON.stringify(canonicalItem(item)))
    start = page.LastEvaluatedKey
  } while (start !== undefined)
  return out.sort()
}
