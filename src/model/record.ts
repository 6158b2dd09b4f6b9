import { NumberValueImpl } from '@aws-sdk/util-dynamodb'
import { OpenCDCError } from '../errors/index.js'
import { lineOf } from './record-origin.js'

/** A DynamoDB number that a JS number cannot hold exactly; `.value` keeps DynamoDB's decimal text. */
export const PreciseNumber = NumberValueImpl
export type PreciseNumber = InstanceType<typeof NumberValueImpl>

/** A value as it sits in structured data: the native form of every DynamoDB type. */
export type Value =
  | string
  | number
  | PreciseNumber
  | boolean
  | null
  | Uint8Array
  | Set<string>
  | Set<number | PreciseNumber>
  | Set<Uint8Array>
  | Value[]
  | StructuredData

export interface StructuredData { [field: string]: Value }

/** Key, before and after are structured data, raw bytes, or absent (null). */
export type Data = StructuredData | Uint8Array | null

export const OPERATIONS = ['create', 'update', 'delete', 'snapshot'] as const
export type Operation = typeof OPERATIONS[number]

export interface OpenCDCRecord {
  position: Buffer
  operation: Operation
  metadata: Record<string, string>
  key: Data
  payload: { before: Data, after: Data }
}

export const META_COLLECTION = 'opencdc.collection'
export const META_READ_AT = 'opencdc.readAt'
export const META_CREATED_AT = 'opencdc.createdAt'

export function isOperation (value: unknown): value is Operation {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value)
}

export function isStructuredData (value: unknown): value is StructuredData {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array) && !(value instanceof Set) && !(value instanceof NumberValueImpl)
}

export function isRawData (value: unknown): value is Uint8Array {
  return value instanceof Uint8Array
}

export function isPreciseNumber (value: unknown): value is PreciseNumber {
  return value instanceof NumberValueImpl
}

/** Unix time in nanoseconds as the decimal string OpenCDC metadata uses. */
export function unixNanos (ms: number = Date.now()): string {
  const t = Math.trunc(ms)
  // Two strings instead of a BigInt product: this runs for every record read.
  if (t !== 0 && Math.abs(t) < 1e15) return String(t) + '000000'
  return (BigInt(t) * 1_000_000n).toString()
}

export interface RecordInit {
  position: Buffer | Uint8Array | string
  operation: Operation
  metadata?: Record<string, string>
  key?: Data
  before?: Data
  after?: Data
}

/** Builds a record, checking the few rules every consumer relies on. */
export function createRecord (init: RecordInit): OpenCDCRecord {
  if (!isOperation(init.operation)) {
    throw new OpenCDCError('ERR_DDB_INVALID_RECORD', `unknown operation ${JSON.stringify(init.operation)}: expected one of ${OPERATIONS.join(', ')}`)
  }
  const position = typeof init.position === 'string' ? Buffer.from(init.position) : Buffer.from(init.position.buffer, init.position.byteOffset, init.position.byteLength)
  return {
    position,
    operation: init.operation,
    metadata: { ...init.metadata },
    key: init.key ?? null,
    payload: { before: init.before ?? null, after: init.after ?? null }
  }
}

/** A short description of a record for error messages: its position and key, never its payload. */
export function describeRecord (record: Partial<OpenCDCRecord> | undefined, index?: number): string {
  const parts: string[] = []
  // A record parsed from JSON Lines is named by its line, as JSON errors are, not by its 0-based place in the stream.
  const line = lineOf(record)
  if (line !== undefined) parts.push(`on line ${line}`)
  else if (index !== undefined) parts.push(`#${index}`)
  if (record?.position !== undefined && record.position !== null) {
    const pos = Buffer.isBuffer(record.position) ? record.position : Buffer.from(String(record.position))
    parts.push(`position ${JSON.stringify(pos.toString('utf8').slice(0, 120))}`)
  }
  if (record?.key !== undefined) parts.push(`key ${describeData(record.key)}`)
  return parts.length > 0 ? `record ${parts.join(' ')}` : 'record'
}

function describeData (data: Data | undefined): string {
  if (data === null || data === undefined) return 'null'
  if (data instanceof Uint8Array) return `<${data.byteLength} bytes>`
  const shown = Object.keys(data).sort().map((k) => `${k}=${describeScalar(data[k])}`)
  return `{${shown.join(', ')}}`
}

function describeScalar (value: Value | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? value.slice(0, 64) + '…' : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  if (isPreciseNumber(value)) return value.value
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`
  return typeof value
}
