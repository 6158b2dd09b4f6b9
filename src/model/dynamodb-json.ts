import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from '../errors/index.js'
import { fromAttributeMap, toAttributeMap, type AttributeMap } from './codec.js'
import type { StructuredData } from './record.js'
import { setOwn } from './own-property.js'

/**
 * DynamoDB JSON (the typed form AWS uses in exports and the CLI: {"id":{"S":"a"},"n":{"N":"1"}}),
 * the lossless way to carry sets, binaries and precise numbers through text.
 */
export function toDynamoJSON (data: StructuredData): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(toAttributeMap(data))) setOwn(out, k, attributeToJSON(v))
  return out
}

function attributeToJSON (v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (v.L !== undefined) return { L: v.L.map(attributeToJSON) }
  if (v.M !== undefined) {
    const m: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v.M)) setOwn(m, k, attributeToJSON(x))
    return { M: m }
  }
  return v
}

/** Inverse of toDynamoJSON; an unknown or malformed type descriptor is an ERR_DDB_INVALID_VALUE naming its path. */
export function fromDynamoJSON (json: unknown, path = '$'): StructuredData {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new OpenCDCError('ERR_DDB_INVALID_VALUE', `DynamoDB JSON at ${path} must be an object of typed attributes`, { path })
  }
  const out: AttributeMap = {}
  for (const [k, v] of Object.entries(json)) setOwn(out, k, attributeFromJSON(v, `${path}.${k}`))
  return fromAttributeMap(out)
}

const SCALAR_CHECK: Record<string, (v: unknown) => boolean> = {
  S: (v) => typeof v === 'string',
  N: (v) => typeof v === 'string' || typeof v === 'number',
  BOOL: (v) => typeof v === 'boolean',
  NULL: (v) => v === true,
  SS: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  NS: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')
}

function attributeFromJSON (v: unknown, path: string): AttributeValue {
  const entries = typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v) : []
  const bad = (): never => {
    throw new OpenCDCError('ERR_DDB_INVALID_VALUE', `DynamoDB JSON at ${path} must be one typed value like {"S":"text"}`, { path })
  }
  if (entries.length !== 1) return bad()
  const [type, inner] = entries[0] as [string, unknown]
  if (type === 'B') return typeof inner === 'string' ? { B: Buffer.from(inner, 'base64') } : bad()
  if (type === 'BS') return Array.isArray(inner) && inner.every((x) => typeof x === 'string') ? { BS: inner.map((x: string) => Buffer.from(x, 'base64')) } : bad()
  if (type === 'L') return Array.isArray(inner) ? { L: inner.map((x, i) => attributeFromJSON(x, `${path}[${i}]`)) } : bad()
  if (type === 'M') {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return bad()
    const m: AttributeMap = {}
    for (const [k, x] of Object.entries(inner)) setOwn(m, k, attributeFromJSON(x, `${path}.${k}`))
    return { M: m }
  }
  const check = SCALAR_CHECK[type]
  if (check === undefined || !check(inner)) return bad()
  if (type === 'N') return { N: String(inner) }
  if (type === 'NS') return { NS: (inner as unknown[]).map(String) }
  return { [type]: inner } as unknown as AttributeValue
}
