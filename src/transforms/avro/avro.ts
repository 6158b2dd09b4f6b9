import { Transform, type TransformCallback } from 'node:stream'
import avro from 'avsc'
import { resolveOptions, type OptionSpec } from '../../options/options.js'
import { isErrorCode, OpenCDCError } from '../../errors/index.js'
import { describeRecord, isStructuredData, META_COLLECTION, type Data, type OpenCDCRecord, type StructuredData } from '../../model/record.js'
import { avroSchemaFor, type AvroSchema } from './schema.js'
import { AvroMapper } from './value.js'
import { avroTypeHook } from './types.js'
import { InMemorySchemaRegistry, type SchemaRegistry } from './registry.js'

export const META_KEY_SCHEMA_SUBJECT = 'opencdc.key.schema.subject'
export const META_KEY_SCHEMA_VERSION = 'opencdc.key.schema.version'
export const META_PAYLOAD_SCHEMA_SUBJECT = 'opencdc.payload.schema.subject'
export const META_PAYLOAD_SCHEMA_VERSION = 'opencdc.payload.schema.version'
const META_CONNECTOR_ID = 'conduit.source.connector.id'

const REGISTRY_SPEC: OptionSpec = { name: 'registry', kind: 'object', doc: 'Schema registry (default: a new in-memory registry).' }

export const AVRO_ENCODER_SPECS: readonly OptionSpec[] = [
  { name: 'schemaType', setting: 'sdk.schema.extract.type', kind: 'enum', values: ['avro'], default: 'avro', doc: 'Schema type (only avro).' },
  { name: 'keyEnabled', setting: 'sdk.schema.extract.key.enabled', kind: 'bool', default: true, doc: 'Extract a schema for the key and encode it.' },
  { name: 'keySubject', setting: 'sdk.schema.extract.key.subject', kind: 'string', default: 'key', doc: 'Key subject; prefixed by "<collection>." when the record has opencdc.collection.' },
  { name: 'payloadEnabled', setting: 'sdk.schema.extract.payload.enabled', kind: 'bool', default: true, doc: 'Extract a schema for the payload and encode before and after.' },
  { name: 'payloadSubject', setting: 'sdk.schema.extract.payload.subject', kind: 'string', default: 'payload', doc: 'Payload subject; prefixed by "<collection>." when the record has opencdc.collection.' },
  { name: 'contextEnabled', setting: 'sdk.schema.context.enabled', kind: 'bool', default: true, doc: 'Prefix subjects with "<context>:".' },
  { name: 'contextName', setting: 'sdk.schema.context.name', kind: 'string', default: '', doc: 'Context name; default: the connectorId option, else the record\'s conduit.source.connector.id.' },
  { name: 'connectorId', kind: 'string', default: '', doc: 'Connector id used as the default context name.' },
  REGISTRY_SPEC
]

export const AVRO_DECODER_SPECS: readonly OptionSpec[] = [
  { name: 'keyEnabled', setting: 'sdk.schema.extract.key.enabled', kind: 'bool', default: true, doc: 'Decode keys that carry schema metadata.' },
  { name: 'payloadEnabled', setting: 'sdk.schema.extract.payload.enabled', kind: 'bool', default: true, doc: 'Decode payloads that carry schema metadata.' },
  REGISTRY_SPEC
]

export interface AvroEncoderOptions {
  keyEnabled?: boolean | string
  keySubject?: string
  payloadEnabled?: boolean | string
  payloadSubject?: string
  contextEnabled?: boolean | string
  contextName?: string
  connectorId?: string
  registry?: SchemaRegistry
  [setting: string]: unknown
}

export interface AvroDecoderOptions {
  keyEnabled?: boolean | string
  payloadEnabled?: boolean | string
  registry?: SchemaRegistry
  [setting: string]: unknown
}

interface Codec { type: avro.Type, mapper: AvroMapper, schema: AvroSchema }

