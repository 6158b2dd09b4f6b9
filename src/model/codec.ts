import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from '../errors/index.js'
import { PreciseNumber, isPreciseNumber, type StructuredData, type Value } from './record.js'
import { setOwn } from './own-property.js'

export type AttributeMap = Record<string, AttributeValue>

/** The longest text numberTextOf gives for a finite double: "-0.0000012345678901234567" (sign, fixed notation down to 1e-6, 17 digits). */
export const MAX_NUMBER_TEXT = 25

/**
 * A DynamoDB N text as a JS number when the number prints back as the very same text, otherwise as a
 * PreciseNumber keeping the text: writing the value back then stores exactly what was read.
 */
export function decodeNumber (text: string): number | PreciseNumber {
  // numberTextOf never prints more than MAX_NUMBER_TEXT characters: a longer text (38 digits, say) cannot print back.
  if (text.length > MAX_NUMBER_TEXT) return new PreciseNumber(text)
  // A plain integer of up to 15 digits is exact as a double (below 2^53) and prints back as the same text,
  // so the Number/String round trip can be skipped (most N texts are such integers).
  const digits = plainIntegerDigits(text)
  if (digits > 0 && digits <= 15) return Number(text)
  const n = Number(text)
  // Compared with the text toAttributeValue writes for n: 2840127247444810000 prints as itself but is written as …240.
  return numberTextOf(n) === text ? n : new PreciseNumber(text)
}

/** The digits of a plain integer text (an optional '-', then digits with no leading zero), or -1 for any other text. */
export function plainIntegerDigits (text: string): number {
  const from = text.charCodeAt(0) === 45 ? 1 : 0
  if (from >= text.length || text.charCodeAt(from) === 48) return -1
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return -1
  }
  return text.length - from
}

/** DynamoDB item (AttributeValue map) → structured data, losing nothing. */
export function fromAttributeMap (item: AttributeMap): StructuredData {
  const out: StructuredData = {}
  for (const k in item) setOwn(out, k, fromAttributeValue(item[k] as AttributeValue))
  return out
}

/** One AttributeValue → its native value: N as decodeNumber, B as its bytes, sets as Set, NULL as null. */
export function fromAttributeValue (v: AttributeValue): Value {
  if (v.S !== undefined) return v.S
  if (v.N !== undefined) return decodeNumber(v.N)
  if (v.M !== undefined) return fromAttributeMap(v.M)
  if (v.BOOL !== undefined) return v.BOOL
  if (v.NULL !== undefined) return null
  if (v.L !== undefined) return v.L.map(fromAttributeValue)
  if (v.B !== undefined) return v.B
  if (v.SS !== undefined) return new Set(v.SS)
  if (v.NS !== undefined) return new Set(v.NS.map(decodeNumber)) as Set<number>
  if (v.BS !== undefined) return new Set(v.BS)
  throw new OpenCDCError('ERR_DDB_INVALID_VALUE', `unknown DynamoDB attribute type ${JSON.stringify(Object.keys(v))}`, { types: Object.keys(v) })
}

/** Structured data → DynamoDB item; throws ERR_DDB_INVALID_VALUE naming the path of anything DynamoDB cannot store. */
export function toAttributeMap (data: StructuredData): AttributeMap {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('', 'an item must be an object')
  return (toAttr(data, '', []) as { M: AttributeMap }).M
}

/** One native value → AttributeValue. */
export function toAttributeValue (value: Value, path = '$'): AttributeValue {
  return toAttr(value, path, [])
}

function invalid (path: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_VALUE', `value at ${path || '$'} cannot be stored in DynamoDB: ${rule}`, { path: path || '$' })
}

// The path is kept as a stack of names and indexes and only spelled out for an error: most values are valid.
export type Trail = Array<string | number>

