import { jsonNumberText, parseJSONLossless, stringifyValue } from '../model/json-value.js'
import { isPreciseNumber, isRawData, isStructuredData, META_READ_AT, type Data, type OpenCDCRecord, type StructuredData } from '../model/record.js'

export interface DebeziumOptions {
  /** Name of the envelope schema (`debezium.schema.name`); omitted when empty, as Conduit does. */
  schemaName?: string
  /** Field that holds raw data which is not a JSON object (`debezium.rawData.key`). */
  rawDataKey?: string
}

/** A Kafka Connect JSON schema node (the `schema` half of a JsonConverter envelope). */
export interface ConnectSchema {
  type: 'boolean' | 'int64' | 'double' | 'bytes' | 'string' | 'array' | 'map' | 'struct'
  optional: boolean
  name?: string
  items?: ConnectSchema
  fields?: ConnectSchema[]
  field?: string
}

const OPS = { create: 'c', update: 'u', delete: 'd', snapshot: 'r' } as const
const INT64_MAX = 9223372036854775807n
const INT64_MIN = -9223372036854775808n

function fitsInt64 (text: string): boolean {
  if (!/^-?\d+$/.test(text)) return false
  const n = BigInt(text)
  return n >= INT64_MIN && n <= INT64_MAX
}

/** Kafka Connect schema of one value, the way Conduit reflects it (sets as arrays, precise numbers as int64 or double). */
export function connectSchemaOf (value: unknown): ConnectSchema | undefined {
  if (value === null || value === undefined) return undefined
  switch (typeof value) {
    case 'string': return { type: 'string', optional: false }
    case 'boolean': return { type: 'boolean', optional: false }
    case 'number': return { type: Number.isSafeInteger(value) ? 'int64' : 'double', optional: false }
  }
  if (isPreciseNumber(value)) return { type: fitsInt64(jsonNumberText(value.value)) ? 'int64' : 'double', optional: false }
  if (value instanceof Uint8Array) return { type: 'bytes', optional: true }
  if (Array.isArray(value) || value instanceof Set) {
    const first = (value instanceof Set ? value.values().next().value : value[0]) as unknown
    return { type: 'array', optional: true, items: connectSchemaOf(first) ?? { type: 'string', optional: true } }
  }
  return structSchema(value as StructuredData)
}

function structSchema (data: Record<string, unknown>): ConnectSchema {
  const fields = Object.keys(data).sort().map((k) => ({ ...(connectSchemaOf(data[k]) ?? { type: 'string' as const, optional: true }), field: k }))
  return fields.length > 0 ? { type: 'struct', optional: true, fields } : { type: 'struct', optional: true }
}

function structured (data: Data, rawDataKey: string): StructuredData | null {
  if (data === null || data === undefined) return null
  if (!isRawData(data)) return data
  if (data.byteLength === 0) return null
  // Raw data carrying a JSON object is lifted into structured data, as Conduit does.
  try {
    const parsed = parseJSONLossless(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'))
    if (isStructuredData(parsed)) return parsed as StructuredData
  } catch {}
  return { [rawDataKey]: data }
}

function sideSchema (field: 'before' | 'after', mine: StructuredData | null, other: StructuredData | null): ConnectSchema {
  const from = mine ?? other
  const s: ConnectSchema = from === null ? { type: 'struct', optional: true } : structSchema(from)
  return { ...s, optional: true, field }
}

function envelopeSchema (before: StructuredData | null, after: StructuredData | null, metadata: Record<string, string>, schemaName: string | undefined): ConnectSchema {
  const source = Object.keys(metadata).length > 0 ? { ...structSchema(metadata), optional: false } : { type: 'struct' as const, optional: true }
  const schema: ConnectSchema = {
    type: 'struct',
    optional: false,
    fields: [
      sideSchema('before', before, after),
      sideSchema('after', after, before),
      { ...source, field: 'source' },
      { type: 'string', optional: false, field: 'op' },
      { type: 'int64', optional: true, field: 'ts_ms' },
      {
        type: 'struct',
        optional: true,
        fields: [
          { type: 'string', optional: false, field: 'id' },
          { type: 'int64', optional: false, field: 'total_order' },
          { type: 'int64', optional: false, field: 'data_collection_order' }
        ],
        field: 'transaction'
      }
    ]
  }
  if (schemaName !== undefined && schemaName !== '') schema.name = schemaName
  return schema
}

/** The Kafka Connect schema of a record's Debezium envelope. */
export function debeziumSchema (record: OpenCDCRecord, options: DebeziumOptions = {}): ConnectSchema {
  const rawDataKey = options.rawDataKey ?? 'opencdc.rawData'
  return envelopeSchema(structured(record.payload.before, rawDataKey), structured(record.payload.after, rawDataKey), record.metadata, options.schemaName)
}

// Field order matches Conduit's Go struct: type, optional, name, items, fields, field.
function schemaJSON (s: ConnectSchema): string {
  let out = '{"type":"' + s.type + '","optional":' + String(s.optional)
  if (s.name !== undefined) out += ',"name":' + JSON.stringify(s.name)
  if (s.items !== undefined) out += ',"items":' + schemaJSON(s.items)
  if (s.fields !== undefined) out += ',"fields":[' + s.fields.map(schemaJSON).join(',') + ']'
  if (s.field !== undefined) out += ',"field":' + JSON.stringify(s.field)
  return out + '}'
}

/** Readout time in ms from opencdc.readAt (unix nanoseconds); 0 when absent, as Conduit. */
function readAtMillis (metadata: Record<string, string>): number {
  const text = metadata[META_READ_AT]
  if (text === undefined || !/^-?\d+$/.test(text)) return 0
  return Number(BigInt(text) / 1_000_000n)
}

/**
 * One record as Conduit's debezium/json document (no trailing newline):
 * {"schema":<Kafka Connect struct>,"payload":{"before","after","source","op","ts_ms","transaction":null}}.
 */
export function serializeDebezium (record: OpenCDCRecord, options: DebeziumOptions = {}): string {
  const rawDataKey = options.rawDataKey ?? 'opencdc.rawData'
  const before = structured(record.payload.before, rawDataKey)
  const after = structured(record.payload.after, rawDataKey)
  const ts = readAtMillis(record.metadata)
  return '{"schema":' + schemaJSON(envelopeSchema(before, after, record.metadata, options.schemaName)) +
    ',"payload":{"before":' + stringifyValue(before) +
    ',"after":' + stringifyValue(after) +
    ',"source":' + stringifyValue(record.metadata) +
    ',"op":"' + OPS[record.operation] + '"' +
    (ts !== 0 ? ',"ts_ms":' + String(ts) : '') +
    ',"transaction":null}}'
}