// Sparse items can yield endless shapes; keep the caches bounded (oldest entry out first).
const CACHE_LIMIT = 2000
function remember<K, V> (map: Map<K, V>, key: K, value: V): void {
  if (map.size >= CACHE_LIMIT) map.delete(map.keys().next().value as K)
  map.set(key, value)
}

function compile (schema: AvroSchema): Codec {
  return { type: avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true, typeHook: avroTypeHook }), mapper: new AvroMapper(schema), schema }
}

function encode (codec: Codec, data: StructuredData): Buffer {
  return codec.type.toBuffer(codec.mapper.toAvro(codec.schema, data))
}

function decode (codec: Codec, bytes: Uint8Array): StructuredData {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return codec.mapper.fromAvro(codec.schema, codec.type.fromBuffer(buf)) as StructuredData
}

function wrap (err: unknown, record: OpenCDCRecord, index: number, what: string): OpenCDCError {
  const e = err as Error & { code?: string }
  return new OpenCDCError(isErrorCode(e.code) ? e.code : 'ERR_DDB_AVRO', `cannot ${what} ${describeRecord(record, index)}: ${e.message}`, { index }, { cause: err })
}

abstract class AsyncRecordTransform extends Transform {
  #index = 0
  constructor () { super({ objectMode: true }) }

  protected abstract convert (record: OpenCDCRecord, index: number): Promise<OpenCDCRecord>

  override _transform (record: OpenCDCRecord, _enc: BufferEncoding, cb: TransformCallback): void {
    this.convert(record, this.#index++).then((r) => cb(null, r), cb)
  }
}

/** Shared state of one encoder: compiled schemas by text, versions by subject and text. */
class Extractor {
  #registry: SchemaRegistry
  #codecs = new Map<string, Codec>()
  #versions = new Map<string, number>()