/** A trail of names and indexes as a path like `$.a["b.c"][2]`. */
export function pathOf (root: string, trail: Trail): string {
  if (trail.length === 0) return root
  let path = root === '' ? '$' : root
  for (const step of trail) {
    path += typeof step === 'number' ? `[${step}]` : /^[A-Za-z_][\w]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`
  }
  return path
}

// Validates and converts in one walk; where the SDK's marshall would coerce silently (mixed sets, dropped functions), fails.
function toAttr (value: unknown, root: string, trail: Trail): AttributeValue {
  switch (typeof value) {
    case 'string': return { S: value }
    case 'boolean': return { BOOL: value }
    case 'number':
      if (!Number.isFinite(value)) throw invalid(pathOf(root, trail), `${value} is not a finite number`)
      if (outOfRange(value)) throw invalid(pathOf(root, trail), rangeRule(String(value)))
      return { N: numberTextOf(value) }
    case 'bigint': return { N: checkedNumber(value.toString(), root, trail) }
    case 'undefined': throw invalid(pathOf(root, trail), 'undefined is not a value (use null for NULL)')
    case 'function':
    case 'symbol':
      throw invalid(pathOf(root, trail), `a ${typeof value} is not a value`)
  }
  if (value === null) return { NULL: true }
  const ctor = (value as { constructor?: unknown }).constructor
  if (ctor !== Object && ctor !== undefined) {
    if (Array.isArray(value)) {
      const list = new Array<AttributeValue>(value.length)
      for (let i = 0; i < value.length; i++) {
        trail.push(i)
        list[i] = toAttr(value[i], root, trail)
        trail.pop()
      }
      return { L: list }
    }
    if (isPreciseNumber(value)) return { N: checkedNumber(value.value, root, trail) }
    if (value instanceof Uint8Array) return { B: value }
    if (value instanceof Set) return setToAttr(value, pathOf(root, trail))
    if (value instanceof Date) throw invalid(pathOf(root, trail), 'a Date is not a DynamoDB type (store an ISO string or epoch number)')
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) throw invalid(pathOf(root, trail), `a ${proto?.constructor?.name ?? 'class'} instance is not a DynamoDB type`)
  const map: AttributeMap = {}
  for (const k in value as Record<string, unknown>) {
    if (!Object.hasOwn(value as object, k)) continue
    if (k === '') throw invalid(pathOf(root, trail), 'attribute names must not be empty')
    trail.push(k)
    setOwn(map, k, toAttr((value as Record<string, unknown>)[k], root, trail))
    trail.pop()
  }
  return { M: map }
}

function setToAttr (set: Set<unknown>, path: string): AttributeValue {
  if (set.size === 0) throw invalid(path, 'empty sets are not allowed')
  let kind: 'string' | 'number' | 'binary' | undefined
  const seen = new Set<string>()
  const strings: string[] = []
  const numbers: string[] = []
  const binaries: Uint8Array[] = []
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
      numbers.push(text)
    } else if (itemKind === 'binary') {
      const text = Buffer.from(item as Uint8Array).toString('base64')
      if (seen.has(text)) throw invalid(path, 'duplicate binary in a set')
      seen.add(text)
      binaries.push(item as Uint8Array)
    } else {
      strings.push(item as string)
    }
  }
  return kind === 'string' ? { SS: strings } : kind === 'number' ? { NS: numbers } : { BS: binaries }
}

function numberText (n: number | bigint | PreciseNumber, path: string): string {
  if (typeof n === 'number') {
    if (!Number.isFinite(n)) throw invalid(path, `${n} is not a finite number`)
    if (outOfRange(n)) throw invalid(path, rangeRule(String(n)))
    return numberTextOf(n)
  }
  return checkedNumber(typeof n === 'bigint' ? n.toString() : n.value, path, [])
}

// DynamoDB N (checked on DynamoDB Local 3.3.0, test/integration/model/codec.number-limits.test.ts): magnitude 1E-130 to
// 9.9999999999999999999999999999999999999E+125 or 0, at most 38 significant digits (leading and trailing zeros
// not counted: 1.000…0 with 39 zeros and 1 followed by 41 zeros pass), exponent text within ±2147483647.
const RANGE = "DynamoDB's range (magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125, or 0)"

// A finite JS number prints with at most 21 digits: only its magnitude can break a rule. Two compares for ordinary numbers.
function outOfRange (n: number): boolean {
  return n >= 1e126 || n <= -1e126 || (n < 1e-130 && n > -1e-130 && n !== 0)
}

function rangeRule (text: string): string {
  return `number ${text} is out of ${RANGE}`
}

/** The DynamoDB rule a number text breaks, or undefined when DynamoDB stores it. */
export function numberRule (text: string): string | undefined {
  const canonical = canonicalDecimal(text)
  if (canonical === undefined) return `${JSON.stringify(text)} is not a decimal number`
  const exp = /[eE]([+-]?\d+)$/.exec(text)
  if (exp !== null && Math.abs(Number(exp[1])) > 2147483647) return `number ${text} has an exponent beyond ±2147483647`
  const parts = decimalParts(canonical)
  if (parts.sign === 0) return undefined
  if (parts.digits.length > 38) return `number ${text} has ${parts.digits.length} significant digits; DynamoDB keeps at most 38`
  return parts.top > 125 || parts.top < -130 ? rangeRule(text) : undefined
}

function checkedNumber (text: string, root: string, trail: Trail): string {
  const rule = numberRule(text)
  if (rule !== undefined) throw invalid(pathOf(root, trail), rule)
  return text
}

/** An integer a double holds that String() prints with other digits than its exact value (2^53 ≤ |n| < 1e21). */
export function isUnsafeInteger (n: number): boolean {
  return Number.isInteger(n) && !Number.isSafeInteger(n) && Math.abs(n) < 1e21
}

/** The N text a finite JS number is written as. 2**60 as 1152921504606846976 (BigInt); String() would give "1152921504606847000". */
export function numberTextOf (n: number): string {
  return isUnsafeInteger(n) ? BigInt(n).toString() : String(n)
}

/** A decimal as sign, significant digits (no leading/trailing zeros) and the power of ten of its first digit. */
export interface DecimalParts { sign: -1 | 0 | 1, digits: string, top: number }

/** The parts of a canonicalDecimal text ("-123e-2" → sign -1, digits "123", top 0). */
export function decimalParts (canonical: string): DecimalParts {
  if (canonical === '0') return { sign: 0, digits: '', top: 0 }
  const neg = canonical.charCodeAt(0) === 45
  const e = canonical.indexOf('e')
  const digits = canonical.slice(neg ? 1 : 0, e)
  return { sign: neg ? -1 : 1, digits, top: Number(canonical.slice(e + 1)) + digits.length - 1 }
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
