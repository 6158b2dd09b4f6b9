import { toAttributeMap, type AttributeMap } from '../model/codec.js'
import { OpenCDCError, isOpenCDCError, type ErrorCode } from '../errors/index.js'
import { parseJSONLossless } from '../model/json-value.js'
import { OPERATIONS, describeRecord, isPreciseNumber, isStructuredData, type OpenCDCRecord, type StructuredData, type Value } from '../model/record.js'
import { MAX_ITEM_BYTES, itemSize, numberSize } from './item-size.js'
import { keyAttributes, tableKeyId, type KeyAttribute, type KeySchema } from './key-schema.js'
import { diffUpdate, type UpdateSpec } from './patch.js'

export const MAX_PARTITION_KEY_BYTES = 2048
export const MAX_SORT_KEY_BYTES = 1024

export type UpdateMode = 'put' | 'patch'

/** One record turned into one DynamoDB write: a put, a delete or (patch mode) an update. */
export interface WriteOp {
  kind: 'put' | 'delete' | 'update'
  /** The table it goes to ('' when the caller did not say: the destination's one table). */
  table: string
  /** Names table and primary key exactly: per-key order and dedupe are per table. */
  keyId: string
  key: AttributeMap
  item?: AttributeMap
  update?: UpdateSpec
  /** Bytes this write adds to a request (item size per AWS rules). */
  size: number
  record: OpenCDCRecord
  /** The record's ordinal in the stream (0-based), named in errors. */
  index: number
}

function fail (record: unknown, index: number, code: ErrorCode, rule: string, cause?: unknown): OpenCDCError {
  const desc = describeRecord(record as Partial<OpenCDCRecord>, index)
  return new OpenCDCError(code, `${desc}: ${rule}`, { index, position: describePosition(record) }, cause !== undefined ? { cause } : undefined)
}

function describePosition (record: unknown): string | undefined {
  const pos = (record as { position?: unknown } | null)?.position
  return pos instanceof Uint8Array ? Buffer.from(pos).toString('utf8') : undefined
}

