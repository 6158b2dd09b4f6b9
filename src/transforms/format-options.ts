import { OpenCDCError } from '../errors/index.js'
import type { OpenCDCRecord } from '../model/record.js'
import { resolveOptions, type OptionSpec } from '../options/options.js'
import type { ConduitSettings } from '../options/input.js'

/** A template given as a JS function instead of Go-template text. */
export type TemplateFunction = (record: OpenCDCRecord) => string | Buffer

/** Typed options of format(). */
export interface FormatTypedOptions {
  /** opencdc/json: write `"position":null` (Conduit's `position.excluded`). */
  positionExcluded?: boolean
  /** opencdc/json: write key/before/after as typed DynamoDB JSON so sets, binaries and numbers survive (our extension). */
  dynamodbJson?: boolean
  /** opencdc/json: carry the types plain JSON cannot say (sets, binaries) in metadata "dynamodb.types" (default true). */
  typeHints?: boolean
  /** debezium/json: name of the envelope schema (`debezium.schema.name`). */
  schemaName?: string
  /** debezium/json: field that holds raw data that is not a JSON object (`debezium.rawData.key`). */
  rawDataKey?: string
  /** template: Go-template text or a function. */
  template?: string | TemplateFunction
}

/** Options of format(): typed, or the seed's `sdk.record.format.options` keys (dotted, string values) verbatim. */
export type FormatOptions = FormatTypedOptions & ConduitSettings

export interface ResolvedFormatOptions {
  positionExcluded: boolean
  dynamodbJson: boolean
  typeHints: boolean
  schemaName: string
  rawDataKey: string
  template?: string | TemplateFunction
}

export const FORMAT_NAMES = ['opencdc/json', 'debezium/json', 'template'] as const
export type FormatName = typeof FORMAT_NAMES[number]

export const FORMAT_OPTION_SPECS: readonly OptionSpec[] = [
  { name: 'positionExcluded', setting: 'position.excluded', kind: 'bool', default: false, doc: 'opencdc/json: write the position as null.' },
  { name: 'dynamodbJson', setting: 'opencdc.dynamodbJson', kind: 'bool', default: false, doc: 'opencdc/json: key, before and after as typed DynamoDB JSON (lossless for sets, binaries and numbers).' },
  { name: 'typeHints', setting: 'opencdc.typeHints', kind: 'bool', default: true, doc: 'opencdc/json: name the sets and binaries of plain lines in metadata "dynamodb.types", so they read back exactly.' },
  { name: 'schemaName', setting: 'debezium.schema.name', kind: 'string', default: '', doc: 'debezium/json: name of the Kafka Connect envelope schema.' },
  { name: 'rawDataKey', setting: 'debezium.rawData.key', kind: 'string', default: 'opencdc.rawData', doc: 'debezium/json: field holding raw data that is not a JSON object.' },
  { name: 'template', kind: 'string', doc: 'template: the Go template (a function is accepted too).' }
]

/** `key=value,key2=value2` (Conduit's sdk.record.format.options) → object; a pair without "=" gets "". */
export function parseFormatOptions (text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue
    const eq = pair.indexOf('=')
    const key = (eq === -1 ? pair : pair.slice(0, eq)).trim()
    out[key] = eq === -1 ? '' : pair.slice(eq + 1).trim()
  }
  return out
}

/** Validates a format name and its options (string as in the seed settings, or typed). */
export function resolveFormat (name: string, options: string | FormatOptions | undefined): { name: FormatName, options: ResolvedFormatOptions } {
  if (!(FORMAT_NAMES as readonly string[]).includes(name)) {
    throw new OpenCDCError('ERR_DDB_INVALID_OPTION', `sdk.record.format: expected one of ${FORMAT_NAMES.join(', ')}, got ${JSON.stringify(name)}`, { option: 'sdk.record.format' })
  }
  const label = `format ${name}`
  let input: Record<string, unknown>
  if (typeof options === 'string') input = name === 'template' ? { template: options } : parseFormatOptions(options)
  else input = { ...options }
  const fn = typeof input.template === 'function' ? input.template as TemplateFunction : undefined
  if (fn !== undefined) delete input.template
  const resolved = resolveOptions<ResolvedFormatOptions>(FORMAT_OPTION_SPECS, input, label)
  if (fn !== undefined) resolved.template = fn
  if (name === 'template' && (resolved.template === undefined || resolved.template === '')) {
    throw new OpenCDCError('ERR_DDB_MISSING_OPTION', `${label}: sdk.record.format.options must hold the Go template (or pass { template: fn })`, { option: 'sdk.record.format.options' })
  }
  return { name: name as FormatName, options: resolved }
}
