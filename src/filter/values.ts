import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { isBareMap } from './path.js'
import { canonicalDecimal, decimalParts, type DecimalParts } from '../model/codec.js'

export type TypeName = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M'
export const TYPE_NAMES: readonly TypeName[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']

/** The type an attribute value carries; a bare `{}` (DynamoDB Local's stream empty map) is M. */
export function typeOf (v: AttributeValue): TypeName | undefined {
  if (v.S !== undefined) return 'S'
  if (v.N !== undefined) return 'N'
  if (v.M !== undefined) return 'M'
  if (v.L !== undefined) return 'L'
  if (v.B !== undefined) return 'B'
  if (v.BOOL !== undefined) return 'BOOL'
  if (v.NULL !== undefined) return 'NULL'
  if (v.SS !== undefined) return 'SS'
  if (v.NS !== undefined) return 'NS'
  if (v.BS !== undefined) return 'BS'
  return isBareMap(v) ? 'M' : undefined
}

function decimal (text: string): DecimalParts {
  // Never undefined for a value DynamoDB stores: values are checked when compiled.
  return decimalParts(canonicalDecimal(text) ?? '0')
}

/** Numbers compared by decimal value, exactly (DynamoDB keeps 38 digits, more than a double). */
export function compareNumbers (a: string, b: string): number {
  if (a === b) return 0
  const x = decimal(a)
  const y = decimal(b)
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1
  if (x.sign === 0) return 0
  let mag = x.top !== y.top ? (x.top < y.top ? -1 : 1) : x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0
  if (x.sign < 0) mag = -mag
  return mag
}

/** Strings in UTF-8 byte order, which is code point order (JS's < compares UTF-16 units: U+FFFF would sort after 🙂). */
export function compareStrings (a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx !== sy) return sx ? 1 : -1 // a surrogate half stands for a code point above every BMP one
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

/** Binary as unsigned bytes, lexicographically. */
export function compareBytes (a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
  return a.length - b.length
}

/** `a < b` etc. for two values of one scalar type (N, S or B); undefined when they cannot be ordered. */
export function order (a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.N !== undefined) return b.N !== undefined ? compareNumbers(a.N, b.N) : undefined
  if (a.S !== undefined) return b.S !== undefined ? compareStrings(a.S, b.S) : undefined
  if (a.B !== undefined) return b.B !== undefined ? compareBytes(a.B, b.B) : undefined
  return undefined
}

const own = Object.prototype.hasOwnProperty

/** DynamoDB's `=`: same type and same value; numbers by value, sets unordered, lists ordered, maps by name. */
export function equalValues (a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a)
  if (t === undefined || t !== typeOf(b)) return false
  switch (t) {
    case 'S': return a.S === b.S
    case 'N': return compareNumbers(a.N as string, b.N as string) === 0
    case 'B': return compareBytes(a.B as Uint8Array, b.B as Uint8Array) === 0
    case 'BOOL': return a.BOOL === b.BOOL
    case 'NULL': return true
    case 'SS': return sameSet(a.SS as string[], b.SS as string[], (x, y) => x === y)
    case 'NS': return sameSet(a.NS as string[], b.NS as string[], (x, y) => compareNumbers(x, y) === 0)
    case 'BS': return sameSet(a.BS as Uint8Array[], b.BS as Uint8Array[], (x, y) => compareBytes(x, y) === 0)
    case 'L': {
      const x = a.L as AttributeValue[]
      const y = b.L as AttributeValue[]
      return x.length === y.length && x.every((v, i) => equalValues(v, y[i] as AttributeValue))
    }
    case 'M': {
      const x = a.M ?? {}
      const y = b.M ?? {}
      const keys = Object.keys(x)
      return keys.length === Object.keys(y).length && keys.every((k) => own.call(y, k) && equalValues(x[k] as AttributeValue, y[k] as AttributeValue))
    }
  }
}

// Set members are unique, so equal sizes plus every member found means equal sets.
function sameSet<T> (x: T[], y: T[], eq: (a: T, b: T) => boolean): boolean {
  return x.length === y.length && x.every((m) => y.some((n) => eq(m, n)))
}

/** True when `needle` occurs in `hay` as consecutive bytes. */
export function bytesInclude (hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}
