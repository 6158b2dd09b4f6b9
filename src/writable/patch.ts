import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { canonicalDecimal, type AttributeMap } from '../model/codec.js'

export interface UpdateSpec {
  UpdateExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: AttributeMap
}

function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

function sameSet<T> (a: T[], b: T[], id: (x: T) => string): boolean {
  if (a.length !== b.length) return false
  const seen = new Set(a.map(id))
  return b.every((x) => seen.has(id(x)))
}

/** Deep equality of two attribute values as DynamoDB stores them (sets unordered, numbers by value). */
export function sameAttribute (a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  if (a.S !== undefined) return a.S === b.S
  if (a.N !== undefined) return b.N !== undefined && canonicalDecimal(a.N) === canonicalDecimal(b.N)
  if (a.B !== undefined) return b.B !== undefined && bytesEqual(a.B, b.B)
  if (a.BOOL !== undefined) return a.BOOL === b.BOOL
  if (a.NULL !== undefined) return b.NULL !== undefined
  if (a.SS !== undefined) return b.SS !== undefined && sameSet(a.SS, b.SS, (s) => s)
  if (a.NS !== undefined) return b.NS !== undefined && sameSet(a.NS, b.NS, (n) => canonicalDecimal(n) ?? n)
  if (a.BS !== undefined) return b.BS !== undefined && sameSet(a.BS, b.BS, (x) => Buffer.from(x).toString('base64'))
  if (a.L !== undefined) return b.L !== undefined && a.L.length === b.L.length && a.L.every((v, i) => sameAttribute(v, b.L?.[i]))
  if (a.M !== undefined) {
    if (b.M === undefined) return false
    const ka = Object.keys(a.M)
    return ka.length === Object.keys(b.M).length && ka.every((k) => sameAttribute(a.M?.[k], b.M?.[k]))
  }
  return false
}

/** UpdateItem parts turning `before` into `after`: SET what changed or appeared, REMOVE what was dropped; key attributes untouched. */
export function diffUpdate (before: AttributeMap, after: AttributeMap, keyNames: readonly string[]): UpdateSpec {
  const names: Record<string, string> = {}
  const values: AttributeMap = {}
  const set: string[] = []
  const remove: string[] = []
  let n = 0
  for (const [name, value] of Object.entries(after)) {
    if (keyNames.includes(name) || sameAttribute(before[name], value)) continue
    names[`#a${n}`] = name
    values[`:v${n}`] = value
    set.push(`#a${n} = :v${n}`)
    n++
  }
  for (const name of Object.keys(before)) {
    if (keyNames.includes(name) || after[name] !== undefined) continue
    names[`#a${n}`] = name
    remove.push(`#a${n}`)
    n++
  }
  const clauses = [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''].filter((c) => c !== '')
  if (clauses.length === 0) return {}
  return {
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: names,
    ...(set.length > 0 ? { ExpressionAttributeValues: values } : {})
  }
}
