import { Transform, type TransformCallback, type TransformOptions } from 'node:stream'
import { isErrorCode, OpenCDCError } from '../errors/index.js'
import { describeRecord, isOperation, type OpenCDCRecord } from '../model/record.js'
import { serializeDebezium } from './debezium.js'
import { resolveFormat, type FormatOptions } from './format-options.js'
import { serializeOpenCDC } from './opencdc-json.js'
import { compileTemplate } from './template/template.js'

export { serializeOpenCDC } from './opencdc-json.js'
export { serializeDebezium } from './debezium.js'
export { compileTemplate } from './template/template.js'
export type { FormatOptions } from './format-options.js'

/** A record → one line of output, newline included. */
export type RecordSerializer = (record: OpenCDCRecord) => string | Buffer

/** The serializer format() uses, for callers that want lines without a stream. */
export function createSerializer (name: string, options?: string | FormatOptions): RecordSerializer {
  const { name: format, options: o } = resolveFormat(name, options)
  if (format === 'opencdc/json') {
    const opts = { positionExcluded: o.positionExcluded, dynamodbJson: o.dynamodbJson, typeHints: o.typeHints }
    return (r) => serializeOpenCDC(r, opts) + '\n'
  }
  if (format === 'debezium/json') {
    const opts = { schemaName: o.schemaName, rawDataKey: o.rawDataKey }
    return (r) => serializeDebezium(r, opts) + '\n'
  }
  const render = typeof o.template === 'function' ? o.template : compileTemplate(o.template as string)
  return (r) => {
    const out = render(r)
    if (Buffer.isBuffer(out)) return out.at(-1) === 10 ? out : Buffer.concat([out, Buffer.from('\n')])
    if (typeof out !== 'string') throw new OpenCDCError('ERR_DDB_INVALID_TEMPLATE', `template function must return a string or Buffer, got ${out === null ? 'null' : typeof out}`)
    return out.endsWith('\n') ? out : out + '\n'
  }
}

class FormatTransform extends Transform {
  #serialize: RecordSerializer
  #index = 0

  constructor (serialize: RecordSerializer, options?: TransformOptions) {
    super({ writableObjectMode: true, readableObjectMode: true, ...options })
    this.#serialize = serialize
  }

  override _transform (record: OpenCDCRecord, _enc: BufferEncoding, cb: TransformCallback): void {
    const index = this.#index++
    if (typeof record !== 'object' || record === null || !isOperation(record.operation) || typeof record.payload !== 'object' || record.payload === null) {
      cb(new OpenCDCError('ERR_DDB_INVALID_RECORD', `format: chunk #${index} is not an OpenCDC record (expected { position, operation, metadata, key, payload })`, { index }))
      return
    }
    let line: string | Buffer
    try {
      line = this.#serialize(record)
    } catch (err) {
      const e = err as Error & { code?: string }
      cb(new OpenCDCError(isErrorCode(e.code) ? e.code : 'ERR_DDB_FORMAT', `cannot format ${describeRecord(record, index)}: ${e.message}`, { index }, { cause: err }))
      return
    }
    cb(null, line)
  }
}

/**
 * A Transform from records (object mode) to one line per record (string or Buffer ending in "\n"),
 * configured by the seed's `sdk.record.format` and `sdk.record.format.options` values.
 */
export function format (name: string, options?: string | FormatOptions, streamOptions?: TransformOptions): Transform {
  return new FormatTransform(createSerializer(name, options), streamOptions)
}
