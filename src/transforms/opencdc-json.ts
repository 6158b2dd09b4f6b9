import { OpenCDCError } from '../errors.js'
import { toDynamoJSON, fromDynamoJSON } from '../dynamodb-json.js'
import { stringifyValue } from '../json-value.js'
import { isOperation, isRawData, OPERATIONS, type Data, type OpenCDCRecord, type StructuredData } from '../record.js'

export interface OpenCDCJSONOptions {
  /** Write `"position":null` (Conduit's position.excluded). */
  positionExcluded?: boolean
  /** Key, before and after as typed DynamoDB JSON objects. */
  dynamodbJson?: boolean
}

function base64 (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

function dataJSON (data: Data, typed: boolean): string {
  if (data === null || data === undefined) return 'null'
  if (isRawData(data)) return '"' + base64(data) + '"'
  return stringifyValue(typed ? toDynamoJSON(data) : data)
}

/**
 * One record as Conduit's opencdc/json document (no trailing newline): field order position,
 * operation, metadata, key, payload; structured data with sorted keys and every digit of precise
 * numbers; raw bytes and the position as base64; absent data as null.
 */
export function serializeOpenCDC (record: OpenCDCRecord, options: OpenCDCJSONOptions = {}): string {
  const typed = options.dynamodbJson === true
  const position = options.positionExcluded === true || record.position === null || record.position === undefined ? 'null' : '"' + base64(record.position) + '"'
  return '{"position":' + position +
    ',"operation":' + JSON.stringify(record.operation) +
    ',"metadata":' + stringifyValue(record.metadata ?? {}) +
    ',"key":' + dataJSON(record.key, typed) +
    ',"payload":{"before":' + dataJSON(record.payload.before, typed) +
    ',"after":' + dataJSON(record.payload.after, typed) + '}}'
}

export interface OpenCDCParseOptions {
  /** Read key/before/after objects as typed DynamoDB JSON (what `opencdc.dynamodbJson=true` writes). */
  dynamodbJson?: boolean
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function invalid (field: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_RECORD', `"${field}" ${rule}`, { field })
}

function decodeBase64 (text: string, field: string): Buffer {
  if (!BASE64.test(text)) throw invalid(field, 'must be standard base64 with padding (raw bytes)')
  return Buffer.from(text, 'base64')
}

function parseData (value: unknown, field: string, typed: boolean): Data {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'string') return decodeBase64(value, field)
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object (structured data), a base64 string (raw bytes) or null')
  return typed ? fromDynamoJSON(value, field) : value as StructuredData
}

/**
 * A parsed opencdc/json document → record. Accepts Conduit's own output, `null` or `""` for absent
 * position/key/before/after, and a missing metadata object.
 */
export function recordFromJSON (doc: unknown, options: OpenCDCParseOptions = {}): OpenCDCRecord {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('$', 'must be a JSON object (one OpenCDC record per line)')
  const o = doc as Record<string, unknown>
  if (!isOperation(o.operation)) throw invalid('operation', `must be one of ${OPERATIONS.join(', ')}, got ${JSON.stringify(o.operation)}`)
  const pos = o.position
  if (pos !== null && pos !== undefined && typeof pos !== 'string') throw invalid('position', 'must be a base64 string or null')
  const metadata: Record<string, string> = {}
  if (o.metadata !== null && o.metadata !== undefined) {
    if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) throw invalid('metadata', 'must be an object of strings')
    for (const [k, v] of Object.entries(o.metadata)) {
      if (typeof v !== 'string') throw invalid(`metadata.${k}`, `must be a string, got ${JSON.stringify(v)}`)
      metadata[k] = v
    }
  }
  const payload = o.payload
  if (payload !== null && payload !== undefined && (typeof payload !== 'object' || Array.isArray(payload))) throw invalid('payload', 'must be an object with before and after')
  const p = (payload ?? {}) as Record<string, unknown>
  const typed = options.dynamodbJson === true
  return {
    position: typeof pos === 'string' && pos !== '' ? decodeBase64(pos, 'position') : Buffer.alloc(0),
    operation: o.operation,
    metadata,
    key: parseData(o.key, 'key', typed),
    payload: { before: parseData(p.before, 'payload.before', typed), after: parseData(p.after, 'payload.after', typed) }
  }
}
