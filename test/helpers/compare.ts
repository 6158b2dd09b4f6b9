import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { canonicalDecimal, sameDecimal } from '../../src/model/codec.js'
import { isPreciseNumber, type Value } from '../../src/model/record.js'

function numberText (v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) || !Number.isInteger(v) ? String(v) : BigInt(v).toString()
  if (typeof v === 'bigint') return v.toString()
  if (isPreciseNumber(v)) return v.value
  return undefined
}

/** Where two native values differ as DynamoDB values (numbers by decimal value, sets unordered), or undefined. */
export function valueDiff (a: unknown, b: unknown, path = '$'): string | undefined {
  const na = numberText(a)
  const nb = numberText(b)
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && sameDecimal(na, nb) ? undefined : `${path}: ${na ?? typeof a} ≠ ${nb ?? typeof b}`
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0 ? undefined : `${path}: bytes differ`
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return `${path}: sets differ`
    const key = (v: unknown): string => numberText(v) !== undefined ? 'n:' + String(numberText(v)) : v instanceof Uint8Array ? 'b:' + Buffer.from(v).toString('base64') : 's:' + String(v)
    const canon = (s: Set<unknown>): string[] => [...s].map((v) => { const k = key(v); return k.startsWith('n:') ? 'n:' + (canonicalDecimal(k.slice(2)) ?? k) : k }).sort()
    return JSON.stringify(canon(a)) === JSON.stringify(canon(b)) ? undefined : `${path}: sets differ`
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return `${path}: lists differ`
    for (let i = 0; i < a.length; i++) {
      const d = valueDiff(a[i], b[i], `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    if (JSON.stringify(ka) !== JSON.stringify(kb)) return `${path}: fields ${JSON.stringify(ka)} ≠ ${JSON.stringify(kb)}`
    for (const k of ka) {
      const d = valueDiff((a as Record<string, Value>)[k], (b as Record<string, Value>)[k], `${path}.${k}`)
      if (d !== undefined) return d
    }
    return undefined
  }
  return Object.is(a, b) ? undefined : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`
}

function canonicalAttribute (v: AttributeValue): unknown {
  if (v.SS !== undefined) return { SS: [...v.SS].sort() }
  if (v.NS !== undefined) return { NS: [...v.NS].sort() }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')).sort() }
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.L !== undefined) return { L: v.L.map(canonicalAttribute) }
  if (v.M !== undefined) return { M: canonicalItem(v.M) }
  return v
}

/** A raw DynamoDB item with set members (which come back in DynamoDB's order) and attribute names sorted, bytes as base64. */
export function canonicalItem (item: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(item).sort()) out[k] = canonicalAttribute(item[k] as AttributeValue)
  return out
}
