import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { b64, decimalValue, mapDiffs, show, type Item } from './attribute-diff.js'

// Items matched by key, then compared by the one AttributeValue comparator (attribute-diff.ts, which imports nothing from src/).

/** A key attribute's identity (type plus value; numbers by value). */
function keyPart (v: AttributeValue | undefined): string {
  if (v === undefined) return '<none>'
  if (v.S !== undefined) return `S:${JSON.stringify(v.S)}`
  if (v.N !== undefined) return `N:${decimalValue(v.N) ?? v.N}`
  if (v.B !== undefined) return `B:${b64(v.B)}`
  return `?:${show(v)}`
}

/** Human-readable differences between two sets of items matched by key: missing, unexpected, duplicated, or differing (types exact, numbers by value, sets unordered). */
export function diffItems (expected: Item[], actual: Item[], keyName: string | string[]): string[] {
  const names = Array.isArray(keyName) ? keyName : [keyName]
  const keyOf = (item: Item): string => names.map((n) => keyPart(item[n])).join(' / ')
  const index = (items: Item[], side: string, out: string[]): Map<string, Item> => {
    const m = new Map<string, Item>()
    for (const item of items) {
      const k = keyOf(item)
      if (m.has(k)) out.push(`${k}: ${side} holds this key twice`)
      m.set(k, item)
    }
    return m
  }
  const out: string[] = []
  const e = index(expected, 'expected', out)
  const a = index(actual, 'actual', out)
  for (const [k, item] of e) {
    const got = a.get(k)
    if (got === undefined) out.push(`${k}: missing`)
    else for (const d of mapDiffs(item, got, '$', [])) out.push(`${k}: ${d}`)
  }
  for (const k of a.keys()) if (!e.has(k)) out.push(`${k}: unexpected item`)
  return out
}
