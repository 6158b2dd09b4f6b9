import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { Readable } from 'node:stream'
import { toAttributeMap } from '../../src/model/codec.js'
import { parseDynamoDBJSON, type DynamoDBJSONParseOptions } from '../../src/inputs/parse.js'
import type { OpenCDCRecord, StructuredData } from '../../src/model/record.js'
import type { Item } from './universe.js'

/** Every record parseDynamoDBJSON makes of these bytes (or the error it fails with). */
export async function parseAll (bytes: Buffer | string | Array<Buffer | string>, options: DynamoDBJSONParseOptions = {}): Promise<OpenCDCRecord[]> {
  const chunks = Array.isArray(bytes) ? bytes : [bytes]
  const out: OpenCDCRecord[] = []
  for await (const r of Readable.from(chunks.map((c) => Buffer.from(c))).pipe(parseDynamoDBJSON(options))) out.push(r as OpenCDCRecord)
  return out
}

/** DynamoDB JSON text of an item ({"S":…}, B as base64) → the low-level item, decoded by hand (the oracle, not the code under test). */
export function itemFromJSON (json: Record<string, unknown>): Item {
  const value = (v: Record<string, unknown>): AttributeValue => {
    const [type, inner] = Object.entries(v)[0] as [string, unknown]
    if (type === 'B') return { B: Buffer.from(inner as string, 'base64') }
    if (type === 'BS') return { BS: (inner as string[]).map((b) => Buffer.from(b, 'base64')) }
    if (type === 'L') return { L: (inner as Array<Record<string, unknown>>).map(value) }
    if (type === 'M') return { M: itemFromJSON(inner as Record<string, unknown>) }
    return { [type]: inner } as unknown as AttributeValue
  }
  const out: Item = {}
  for (const [k, v] of Object.entries(json)) out[k] = value(v as Record<string, unknown>)
  return out
}

/** A record's payload.after as the item the destination would write. */
export function afterItem (r: OpenCDCRecord): Item {
  return toAttributeMap(r.payload.after as StructuredData)
}

/** The Items of every page of (possibly concatenated) pretty-printed scan output: pages split at a line holding only "}" then "{". */
export function scanPagesItems (text: string): Item[] {
  return text.split(/\n}\n(?={)/).map((p, i, all) => JSON.parse(i < all.length - 1 ? p + '\n}' : p) as { Items: Array<Record<string, unknown>> })
    .flatMap((page) => page.Items.map(itemFromJSON))
}

/** A record's payload.after as structured data. */
export const afterOf = (r: OpenCDCRecord | undefined): StructuredData => r?.payload.after as StructuredData