  constructor (registry: SchemaRegistry) { this.#registry = registry }

  async encode (subject: string, values: StructuredData[]): Promise<{ version: number, buffers: Buffer[] }> {
    const schema = avroSchemaFor(...values)
    const text = JSON.stringify(schema)
    let codec = this.#codecs.get(text)
    if (codec === undefined) { codec = compile(schema); remember(this.#codecs, text, codec) }
    const key = `${subject}\0${text}`
    let version = this.#versions.get(key)
    if (version === undefined) {
      version = (await this.#registry.register(subject, text)).version
      remember(this.#versions, key, version)
    }
    return { version, buffers: values.map((v) => encode(codec, v)) }
  }
}

interface ResolvedEncoderOptions {
  keyEnabled: boolean
  keySubject: string
  payloadEnabled: boolean
  payloadSubject: string
  contextEnabled: boolean
  contextName: string
  connectorId: string
  registry?: SchemaRegistry
}

class AvroEncoder extends AsyncRecordTransform {
  #o: ResolvedEncoderOptions
  #extractor: Extractor

  constructor (options: AvroEncoderOptions) {
    super()
    const o = resolveOptions<ResolvedEncoderOptions>(AVRO_ENCODER_SPECS, options, 'avro encoder')
    this.#o = o
    this.#extractor = new Extractor(o.registry ?? new InMemorySchemaRegistry())
  }

  #subject (record: OpenCDCRecord, subject: string): string {
    const collection = record.metadata[META_COLLECTION]
    const name = collection !== undefined && collection !== '' ? `${collection}.${subject}` : subject
    if (!this.#o.contextEnabled) return name
    const context = this.#o.contextName !== '' ? this.#o.contextName : this.#o.connectorId !== '' ? this.#o.connectorId : record.metadata[META_CONNECTOR_ID] ?? ''
    return context === '' ? name : `${context}:${name}`
  }

  protected async convert (record: OpenCDCRecord, index: number): Promise<OpenCDCRecord> {
    const metadata = { ...record.metadata }
    let key: Data = record.key
    let { before, after } = record.payload
    try {
      if (this.#o.keyEnabled && isStructuredData(key)) {
        const subject = this.#subject(record, this.#o.keySubject)
        const { version, buffers } = await this.#extractor.encode(subject, [key])
        key = buffers[0] as Buffer
        metadata[META_KEY_SCHEMA_SUBJECT] = subject
        metadata[META_KEY_SCHEMA_VERSION] = String(version)
      }
      const sides = [before, after].filter((d) => d !== null)
      // Raw data on either side leaves the payload as is: a reader could not tell Avro from raw bytes.
      if (this.#o.payloadEnabled && sides.length > 0 && sides.every(isStructuredData)) {
        const subject = this.#subject(record, this.#o.payloadSubject)
        const { version, buffers } = await this.#extractor.encode(subject, sides as StructuredData[])
        if (before !== null) before = buffers.shift() as Buffer
        if (after !== null) after = buffers.shift() as Buffer
        metadata[META_PAYLOAD_SCHEMA_SUBJECT] = subject
        metadata[META_PAYLOAD_SCHEMA_VERSION] = String(version)
      }
    } catch (err) {
      throw wrap(err, record, index, 'encode')
    }
    return { position: record.position, operation: record.operation, metadata, key, payload: { before, after } }
  }
}

class AvroDecoder extends AsyncRecordTransform {
  #registry: SchemaRegistry
  #keyEnabled: boolean
  #payloadEnabled: boolean
  #codecs = new Map<string, Promise<Codec>>()

  constructor (options: AvroDecoderOptions) {
    super()
    const o = resolveOptions<{ keyEnabled: boolean, payloadEnabled: boolean, registry?: SchemaRegistry }>(AVRO_DECODER_SPECS, options, 'avro decoder')
    this.#registry = o.registry ?? new InMemorySchemaRegistry()
    this.#keyEnabled = o.keyEnabled
    this.#payloadEnabled = o.payloadEnabled
  }

  #codec (subject: string, versionText: string): Promise<Codec> {
    const version = Number(versionText)
    if (!Number.isInteger(version) || version < 1) return Promise.reject(new OpenCDCError('ERR_DDB_AVRO', `schema version ${JSON.stringify(versionText)} is not a positive integer`))
    const key = `${subject}\0${version}`
    let p = this.#codecs.get(key)
    if (p === undefined) {
      p = this.#registry.get(subject, version).then((s) => compile(JSON.parse(s.schema) as AvroSchema))
      remember(this.#codecs, key, p)
      p.catch(() => this.#codecs.delete(key))
    }
    return p
  }

  protected async convert (record: OpenCDCRecord, index: number): Promise<OpenCDCRecord> {
    const m = record.metadata
    let key = record.key
    let { before, after } = record.payload
    try {
      const ks = m[META_KEY_SCHEMA_SUBJECT]
      const kv = m[META_KEY_SCHEMA_VERSION]
      if (this.#keyEnabled && ks !== undefined && kv !== undefined && key instanceof Uint8Array) key = decode(await this.#codec(ks, kv), key)
      const ps = m[META_PAYLOAD_SCHEMA_SUBJECT]
      const pv = m[META_PAYLOAD_SCHEMA_VERSION]
      if (this.#payloadEnabled && ps !== undefined && pv !== undefined) {
        if (before instanceof Uint8Array) before = decode(await this.#codec(ps, pv), before)
        if (after instanceof Uint8Array) after = decode(await this.#codec(ps, pv), after)
      }
    } catch (err) {
      throw wrap(err, record, index, 'decode')
    }
    return { position: record.position, operation: record.operation, metadata: { ...m }, key, payload: { before, after } }
  }
}

/**
 * Source side of `sdk.schema.extract.*`: infers an Avro schema for key and payload (one schema
 * fitting both before and after), registers it, encodes them as plain Avro binary and records
 * subject and version in the metadata.
 */
export function createAvroEncoder (options: AvroEncoderOptions = {}): Transform {
  return new AvroEncoder(options)
}

/** Destination side: decodes keys and payloads that carry schema metadata back to structured data. */
export function createAvroDecoder (options: AvroDecoderOptions = {}): Transform {
  return new AvroDecoder(options)
}
