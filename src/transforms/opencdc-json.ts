import { isOpenCDCError, OpenCDCError } from '../errors/index.js'
import { toDynamoJSON, fromDynamoJSON } from '../model/dynamodb-json.js'
import { setOwn } from '../model/own-property.js'
import { quoteString, sortedKeys, stringifyValue, type HintSink } from '../model/json-value.js'
import { isOperation, isRawData, OPERATIONS, type Data, type OpenCDCRecord, type StructuredData } from '../model/record.js'
import { applyHints, isBase64, parseHints, TYPES_METADATA } from './type-hints.js'

export interface OpenCDCJSONOptions {
  /** Write `"position":null` (Conduit's position.excluded). */
  positionExcluded?: boolean
  /** Key, before and after as typed DynamoDB JSON objects. */
  dynamodbJson?: boolean
  /** Plain lines carry the types JSON cannot say (sets, binaries) in metadata "dynamodb.types" (default true). */
  typeHints?: boolean
}

function base64 (bytes: Uint8Array): string {
  // A Buffer (every position) is encoded as is, without a second Buffer view over it.
  return Buffer.isBuffer(bytes) ? bytes.toString('base64') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

function dataJSON (data: Data, typed: boolean, field: string, hints?: HintSink): string {
  if (data === null || data === undefined) return 'null'
  if (isRawData(data)) return '"' + base64(data) + '"'
  if (typed) return stringifyValue(toDynamoJSON(data))
  try {
    return stringifyValue(data, hints)
  } catch (err) {
    if (isOpenCDCError(err)) throw new OpenCDCError(err.code, `"${field}" ${err.message}`, { ...err.details, field }, { cause: err })
    throw err
  }
}

// The hints entry at its sorted place among the metadata; the serializer owns it, so a stale one is dropped.
function metadataJSON (metadata: Record<string, string>, hints: string): string {
  if (hints === '' && metadata[TYPES_METADATA] === undefined) return stringifyValue(metadata)
  const entry = hints === '' ? '' : hintsEntry(hints)
  let out = '{'
  let pending = entry !== ''
  for (const k of sortedKeys(metadata)) {
    if (k === TYPES_METADATA) continue
    if (pending && k > TYPES_METADATA) { out += (out.length > 1 ? ',' : '') + entry; pending = false }
    out += (out.length > 1 ? ',' : '') + quoteString(k) + ':' + stringifyValue(metadata[k])
  }
  if (pending) out += (out.length > 1 ? ',' : '') + entry
  return out + '}'
}

// The hints entry: its parts arrive escaped for a JSON string already (HintSink), so nothing is escaped per record.
function hintsEntry (hints: string): string {
  return '"' + TYPES_METADATA + '":"{' + hints + '}"'
}

// A part's hints as a list (a loop: Array#join showed in the profile for these two- or three-element lists).
function hintList (name: string, hints: string[]): string {
  let out = name + (hints[0] as string)
  for (let i = 1; i < hints.length; i++) out += ',' + (hints[i] as string)
  return out + ']'
}

// The parts in sorted order, as Conduit sorts object keys: after, before, key.
function hintsText (after: string[], before: string[], key: string[]): string {
  let out = ''
  if (after.length > 0) out = hintList('\\"after\\":[', after)
  if (before.length > 0) out += (out === '' ? '' : ',') + hintList('\\"before\\":[', before)
  if (key.length > 0) out += (out === '' ? '' : ',') + hintList('\\"key\\":[', key)
  return out
}

// The operation's JSON text without a JSON.stringify per record.
const OPERATION_JSON = new Map<unknown, string>(OPERATIONS.map((op) => [op, JSON.stringify(op)]))

/**
 * One record as Conduit's opencdc/json document (no trailing newline): field order position,
 * operation, metadata, key, payload; structured data with sorted keys and every digit of precise
 * numbers; raw bytes and the position as base64; absent data as null. Plain lines name their sets and
 * binaries in metadata "dynamodb.types" (unless typeHints is false) so they read back exactly.
 */
export function serializeOpenCDC (record: OpenCDCRecord, options: OpenCDCJSONOptions = {}): string {
  const typed = options.dynamodbJson === true
  const hinted = !typed && options.typeHints !== false
  const position = options.positionExcluded === true || record.position === null || record.position === undefined ? 'null' : '"' + base64(record.position) + '"'
  const kh: HintSink | undefined = hinted ? [] : undefined
  const bh: HintSink | undefined = hinted ? [] : undefined
  const ah: HintSink | undefined = hinted ? [] : undefined
  const key = dataJSON(record.key, typed, 'key', kh)
  const before = dataJSON(record.payload.before, typed, 'payload.before', bh)
  const after = dataJSON(record.payload.after, typed, 'payload.after', ah)
  const metadata = record.metadata ?? {}
  const hints = hinted ? hintsText(ah as string[], bh as string[], kh as string[]) : ''
  return '{"position":' + position +
    ',"operation":' + (OPERATION_JSON.get(record.operation) ?? JSON.stringify(record.operation)) +
    ',"metadata":' + (hinted ? metadataJSON(metadata, hints) : stringifyValue(metadata)) +
    ',"key":' + key +
    ',"payload":{"before":' + before +
    ',"after":' + after + '}}'
}

export interface OpenCDCParseOptions {
  /** Read key/before/after objects as typed DynamoDB JSON (what `opencdc.dynamodbJson=true` writes). */
  dynamodbJson?: boolean
  /** Apply the types named by metadata "dynamodb.types" to plain key/before/after, then drop the entry (default true). */
  typeHints?: boolean
}

function invalid (field: string, rule: string): OpenCDCError {
  return new OpenCDCError('ERR_DDB_INVALID_RECORD', `"${field}" ${rule}`, { field })
}

function decodeBase64 (text: string, field: string): Buffer {
  if (!isBase64(text)) throw invalid(field, 'must be standard base64 with padding (raw bytes)')
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
  const typed = options.dynamodbJson === true
  const hinted = !typed && options.typeHints !== false
  const metadata: Record<string, string> = {}
  let hintText: string | undefined
  if (o.metadata !== null && o.metadata !== undefined) {
    if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) throw invalid('metadata', 'must be an object of strings')
    const m = o.metadata as Record<string, unknown>
    for (const k of Object.keys(m)) {
      const v = m[k]
      if (typeof v !== 'string') throw invalid(`metadata.${k}`, `must be a string, got ${JSON.stringify(v)}`)
      // The hints are consumed: the record read is the record that was written.
      if (hinted && k === TYPES_METADATA) hintText = v
      else setOwn(metadata, k, v)
    }
  }
  const payload = o.payload
  if (payload !== null && payload !== undefined && (typeof payload !== 'object' || Array.isArray(payload))) throw invalid('payload', 'must be an object with before and after')
  const p = (payload ?? {}) as Record<string, unknown>
  let key = parseData(o.key, 'key', typed)
  let before = parseData(p.before, 'payload.before', typed)
  let after = parseData(p.after, 'payload.after', typed)
  if (hintText !== undefined) {
    const hints = parseHints(hintText)
    key = applyHints(key, hints.key, 'key')
    before = applyHints(before, hints.before, 'before')
    after = applyHints(after, hints.after, 'after')
  }
  return {
    position: typeof pos === 'string' && pos !== '' ? decodeBase64(pos, 'position') : Buffer.alloc(0),
    operation: o.operation,
    metadata,
    key,
    payload: { before, after }
  }
}
