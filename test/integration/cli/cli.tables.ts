import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { toAttributeMap } from '../../../src/model/codec.js'
import type { StructuredData } from '../../../src/model/record.js'
import { canonicalItem } from '../../helpers/compare.js'
import { scanAll } from '../../helpers/universe-db.js'

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

/** Every item of a table as canonical JSON text (attribute types kept, sets sorted, or as `canonical` says), sorted. */
export async function dump (client: DynamoDBClient, table: string, canonical: (item: Record<string, AttributeValue>) => unknown = canonicalItem): Promise<string[]> {
  return (await scanAll(client, table)).map((item) => JSON.stringify(canonical(item))).sort()
}