/** Structured data as is; raw bytes parsed as a JSON object (losslessly); null stays null. */
function structured (record: OpenCDCRecord, index: number, field: string, data: unknown): StructuredData | null {
  if (data === null || data === undefined) return null
  if (data instanceof Uint8Array) {
    if (data.byteLength === 0) return null
    let parsed: unknown
    try {
      parsed = parseJSONLossless(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'))
    } catch (err) {
      throw fail(record, index, 'ERR_DDB_INVALID_RECORD', `${field} is raw bytes that are not JSON (${(err as Error).message}); give structured data or a JSON object`, err)
    }
    if (!isStructuredData(parsed)) throw fail(record, index, 'ERR_DDB_INVALID_RECORD', `${field} is raw bytes holding JSON that is not an object`)
    return parsed
  }
  if (!isStructuredData(data)) throw fail(record, index, 'ERR_DDB_INVALID_RECORD', `${field} must be structured data (an object) or raw bytes`)
  return data
}

function typeName (v: unknown): string {
  if (v === null) return 'null'
  if (v instanceof Uint8Array) return 'binary'
  if (isPreciseNumber(v)) return 'number'
  if (Array.isArray(v)) return 'list'
  if (v instanceof Set) return 'set'
  return typeof v
}

// A string where the table wants B or N is what plain JSON makes of bytes (base64) or of a number written as text.
const TEXT_LOSS_HINT = ' (if the record came from JSON lines, plain JSON lost the type: use the default type hints of opencdc/json (metadata "dynamodb.types"), or opencdc.dynamodbJson=true on both sides)'

function keyValueSize (attr: KeyAttribute, v: Value): number {
  if (attr.type === 'S') return Buffer.byteLength(v as string, 'utf8')
  if (attr.type === 'B') return (v as Uint8Array).byteLength
  return numberSize(isPreciseNumber(v) ? v.value : String(v))
}

function keyValue (record: OpenCDCRecord, index: number, attr: KeyAttribute, role: string, sources: Array<StructuredData | null>): Value {
  const v = sources.map((s) => s?.[attr.name]).find((x) => x !== undefined)
  if (v === undefined) throw fail(record, index, 'ERR_DDB_INVALID_KEY', `missing key attribute "${attr.name}" (${role} key, type ${attr.type}) in record.key`)
  const ok = attr.type === 'S' ? typeof v === 'string'
    : attr.type === 'N' ? (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' || isPreciseNumber(v)
      : v instanceof Uint8Array
  if (!ok) {
    const want = attr.type === 'S' ? 'a string (S)' : attr.type === 'N' ? 'a number (N)' : 'binary (B)'
    throw fail(record, index, 'ERR_DDB_INVALID_KEY', `key attribute "${attr.name}" must be ${want} as the table defines it, got ${typeName(v)}${typeof v === 'string' ? TEXT_LOSS_HINT : ''}`)
  }
  const size = keyValueSize(attr, v)
  const max = role === 'partition' ? MAX_PARTITION_KEY_BYTES : MAX_SORT_KEY_BYTES
  if (attr.type !== 'N' && size === 0) throw fail(record, index, 'ERR_DDB_INVALID_KEY', `key attribute "${attr.name}" must not be empty`)
  if (size > max) throw fail(record, index, 'ERR_DDB_KEY_TOO_LONG', `${role} key "${attr.name}" is ${size} bytes; DynamoDB allows at most ${max}`)
  return v
}

function marshal (record: OpenCDCRecord, index: number, field: string, data: StructuredData): AttributeMap {
  try {
    return toAttributeMap(data)
  } catch (err) {
    const why = isOpenCDCError(err) ? err.message : String(err)
    throw fail(record, index, 'ERR_DDB_INVALID_VALUE', `${field}: ${why}`, err)
  }
}

/**
 * The pure conversion of one record to one write, checking every rule DynamoDB would reject a whole
 * batch for (key types and lengths, item size) so the error names this record, not a batch.
 */
export function toWriteOp (record: OpenCDCRecord, index: number, schema: KeySchema, mode: UpdateMode = 'put', table = ''): WriteOp {
  if (typeof record !== 'object' || record === null) throw fail(undefined, index, 'ERR_DDB_INVALID_RECORD', `expected an OpenCDC record object, got ${typeName(record)}`)
  const op = (record as { operation?: unknown }).operation
  if (typeof op !== 'string' || !(OPERATIONS as readonly string[]).includes(op)) {
    throw fail(record, index, 'ERR_DDB_INVALID_RECORD', `unknown operation ${JSON.stringify(op)}: expected one of ${OPERATIONS.join(', ')}`)
  }
  const payload = (record.payload ?? {}) as { before?: unknown, after?: unknown }
  const keyData = structured(record, index, 'key', record.key)
  const after = op === 'delete' ? null : structured(record, index, 'payload.after', payload.after)
  const before = op === 'delete' || (op === 'update' && mode === 'patch') ? structured(record, index, 'payload.before', payload.before) : null
  if (op !== 'delete' && after === null) throw fail(record, index, 'ERR_DDB_INVALID_RECORD', `a ${op} record needs payload.after`)
  const keyFields: StructuredData = {}
  for (const [i, attr] of keyAttributes(schema).entries()) {
    keyFields[attr.name] = keyValue(record, index, attr, i === 0 ? 'partition' : 'sort', [keyData, op === 'delete' ? before : after])
  }
  if (op === 'delete') {
    const key = marshal(record, index, 'key', keyFields)
    return { kind: 'delete', table, keyId: tableKeyId(table, schema, key), key, size: itemSize(key), record, index }
  }
  const item = marshal(record, index, 'payload.after', { ...after, ...keyFields })
  const key: AttributeMap = {}
  for (const name of Object.keys(keyFields)) key[name] = item[name] as AttributeMap[string]
  const keyId = tableKeyId(table, schema, key)
  const size = itemSize(item)
  if (size > MAX_ITEM_BYTES) {
    throw fail(record, index, 'ERR_DDB_ITEM_TOO_LARGE', `item is ${size} bytes; DynamoDB allows at most ${MAX_ITEM_BYTES} (400 KB) per item`)
  }
  if (op === 'update' && mode === 'patch' && before !== null) {
    const old = marshal(record, index, 'payload.before', { ...before, ...keyFields })
    return { kind: 'update', table, keyId, key, update: diffUpdate(old, item, Object.keys(key)), size, record, index }
  }
  return { kind: 'put', table, keyId, key, item, size, record, index }
}
