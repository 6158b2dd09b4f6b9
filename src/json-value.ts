import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { OpenCDCError } from './errors.js'
import { decodeNumber, fromAttributeMap, toAttributeMap, type AttributeMap } from './codec.js'
import { isPreciseNumber, type StructuredData, type Value } from './record.js'

/**
 * Plain JSON text of a value, the way Conduit writes structured data: object keys sorted, bytes as
 * base64, sets as arrays, and precise numbers as number literals with every digit.
 */
export function stringifyValue (value: unknown): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value)
    case 'number': return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean': return value ? 'true' : 'false'
    case 'bigint': return value.toString()
    case 'undefined': return 'null'
  }
  if (value === null) return 'null'
  if (isPreciseNumber(value)) return value.value
  if (value instanceof Uint8Array) return '"' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') + '"'
  if (Array.isArray(value)) return '[' + value.map(stringifyValue).join(',') + ']'
  if (value instanceof Set) return '[' + Array.from(value, stringifyValue).join(',') + ']'
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).sort()
  let out = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    if (i > 0) out += ','
    out += JSON.stringify(k) + ':' + stringifyValue(obj[k])
  }
  return out + '}'
}

// A number literal of 16+ digits may not fit a double; only then is the slow exact parser needed.
const LONG_NUMBER = /\d{16}/

/**
 * JSON.parse that keeps every digit: a number a double cannot hold exactly comes back as a
 * PreciseNumber. Fast path is JSON.parse itself.
 */
export function parseJSONLossless (text: string): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text)
  return new ExactParser(text).parseDocument()
}

class ExactParser {
  #text: string
  #i = 0

  constructor (text: string) { this.#text = text }

  parseDocument (): unknown {
    const value = this.#value()
    this.#ws()
    if (this.#i !== this.#text.length) this.#fail('unexpected trailing characters')
    return value
  }

  #fail (what: string): never {
    throw new SyntaxError(`${what} in JSON at position ${this.#i}`)
  }

  #ws (): void {
    const t = this.#text
    while (this.#i < t.length) {
      const c = t.charCodeAt(this.#i)
      if (c === 32 || c === 9 || c === 10 || c === 13) this.#i++
      else break
    }
  }

  #value (): unknown {
    this.#ws()
    const t = this.#text
    const c = t[this.#i]
    if (c === '{') return this.#object()
    if (c === '[') return this.#array()
    if (c === '"') return this.#string()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.#number()
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (t.startsWith(word, this.#i)) { this.#i += word.length; return v }
    }
    return this.#fail(c === undefined ? 'unexpected end' : `unexpected token ${JSON.stringify(c)}`)
  }

  #object (): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.#i++
    this.#ws()
    if (this.#text[this.#i] === '}') { this.#i++; return out }
    for (;;) {
      this.#ws()
      if (this.#text[this.#i] !== '"') this.#fail('expected a property name')
      const key = this.#string()
      this.#ws()
      if (this.#text[this.#i] !== ':') this.#fail("expected ':'")
      this.#i++
      out[key] = this.#value()
      this.#ws()
      const c = this.#text[this.#i++]
      if (c === '}') return out
      if (c !== ',') { this.#i--; this.#fail("expected ',' or '}'") }
    }
  }

  #array (): unknown[] {
    const out: unknown[] = []
    this.#i++
    this.#ws()
    if (this.#text[this.#i] === ']') { this.#i++; return out }
    for (;;) {
      out.push(this.#value())
      this.#ws()
      const c = this.#text[this.#i++]
      if (c === ']') return out
      if (c !== ',') { this.#i--; this.#fail("expected ',' or ']'") }
    }
  }

  #string (): string {
    const t = this.#text
    const start = this.#i
    this.#i++
    while (this.#i < t.length) {
      const c = t[this.#i]
      if (c === '\\') this.#i += 2
      else if (c === '"') { this.#i++; return JSON.parse(t.slice(start, this.#i)) as string }
      else this.#i++
    }
    return this.#fail('unterminated string')
  }

  #number (): unknown {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    m.lastIndex = this.#i
    const found = m.exec(this.#text)
    if (found === null) return this.#fail('invalid number')
    this.#i += found[0].length
    return decodeNumber(found[0])
  }
}

/**
 * DynamoDB JSON (the typed form AWS uses in exports and the CLI: {"id":{"S":"a"},"n":{"N":"1"}}),
 * the lossless way to carry sets, binaries and precise numbers through text.
 */
export function toDynamoJSON (data: StructuredData): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(toAttributeMap(data))) out[k] = attributeToJSON(v)
  return out
}

function attributeToJSON (v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (v.L !== undefined) return { L: v.L.map(attributeToJSON) }
  if (v.M !== undefined) {
    const m: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v.M)) m[k] = attributeToJSON(x)
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
  for (const [k, v] of Object.entries(json)) out[k] = attributeFromJSON(v, `${path}.${k}`)
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
    for (const [k, x] of Object.entries(inner)) m[k] = attributeFromJSON(x, `${path}.${k}`)
    return { M: m }
  }
  const check = SCALAR_CHECK[type]
  if (check === undefined || !check(inner)) return bad()
  if (type === 'N') return { N: String(inner) }
  if (type === 'NS') return { NS: (inner as unknown[]).map(String) }
  return { [type]: inner } as unknown as AttributeValue
}

export type { Value }
