import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { toAttributeMap } from '../../src/model/codec.js'
import type { OpenCDCRecord, StructuredData } from '../../src/model/record.js'
import { itemDiffs, type Item } from './attribute-diff.js'
import { scanAll } from './universe-db.js'

export type { Item }

/** Every item of a table keyed by its `id` (string or number), read with a consistent, paginated Scan. */
export async function scanTable (client: DynamoDBClient, table: string, keyAttr = 'id'): Promise<Map<string, Item>> {
  return new Map((await scanAll(client, table)).map((item) => [keyText(item[keyAttr]), item]))
}

function keyText (v: AttributeValue | undefined): string {
  if (v?.S !== undefined) return v.S
  if (v?.N !== undefined) return v.N
  if (v?.B !== undefined) return Buffer.from(v.B).toString('base64')
  throw new Error('item without a key attribute')
}

export interface TableDiff {
  /** Keys in the expected state but not in the actual table. */
  missing: string[]
  /** Keys in the actual table but not expected. */
  extra: string[]
  /** Keys whose items differ. */
  different: string[]
  compared: number
}

/** Where a table differs from the expected items (compared by itemDiffs); empty lists mean equal. */
export function diffStates (expected: Map<string, Item>, actual: Map<string, Item>): TableDiff {
  const missing: string[] = []
  const different: string[] = []
  for (const [k, item] of expected) {
    const got = actual.get(k)
    if (got === undefined) missing.push(k)
    else if (itemDiffs(item, got).length > 0) different.push(k)
  }
  const extra = [...actual.keys()].filter((k) => !expected.has(k))
  return { missing, extra, different, compared: expected.size }
}

/** A short description of a diff for assertion messages. */
export function describeDiff (d: TableDiff): string {
  const few = (xs: string[]): string => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` … (${xs.length})` : '')
  return `missing [${few(d.missing)}] extra [${few(d.extra)}] different [${few(d.different)}]`
}

/** The `id` of a record's key, as text. */
export const recordId = (r: OpenCDCRecord): string => String((r.key as StructuredData).id)

/** Applies a record to a table model as a put-mode writer would: delete removes, anything else puts payload.after. */
export function applyRecord (state: Map<string, Item>, r: OpenCDCRecord): void {
  if (r.operation === 'delete') state.delete(recordId(r))
  else state.set(recordId(r), toAttributeMap(r.payload.after as StructuredData))
}

/** Polls `check` until it reports no difference, `stop()` says give up, or the timeout passes; returns the last diff. */
export async function settle (check: () => Promise<TableDiff>, stop: () => boolean, timeoutMs: number): Promise<TableDiff> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const diff = await check()
    if (diff.missing.length + diff.extra.length + diff.different.length === 0 || stop() || Date.now() > deadline) return diff
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
