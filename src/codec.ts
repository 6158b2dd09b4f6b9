import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { OpenCDCError } from './errors.js'
import { PreciseNumber, isPreciseNumber, type StructuredData, type Value } from './record.js'

export type AttributeMap = Record<string, AttributeValue>

/**
 * A DynamoDB N text as a JS number when the number prints back as the very same text, otherwise as a
 * PreciseNumber keeping the text: writing the value back then stores exactly what was read.
 */
export function decodeNumber (text: string): number | PreciseNumber {
  const n = Number(text)
  return String(n) === text ? n : new PreciseNumber(text)
}

/** DynamoDB item (AttributeValue map) → structured data, losing nothing. */
export function fromAttributeMap (item: AttributeMap): StructuredData {
  return unmarshall(item, { wrapNumbers: decodeNumber }) as StructuredData
}

/** One AttributeValue → its native value. */
export function fromAttributeValue (value: AttributeValue): Value {
  return unmarshall({ v: value }, { wrapNumbers: decodeNumber }).v as Value
}

/** Structured data → DynamoDB item; throws ERR_DDB_INVALID_VALUE naming the path of anything DynamoDB cannot store. */
export function toAttributeMap (data: StructuredData): AttributeMap {
  return marshall(prepare(data, '') as Record<string, unknown>) as AttributeMap
}

/** One native value → AttributeValue. */
export function toAttributeValue (value: Value, path = '$'): AttributeValue {
  return toAttributeMap({ v: prepareAt(value, path) as Value }).v as AttributeValue
}

function invalid (path: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_VALUE', `value at ${path || '$'} cannot be stored in DynamoDB: ${rule}`, { path: path || '$' })
}

function prepare (data: StructuredData, path: string): StructuredData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid(path, 'an item must be an object')
  return prepareAt(data, path) as StructuredData
}

function child (path: string, field: string): string {
  return /^[A-Za-z_][\w]*$/.test(field) ? `${path === '' ? '$' : path}.${field}` : `${path === '' ? '$' : path}[${JSON.stringify(field)}]`
}

// Validates and, where marshall would coerce silently (mixed sets, dropped functions), fails or normalizes.
function prepareAt (value: unknown, path: string): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `${value} is not a finite number`)
      return Number.isSafeInteger(value) || !Number.isInteger(value) ? value : new PreciseNumber(bigIntegerText(value))
    case 'bigint':
      return new PreciseNumber(value.toString())
    case 'undefined':
      throw invalid(path, 'undefined is not a value (use null for NULL)')
    case 'function':
    case 'symbol':
      throw invalid(path, `a ${typeof value} is not a value`)
  }
  if (value === null || isPreciseNumber(value)) return value
  if (value instanceof Uint8Array) return value
  if (Array.isArray(value)) return value.map((v, i) => prepareAt(v, `${path === '' ? '$' : path}[${i}]`))
  if (value instanceof Set) return prepareSet(value, path)
  if (value instanceof Date) throw invalid(path, 'a Date is not a DynamoDB type (store an ISO string or epoch number)')
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) throw invalid(path, `a ${proto?.constructor?.name ?? 'class'} instance is not a DynamoDB type`)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === '') throw invalid(path, 'attribute names must not be empty')
    out[k] = prepareAt(v, child(path, k))
  }
  return out
}

function prepareSet (set: Set<unknown>, path: string): Set<unknown> {
  if (set.size === 0) throw invalid(path, 'empty sets are not allowed')
  let kind: 'string' | 'number' | 'binary' | undefined
  const seen = new Set<string>()
  const out = new Set<unknown>()
  for (const item of set) {
    const itemKind = typeof item === 'string' ? 'string'
      : (typeof item === 'number' || typeof item === 'bigint' || isPreciseNumber(item)) ? 'number'
          : item instanceof Uint8Array ? 'binary' : undefined
    if (itemKind === undefined) throw invalid(path, `a set holds only strings, numbers or binaries, not ${describeType(item)}`)
    if (kind !== undefined && kind !== itemKind) throw invalid(path, `a set must not mix ${kind} and ${itemKind} members`)
    kind = itemKind
    if (itemKind === 'number') {
      const text = numberText(item as number | bigint | PreciseNumber, path)
      if (seen.has(text)) throw invalid(path, `duplicate number ${text} in a set`)
      seen.add(text)
      out.add(new PreciseNumber(text))
    } else if (itemKind === 'binary') {
      const text = Buffer.from(item as Uint8Array).toString('base64')
      if (seen.has(text)) throw invalid(path, 'duplicate binary in a set')
      seen.add(text)
      out.add(item)
    } else {
      out.add(item)
    }
  }
  return out
}

function numberText (n: number | bigint | PreciseNumber, path: string): string {
  if (typeof n === 'bigint') return n.toString()
  if (typeof n === 'number') {
    if (!Number.isFinite(n)) throw invalid(path, `${n} is not a finite number`)
    return Number.isSafeInteger(n) || !Number.isInteger(n) ? String(n) : bigIntegerText(n)
  }
  return n.value
}

// 2**60 prints as 1152921504606846976 with BigInt; String() would give "1152921504606847000".
function bigIntegerText (n: number): string {
  return Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n)
}

function describeType (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`
  return `a ${typeof v}`
}

/** True when two decimal texts denote the same number (exponents, signs and zero padding normalized). */
export function sameDecimal (a: string, b: string): boolean {
  const x = canonicalDecimal(a)
  const y = canonicalDecimal(b)
  return x !== undefined && x === y
}

/** A decimal text as "sign digits e exp" with no leading/trailing zeros; undefined if not a decimal. */
export function canonicalDecimal (text: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined
  const frac = m[3] ?? ''
  let digits = ((m[2] ?? '') + frac).replace(/^0+/, '')
  if (digits === '') return '0'
  let exp = Number(m[4] ?? '0') - frac.length
  const kept = digits.replace(/0+$/, '')
  exp += digits.length - kept.length
  digits = kept
  return `${m[1] === '-' ? '-' : ''}${digits}e${exp}`
}
